"""The one FilterSet of circulars, shared by the list page and `GET /api/v1/circulars/`."""

import django_filters
from django.utils.translation import gettext_lazy as _

from litigation.filters import IdFilter

from .circular_models import Circular, CircularKind, CircularStatus
from .periods import Period


def validate_period(value: str) -> None:
    Period.parse(value)  # raises ValidationError with the message METRICS.md asks for


class CircularFilterSet(django_filters.FilterSet):
    period = django_filters.CharFilter(label=_("期间"), validators=[validate_period])
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=CircularKind.choices)
    issuer = IdFilter(field_name="issuer_id", label=_("发文机关"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=CircularStatus.choices)
    # Inclusive ISO dates in the portal's time zone (API.md `<field>_after` / `<field>_before`).
    published_after = django_filters.DateFilter(
        field_name="published_at", lookup_expr="date__gte", label=_("发布日期起")
    )
    published_before = django_filters.DateFilter(
        field_name="published_at", lookup_expr="date__lte", label=_("发布日期止")
    )

    class Meta:
        model = Circular
        fields = ["period", "kind", "issuer", "status", "published_after", "published_before"]
