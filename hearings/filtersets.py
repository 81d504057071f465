"""One FilterSet per model, shared by the list pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from litigation.filters import IdFilter

from .choices import EventKind, HearingStatus
from .models import Appearance, Event, Hearing


class HearingFilterSet(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label=_("案件"))
    court = IdFilter(field_name="case__court_id", label=_("法院"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=HearingStatus.choices)
    date = django_filters.DateFromToRangeFilter(label=_("开庭日期"))
    agency = IdFilter(label=_("被告机关"), field_name="case__defendants__agency", distinct=True)
    number = django_filters.CharFilter(label=_("案号"), field_name="case__number", lookup_expr="icontains")

    class Meta:
        model = Hearing
        fields = ["case", "court", "status", "date", "head_required", "agency", "number"]


class AppearanceFilterSet(django_filters.FilterSet):
    hearing = IdFilter(field_name="hearing_id", label=_("庭审"))
    agency = IdFilter(field_name="agency_id", label=_("被告机关"))
    official = IdFilter(field_name="official_id", label=_("人员"))
    date = django_filters.DateFromToRangeFilter(label=_("开庭日期"), field_name="hearing__date")

    class Meta:
        model = Appearance
        fields = ["hearing", "agency", "official", "spoke", "date"]


class EventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=EventKind.choices)
    date = django_filters.DateFromToRangeFilter(label=_("日期"))
    agency = IdFilter(label=_("参加机关"), field_name="agencies", distinct=True)

    class Meta:
        model = Event
        fields = ["kind", "date", "agency"]
