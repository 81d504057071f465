from dataclasses import fields

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reports.metrics import RATE_NAMES, Metrics
from reports.periods import Period


class PeriodField(serializers.CharField):
    """A period of METRICS.md (`2023-01`, `2023-Q1`, `2023`) as a `Period`."""

    def to_internal_value(self, data) -> Period:
        try:
            return Period.parse(super().to_internal_value(data))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def to_representation(self, value) -> str:
        return str(value)


class MetricsQuerySerializer(serializers.Serializer):
    period = PeriodField(help_text=_("期间：月份 2023-01、季度 2023-Q1 或年度 2023"))
    agency = serializers.IntegerField(min_value=1, help_text=_("机关 ID：统计该机关及其全部下级机关"))


def _metric_field(name: str) -> serializers.Field:
    if name in RATE_NAMES:
        return serializers.FloatField(allow_null=True, read_only=True)
    return serializers.IntegerField(read_only=True)


class _MetricsSerializer(serializers.Serializer):
    period = PeriodField(read_only=True)
    agency = serializers.IntegerField(read_only=True)

    def to_representation(self, instance) -> dict:
        period, agency, metrics = instance
        return {"period": str(period), "agency": agency.pk, **metrics.for_api()}


# One declared field per figure, so that the OpenAPI schema lists them all.
MetricsSerializer = type(
    "MetricsSerializer",
    (_MetricsSerializer,),
    {
        "__doc__": "`period`, `agency` and every figure of METRICS.md by its name; rates rounded half "
        "to even to 4 places, null where the denominator is 0; also the counts behind each rate.",
        "__module__": __name__,
        **{f.name: _metric_field(f.name) for f in fields(Metrics)},
    },
)
