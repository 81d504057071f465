"""DRF permission classes shared by the apps' viewsets; the predicates themselves live in the apps."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class RolePermission(BasePermission):
    """Asks the viewset: `can_read(user)`, `can_write(user)` and `can_write_object(user, obj)`.

    A role that may not read the resource gets 403 on everything; a role that reads but may not
    write gets 403 on writes. Scope is not checked here: an object outside the user's scope is not
    in the viewset's queryset, so it is a 404 before the object check runs.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not view.can_read(user):
            return False
        return request.method in SAFE_METHODS or view.can_write(user)

    def has_object_permission(self, request, view, obj) -> bool:
        return request.method in SAFE_METHODS or view.can_write_object(request.user, obj)
