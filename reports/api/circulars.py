"""`/api/v1/circulars/` (API.md): circulars from the stored computation.

API clients see published circulars issued in their issuer's scope; officers see their own
government's drafts too (reports.circular_selectors). `POST circulars/{id}/publish/` publishes (a
second time: 409); `POST circulars/{id}/revise/` starts a correction; a published circular answers
409 to PATCH, PUT and DELETE. `GET circulars/{id}/pdf/` and `/xlsx/` download the document.

List and detail carry `ETag` and `Last-Modified`, so a client polls with `If-None-Match` or
`If-Modified-Since` and gets 304 while nothing it can see changed. A draft shows what is read when
it is shown (the stored rankings, the live missed obligations): its ETag is a digest of the answer
and it carries no `Last-Modified`, and so does a list holding drafts. The list is answered in a
constant number of queries (the validators cost one aggregate query).
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from litigation.permissions import RolePermission
from reports import circulars as services
from reports.circular_filtersets import CircularFilterSet
from reports.circular_models import Circular, CircularImmutable, CircularStatus
from reports.circular_selectors import (
    can_manage_circular,
    can_manage_circulars,
    can_read_circulars,
    circulars_visible_to,
)
from reports.documents import circular_pdf, circular_xlsx, document_filename

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class CircularSerializer(serializers.Serializer):
    """The fields of API.md plus a few more; only the covering texts of a draft are writable."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, allow_null=True, help_text="发文字号, null while a draft")
    title = serializers.CharField(required=False, max_length=200)
    period = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(read_only=True, choices=["monthly", "quarterly", "annual"])
    issuer = serializers.IntegerField(read_only=True)
    issuer_name = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(read_only=True, choices=CircularStatus.choices)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    document_date = serializers.DateField(read_only=True, allow_null=True)
    revision = serializers.IntegerField(read_only=True)
    supersedes = serializers.IntegerField(read_only=True, allow_null=True)
    superseded_by = serializers.IntegerField(read_only=True, allow_null=True)
    computed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    stale = serializers.BooleanField(
        read_only=True,
        help_text="a draft's rankings are being recomputed after late data (publishing waits for them)",
    )
    mark = serializers.CharField(required=False, max_length=60, write_only=True)
    addressee = serializers.CharField(required=False)
    opening = serializers.CharField(required=False)
    requirements = serializers.CharField(required=False, allow_blank=True)
    signature = serializers.CharField(required=False, max_length=60, write_only=True)
    summary = serializers.DictField(read_only=True, help_text="the issuer's metrics (METRICS.md names)")
    rankings = serializers.ListField(child=serializers.DictField(), read_only=True)
    missed = serializers.ListField(child=serializers.DictField(), read_only=True)
    named = serializers.ListField(child=serializers.DictField(), read_only=True)
    interviews = serializers.ListField(child=serializers.DictField(), read_only=True)
    pdf = serializers.URLField(read_only=True)
    xlsx = serializers.URLField(read_only=True)

    def to_representation(self, instance: Circular) -> dict:
        data = services.circular_payload(instance, self.context.get("contents", {}).get(instance.pk))
        request = self.context.get("request")
        base = f"/api/v1/circulars/{instance.pk}/"
        build = request.build_absolute_uri if request is not None else (lambda path: path)
        data["pdf"], data["xlsx"] = build(base + "pdf/"), build(base + "xlsx/")
        return data


class _BinaryRenderer(BaseRenderer):
    """Lets a client ask for the document by its type; errors are still JSON."""

    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class PDFRenderer(_BinaryRenderer):
    media_type, format = PDF, "pdf"


class XLSXRenderer(_BinaryRenderer):
    media_type, format = XLSX, "xlsx"


def _conflict(exc: Exception) -> Response:
    return Response({"detail": str(exc.args[0]) if exc.args else str(exc)}, status=status.HTTP_409_CONFLICT)


def _etag(*parts) -> str:
    return '"' + hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32] + '"'


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _conditional(request, etag: str, last_modified) -> HttpResponse | None:
    """304 when the client's validators still hold (If-None-Match wins over If-Modified-Since)."""
    timestamp = int(last_modified.timestamp()) if last_modified else None
    return get_conditional_response(request, etag=etag, last_modified=timestamp)


def _validators(response, etag: str, last_modified) -> None:
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "private, no-cache"


