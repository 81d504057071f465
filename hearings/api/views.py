"""REST endpoints for hearings, appearances and events: reads through hearings.selectors, writes through
hearings.services."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from agencies.scope import can_manage_directory
from cases.permissions import can_read_cases, can_write_cases
from hearings import services
from hearings.choices import ExternalCapacity
from hearings.filtersets import AppearanceFilterSet, EventFilterSet, HearingFilterSet
from hearings.models import Appearance, Event, Hearing
from hearings.permissions import can_read_events, can_write_events, can_write_hearing
from hearings.selectors import appearance_list, event_list, hearing_list
from litigation.viewsets import ServiceDestroyMixin, ServiceViewSet

from .serializers import AppearanceSerializer, EventSerializer, HearingSerializer


class CourtRecordViewSet(ServiceDestroyMixin, ServiceViewSet):
    """Hearings and appearances: liaison staff write them at their courts; readers of cases read them."""

    def can_read(self, user) -> bool:
        return can_read_cases(user)

    def can_write(self, user) -> bool:
        return can_write_cases(user)


class HearingViewSet(CourtRecordViewSet):
    queryset = Hearing.objects.none()
    serializer_class = HearingSerializer
    filterset_class = HearingFilterSet

    def get_queryset(self):
        return hearing_list(user=self.request.user)

    def can_write_object(self, user, obj) -> bool:
        return can_write_hearing(user, hearing=obj)

    def create_object(self, data):
        if not can_write_hearing(self.request.user, case=data["case"]):
            raise serializers.ValidationError({"case": [_("您不能为该法院的案件登记庭审。")]})
        return services.hearing_create(**data)

    def update_object(self, instance, data, version):
        case = data.pop("case", None)
        if case is not None and case.pk != instance.case_id:
            raise serializers.ValidationError({"case": [_("庭审所属案件不能修改；请在该案件下新建庭审。")]})
        return services.hearing_update(hearing=instance, version=version, **data)

    def delete_object(self, instance):
        services.hearing_delete(hearing=instance)


class AppearanceViewSet(CourtRecordViewSet):
    queryset = Appearance.objects.none()
    serializer_class = AppearanceSerializer
    filterset_class = AppearanceFilterSet

    def get_queryset(self):
        return appearance_list(user=self.request.user)

    def can_write_object(self, user, obj) -> bool:
        return can_write_hearing(user, hearing=obj.hearing)

    def _check_hearing(self, hearing) -> None:
        if not can_write_hearing(self.request.user, hearing=hearing):
            raise serializers.ValidationError({"hearing": [_("您不能为该法院的庭审登记出庭情况。")]})

    def create_object(self, data):
        self._check_hearing(data["hearing"])
        return services.appearance_create(**data)

    def update_object(self, instance, data, version):
        if "hearing" in data and data["hearing"].pk != instance.hearing_id:
            self._check_hearing(data["hearing"])
        # Naming one kind of person replaces the other (exactly one of official / person_name).
        if data.get("official"):
            data.setdefault("person_name", "")
        elif data.get("person_name"):
            data.setdefault("official", None)
            if not instance.capacity:
                data.setdefault("capacity", ExternalCapacity.STAFF)
        return services.appearance_update(appearance=instance, **data)

    def delete_object(self, instance):
        services.appearance_delete(appearance=instance)


class EventViewSet(ServiceViewSet):
    """Officers record trial observations and trainings for agencies in their scope."""

    queryset = Event.objects.none()
    serializer_class = EventSerializer
    filterset_class = EventFilterSet

    def get_queryset(self):
        return event_list(user=self.request.user)

    def can_read(self, user) -> bool:
        return can_read_events(user)

    def can_write(self, user) -> bool:
        return can_manage_directory(user)

    def can_write_object(self, user, obj) -> bool:
        return can_write_events(user, obj.agencies.all())

    def _check_agencies(self, agencies) -> None:
        # An officer's event must name an agency of their scope, or they could not see it afterwards.
        if not self.request.user.is_superuser and not agencies:
            raise serializers.ValidationError({"agencies": [_("请至少选择一个参加机关。")]})

    def create_object(self, data):
        self._check_agencies(data.get("agencies"))
        return services.event_create(**data)

    def update_object(self, instance, data, version):
        if "agencies" in data:
            self._check_agencies(data["agencies"])
        return services.event_update(event=instance, **data)
