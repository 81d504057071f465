"""REST endpoints for cases and disputes: reads through cases.selectors, writes through cases.services."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from cases import services
from cases.filtersets import CaseFilterSet, DisputeFilterSet
from cases.models import Case, Dispute
from cases.permissions import can_read_cases, can_read_disputes, can_write_cases, can_write_disputes
from cases.selectors import case_list, dispute_list
from litigation.viewsets import ServiceDestroyMixin, ServiceViewSet

from .serializers import CaseSerializer, DisputeSerializer


class CaseViewSet(ServiceDestroyMixin, ServiceViewSet):
    """Liaison staff write the cases at their courts; officers and agency users read theirs."""

    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet

    def get_queryset(self):
        return case_list(user=self.request.user)

    def can_read(self, user) -> bool:
        return can_read_cases(user)

    def can_write(self, user) -> bool:
        return can_write_cases(user)

    def can_write_object(self, user, obj) -> bool:
        return can_write_cases(user, court=obj.court)

    def _check_court(self, court) -> None:
        if not can_write_cases(self.request.user, court=court):
            raise serializers.ValidationError(
                {"court": [_("您未被指派负责“%(court)s”，不能登记该法院的案件。") % {"court": court.name}]}
            )

    def create_object(self, data):
        self._check_court(data["court"])
        return services.case_create(**data)

    def update_object(self, instance, data, version):
        if "court" in data and data["court"].pk != instance.court_id:
            self._check_court(data["court"])
        return services.case_update(case=instance, version=version, **data)

    def delete_object(self, instance):
        services.case_delete(case=instance)


class DisputeViewSet(ServiceViewSet):
    """Officers run the settlement centre for their scope; agency users read their own disputes."""

    queryset = Dispute.objects.none()
    serializer_class = DisputeSerializer
    filterset_class = DisputeFilterSet

    def get_queryset(self):
        return dispute_list(user=self.request.user)

    def can_read(self, user) -> bool:
        return can_read_disputes(user)

    def can_write(self, user) -> bool:
        return can_write_disputes(user)

    def can_write_object(self, user, obj) -> bool:
        return can_write_disputes(user, agency=obj.agency)

    def create_object(self, data):
        return services.dispute_create(**data)

    def update_object(self, instance, data, version):
        return services.dispute_update(dispute=instance, **data)
