"""One FilterSet per model, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from litigation.filters import IdFilter

from .choices import DisputeStatus, Outcome, PlaintiffKind, Stage
from .models import Case, Dispute


class CaseFilterSet(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("案号"), method="filter_number")
    court = IdFilter(field_name="court_id", label=_("法院"))
    stage = django_filters.ChoiceFilter(label=_("审级"), choices=Stage.choices)
    plaintiff_kind = django_filters.ChoiceFilter(label=_("原告类型"), choices=PlaintiffKind.choices)
    domain = IdFilter(field_name="domain_id", label=_("行政管理领域"))
    agency = IdFilter(label=_("被告机关"), field_name="defendants__agency", distinct=True)
    outcome = django_filters.ChoiceFilter(
        label=_("裁判结果"), field_name="defendants__outcome", choices=Outcome.choices, distinct=True
    )
    filed_on = django_filters.DateFromToRangeFilter(label=_("立案日期"))
    concluded_on = django_filters.DateFromToRangeFilter(label=_("结案日期"))
    concluded = django_filters.BooleanFilter(
        label=_("已结案"), field_name="concluded_on", lookup_expr="isnull", exclude=True
    )
    year = django_filters.NumberFilter(label=_("年份"))

    class Meta:
        model = Case
        fields = [
            "number",
            "court",
            "stage",
            "plaintiff_kind",
            "domain",
            "agency",
            "outcome",
            "filed_on",
            "year",
        ]

    def filter_number(self, queryset, name, value):
        text = value.strip().replace("(", "（").replace(")", "）")
        return queryset.filter(number__icontains=text)


class DisputeFilterSet(django_filters.FilterSet):
    agency = IdFilter(field_name="agency_id", label=_("被申请机关"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=DisputeStatus.choices)
    received_on = django_filters.DateFromToRangeFilter(label=_("受理日期"))
    resolved_on = django_filters.DateFromToRangeFilter(label=_("化解日期"))

    class Meta:
        model = Dispute
        fields = ["agency", "status", "head_participated", "received_on", "resolved_on", "case"]
