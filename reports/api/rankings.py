"""`GET /api/v1/rankings/?period=P&issuer=ID&kind=K`: a stored ranking, as API.md describes it.

Answers from the last computation (reports.services.rankings_compute); 404 if it was never
computed or the issuer is outside the caller's scope; `stale` is true while a recomputation is due.
Rates are the stored exact fractions rounded half-to-even to 4 places.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.scope import agencies_visible_to
from reports.models import MEMBER_KINDS, RankingRow, RankingTable
from reports.periods import Period
from reports.rankings import figures_for_api


def ranking_for(*, user, period: Period, issuer_id: int, kind: str) -> tuple[RankingTable, list[RankingRow]]:
    """The stored ranking and its rows, if the issuer is in the user's scope (else Http404).
    Three queries, whatever the number of members."""
    if not agencies_visible_to(user).filter(pk=issuer_id).exists():
        raise Http404
    table = RankingTable.objects.filter(period=str(period), issuer_id=issuer_id, member_kind=kind).first()
    if table is None:
        raise Http404
    rows = list(table.rows.select_related("agency").only("agency__name", *_ROW_FIELDS).order_by("position"))
    return table, rows


_ROW_FIELDS = (
    "table_id",
    "agency_id",
    "position",
    "rank",
    "named",
    "interview",
    "figures",
    "interview_detail",
)


def _parse_query(params) -> tuple[Period, int, str]:
    errors: dict[str, list[str]] = {}
    period = issuer_id = None
    try:
        period = Period.parse(params.get("period", ""))
    except ValidationError as exc:
        errors["period"] = exc.messages
    raw_issuer = params.get("issuer", "")
    if not raw_issuer.isdigit():
        errors["issuer"] = [_("请提供发文机关 ID（整数）。")]
    else:
        issuer_id = int(raw_issuer)
    kind = params.get("kind", "")
    if kind not in MEMBER_KINDS:
        errors["kind"] = [
            _("无效的排名对象类型“%(value)s”：应为 %(choices)s。")
            % {"value": kind, "choices": " / ".join(str(k) for k in MEMBER_KINDS)}
        ]
    if errors:
        raise ValidationError(errors)
    return period, issuer_id, kind


def ranking_payload(table: RankingTable, rows: list[RankingRow]) -> dict:
    payload = {
        "period": table.period,
        "issuer": table.issuer_id,
        "kind": table.member_kind,
        "period_kind": table.period_kind,
        "computed_at": table.computed_at,
        "stale": table.stale,
        "summary": figures_for_api(table.summary),
        "rows": [
            {
                "agency": row.agency_id,
                "agency_name": row.agency.name,
                "rank": row.rank,
                "named": row.named,
                "interview": row.interview,
                **figures_for_api(row.figures),
            }
            for row in rows
        ],
    }
    if table.period_kind != "month":
        payload["interviews"] = [
            {"agency": row.agency_id, "agency_name": row.agency.name, **row.interview_detail}
            for row in rows
            if row.interview
        ]
    return payload


_RankingResponse = inline_serializer(
    name="Ranking",
    fields={
        "period": serializers.CharField(),
        "issuer": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "period_kind": serializers.CharField(),
        "computed_at": serializers.DateTimeField(),
        "stale": serializers.BooleanField(),
        "summary": serializers.DictField(),
        "rows": serializers.ListField(child=serializers.DictField()),
        "interviews": serializers.ListField(child=serializers.DictField(), required=False),
    },
)


class RankingView(APIView):
    """A stored ranking of one period, issuer and member kind, with every member's figures."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", OpenApiTypes.STR, required=True, description="2023-03, 2023-Q1 or 2023"
            ),
            OpenApiParameter("issuer", OpenApiTypes.INT, required=True, description="the issuing government"),
            OpenApiParameter("kind", OpenApiTypes.STR, required=True, enum=[str(k) for k in MEMBER_KINDS]),
        ],
        responses={200: _RankingResponse},
    )
    def get(self, request):
        period, issuer_id, kind = _parse_query(request.query_params)
        table, rows = ranking_for(user=request.user, period=period, issuer_id=issuer_id, kind=kind)
        return Response(ranking_payload(table, rows))