@extend_schema_view(
    list=extend_schema(
        description="Circulars the caller may see; filters period, kind, issuer, published_after."
    ),
    retrieve=extend_schema(description="One circular; ETag / Last-Modified for conditional GET."),
)
class CircularViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CircularSerializer
    filterset_class = CircularFilterSet
    queryset = Circular.objects.none()
    permission_classes = [RolePermission]

    # RolePermission's questions
    def can_read(self, user) -> bool:
        return can_read_circulars(user)

    def can_write(self, user) -> bool:
        return can_manage_circulars(user)

    def can_write_object(self, user, obj) -> bool:
        return can_manage_circular(user, obj)

    def get_queryset(self):
        return circulars_visible_to(self.request.user).order_by(
            "-period_end", "-period_start", "issuer_id", "-revision", "-id"
        )

    # ---- reads with validators ----

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        stamp = queryset.aggregate(
            n=Count("id", distinct=True),
            drafts=Count("id", distinct=True, filter=Q(status=CircularStatus.DRAFT)),
            last=Max("updated_at"),
            corrected=Max("corrections__updated_at", filter=Q(corrections__status=CircularStatus.PUBLISHED)),
        )
        last = max((t for t in (stamp["last"], stamp["corrected"]) if t), default=None)
        etag = _etag("list", request.user.pk, request.get_full_path(), stamp["n"], last and last.isoformat())
        if stamp["drafts"]:
            # What a draft shows is read when it is shown: only the answer itself tells whether it changed.
            last = None
        else:
            not_modified = _conditional(request, etag, last)
            if not_modified is not None:
                return not_modified
        page = self.paginate_queryset(queryset)
        circulars = list(queryset if page is None else page)
        serializer = self.get_serializer(
            circulars,
            many=True,
            context={**self.get_serializer_context(), "contents": services.circular_contents(circulars)},
        )
        response = Response(serializer.data) if page is None else self.get_paginated_response(serializer.data)
        if stamp["drafts"]:
            etag = _etag(etag, _digest(response.data))
            not_modified = _conditional(request, etag, None)
            if not_modified is not None:
                return not_modified
        _validators(response, etag, last)
        return response

    def _detail_response(self, circular: Circular, request=None) -> Response:
        """The circular with its validators; a 304 when `request`'s still hold. A published circular's
        validators come from its row (and its correction's); a draft's, from what it shows."""
        response = None
        if circular.is_published:
            superseded_at = getattr(circular, "superseded_at", None)
            last = max(t for t in (circular.updated_at, superseded_at) if t)
            etag = _etag(
                "detail",
                circular.pk,
                circular.updated_at.isoformat(),
                getattr(circular, "superseded_by_id", None),
            )
        else:
            response = Response(self.get_serializer(circular).data)
            etag, last = _etag("draft", circular.pk, _digest(response.data)), None
        if request is not None and (not_modified := _conditional(request, etag, last)) is not None:
            return not_modified
        if response is None:
            response = Response(self.get_serializer(circular).data)
        _validators(response, etag, last)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self._detail_response(self.get_object(), request)

    def _fresh(self, pk: int) -> Response:
        return self._detail_response(self.get_queryset().get(pk=pk))

    # ---- writes: drafts only ----

    @extend_schema(
        request=CircularSerializer,
        responses={200: CircularSerializer, 409: OpenApiResponse(description="published")},
    )
    def update(self, request, *args, partial: bool = False, **kwargs):
        circular = self.get_object()
        if circular.is_published:
            return _conflict(CircularImmutable())
        serializer = self.get_serializer(circular, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        texts = {k: v for k, v in serializer.validated_data.items() if k in services.TEXT_FIELDS}
        try:
            services.circular_update_texts(circular=circular, user=request.user, **texts)
        except CircularImmutable as exc:
            return _conflict(exc)
        return self._fresh(circular.pk)

    @extend_schema(
        request=CircularSerializer,
        responses={200: CircularSerializer, 409: OpenApiResponse(description="published")},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(responses={204: None, 409: OpenApiResponse(description="published")})
    def destroy(self, request, *args, **kwargs):
        circular = self.get_object()
        try:
            services.circular_discard(circular=circular, user=request.user)
        except CircularImmutable as exc:
            return _conflict(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={200: CircularSerializer, 409: OpenApiResponse(description="published already")},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        circular = self.get_object()
        try:
            services.circular_publish(circular=circular, user=request.user)
        except CircularImmutable as exc:
            return _conflict(exc)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        return self._fresh(circular.pk)

    @extend_schema(
        request=None, responses={201: CircularSerializer, 409: OpenApiResponse(description="cannot correct")}
    )
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        circular = self.get_object()
        try:
            draft = services.circular_revise(circular=circular, user=request.user)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
        response = self._fresh(draft.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    # ---- documents ----

    def _download(self, content: bytes, content_type: str, filename: str) -> HttpResponse:
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response

    @extend_schema(responses={(200, PDF): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        circular = self.get_object()
        return self._download(circular_pdf(circular), PDF, document_filename(circular, "pdf"))

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, XLSXRenderer])
    def xlsx(self, request, pk=None):
        circular = self.get_object()
        return self._download(circular_xlsx(circular), XLSX, document_filename(circular, "xlsx"))
