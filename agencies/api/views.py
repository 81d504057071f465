"""REST endpoints for agencies, officials, posts and courts, and the token login."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

from agencies import services
from agencies.filtersets import AgencyFilterSet, CourtFilterSet, OfficialFilterSet, PositionFilterSet
from agencies.models import Agency, Court, Official, Position
from agencies.scope import (
    agencies_visible_to,
    can_manage_courts,
    can_manage_directory,
    can_place_agency,
    courts_visible_to,
    has_directory_access,
    officials_manageable_by,
    officials_visible_to,
    positions_visible_to,
)
from litigation.security import lockout_response
from litigation.viewsets import ServiceViewSet

from .serializers import AgencySerializer, CourtSerializer, OfficialSerializer, PositionSerializer


class DirectoryViewSet(ServiceViewSet):
    """Everyone with a role reads the directory in their scope; officers write it in their scope."""

    def can_read(self, user) -> bool:
        return has_directory_access(user)

    def can_write(self, user) -> bool:
        return can_manage_directory(user)


class AgencyViewSet(DirectoryViewSet):
    queryset = Agency.objects.none()
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet

    def get_queryset(self):
        return agencies_visible_to(self.request.user)

    def can_write_object(self, user, obj) -> bool:
        return can_manage_directory(user, obj)

    def _check_parent(self, parent: Agency | None) -> None:
        if not can_place_agency(self.request.user, parent):
            raise serializers.ValidationError(
                {"parent": [_("只能在本级政府管辖范围内的机关下设立或调整机关。")]}
            )

    def create_object(self, data):
        self._check_parent(data.get("parent"))
        return services.agency_create(**data)

    def update_object(self, instance, data, version):
        if "parent" in data and getattr(data["parent"], "pk", None) != instance.parent_id:
            self._check_parent(data["parent"])
        return services.agency_update(agency=instance, **data)


class OfficialViewSet(DirectoryViewSet):
    queryset = Official.objects.none()
    serializer_class = OfficialSerializer
    filterset_class = OfficialFilterSet

    def get_queryset(self):
        user = self.request.user
        # Writers also see the officials they registered that hold no post yet.
        return officials_manageable_by(user) if can_manage_directory(user) else officials_visible_to(user)

    def create_object(self, data):
        return services.official_create(**data)

    def update_object(self, instance, data, version):
        return services.official_update(official=instance, **data)


class PositionViewSet(DirectoryViewSet):
    queryset = Position.objects.none()
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet

    def get_queryset(self):
        return positions_visible_to(self.request.user)

    def can_write_object(self, user, obj) -> bool:
        return can_manage_directory(user, obj.agency)

    def create_object(self, data):
        return services.position_create(**data)

    def update_object(self, instance, data, version):
        return services.position_update(position=instance, **data)


class CourtViewSet(ServiceViewSet):
    queryset = Court.objects.none()
    serializer_class = CourtSerializer
    filterset_class = CourtFilterSet

    def get_queryset(self):
        return courts_visible_to(self.request.user)

    def can_read(self, user) -> bool:
        return has_directory_access(user)

    def can_write(self, user) -> bool:
        return can_manage_courts(user)

    def create_object(self, data):
        return services.court_create(**data)

    def update_object(self, instance, data, version):
        return services.court_update(court=instance, **data)


class TokenView(ObtainAuthToken):
    """`POST {"username", "password"}` → `{"token"}`: the key for `Authorization: Token <key>`.
    Too many wrong passwords lock the username at that address, as on the login page: 429."""

    authentication_classes = ()

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except serializers.ValidationError:
            # django-axes marks the request it was given: here DRF's, which its middleware never sees.
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request._request)
            raise
