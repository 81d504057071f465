"""The base viewset of the REST API: reads through a selector, writes through services."""

from django.db.models import Model
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from litigation.api import VERSION_FIELD, etag_of, expected_version
from litigation.errors import StaleVersion
from litigation.permissions import RolePermission


class ServiceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A resource read through a selector and written through services.

    Subclasses define `get_queryset()` (the scoped selector: outside it is a 404; the class attribute
    `queryset = Model.objects.none()` only names the model for the schema), the role
    predicates `can_read`, `can_write` and `can_write_object` (see RolePermission), and the service
    calls `create_object(data)` and `update_object(instance, data, version)`. Serializers validate
    shape only; after a write the object is read back through the selector, so the response shows
    exactly what a GET would. Objects with a `version` carry it as the ETag.
    """

    permission_classes = [RolePermission]

    def can_read(self, user) -> bool:
        return True

    def can_write(self, user) -> bool:
        return False

    def can_write_object(self, user, obj) -> bool:
        return self.can_write(user)

    def create_object(self, data: dict) -> Model:
        raise NotImplementedError

    def update_object(self, instance: Model, data: dict, version: int | None) -> Model:
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object(), status.HTTP_200_OK, reread=False)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop(VERSION_FIELD, None)
        return self._respond(self.create_object(data), status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = None
        if hasattr(instance, VERSION_FIELD):
            version = expected_version(request, instance, data.pop(VERSION_FIELD, None))
        # Services write a fresh row, not the selector's copy with its prefetched relations.
        fresh = type(instance)._default_manager.get(pk=instance.pk)
        return self._respond(self.update_object(fresh, data, version), status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _respond(self, instance: Model, code: int, reread: bool = True) -> Response:
        if reread:
            instance = self.get_queryset().get(pk=instance.pk)
        headers = {}
        if etag := etag_of(instance):
            headers["ETag"] = etag
        return Response(self.get_serializer(instance).data, status=code, headers=headers)


class ServiceDestroyMixin:
    """DELETE through `delete_object(instance)`; an If-Match naming an old version answers 409."""

    def delete_object(self, instance: Model) -> None:
        raise NotImplementedError

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        if hasattr(instance, VERSION_FIELD):
            expected = expected_version(request, instance, None)
            if expected is not None and expected != instance.version:
                raise StaleVersion(instance.version)
        self.delete_object(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)
