"""One FilterSet per model, shared by the list pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from litigation.filters import IdFilter

from .choices import AgencyKind, PositionRole
from .models import Agency, Court, Official, Position


class AgencyFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=AgencyKind.choices)
    parent = IdFilter(label=_("上级机关"), field_name="parent_id")
    within = IdFilter(label=_("所属范围"), method="filter_within")

    class Meta:
        model = Agency
        fields = ["name", "kind", "parent", "within"]

    def filter_within(self, queryset, name, value):
        root = Agency.objects.filter(pk=value).first()
        return queryset.in_scope_of(root) if root else queryset.none()


class OfficialFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="icontains")
    agency = IdFilter(label=_("任职机关"), field_name="positions__agency", distinct=True)

    class Meta:
        model = Official
        fields = ["name", "agency"]


class PositionFilterSet(django_filters.FilterSet):
    official = IdFilter(field_name="official_id", label=_("人员"))
    agency = IdFilter(field_name="agency_id", label=_("机关"))
    role = django_filters.ChoiceFilter(label=_("角色"), choices=PositionRole.choices)
    start_date = django_filters.DateFromToRangeFilter(label=_("任职日期"))
    end_date = django_filters.DateFromToRangeFilter(label=_("离任日期"))
    held_on = django_filters.DateFilter(label=_("某日在任"), method="filter_held_on")

    class Meta:
        model = Position
        fields = ["official", "agency", "role", "start_date", "end_date", "held_on"]

    def filter_held_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=value)
        )


class CourtFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="icontains")

    class Meta:
        model = Court
        fields = ["name", "level", "code"]
