"""What each user may see: the one place that turns a user into querysets.

| role        | agencies visible                     |
| ----------- | ------------------------------------ |
| superuser   | all                                  |
| officer     | their government's scope             |
| agency user | their agency's scope                 |
| api client  | their issuer's scope                 |
| liaison     | all (the directory they record from) |
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .choices import UserRole
from .models import Agency, Court, Official, Position


def scope_root(user) -> Agency | None:
    """The agency whose scope bounds the user's view, or None for no agency bound."""
    if user.is_superuser or user.role == UserRole.LIAISON:
        return None
    return user.agency


def has_directory_access(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in UserRole.values))


def agencies_visible_to(user) -> QuerySet[Agency]:
    if not has_directory_access(user):
        return Agency.objects.none()
    root = scope_root(user)
    if root is None:
        if user.is_superuser or user.role == UserRole.LIAISON:
            return Agency.objects.all()
        return Agency.objects.none()
    return Agency.objects.in_scope_of(root)


def agency_q(user, field: str = "agency") -> Q:
    """A filter on `<field>__path` that keeps rows whose agency the user may see."""
    root = scope_root(user)
    if root is None:
        return Q() if (user.is_superuser or user.role == UserRole.LIAISON) else Q(pk__in=[])
    return Q(**{f"{field}__path__startswith": root.path})


def positions_visible_to(user) -> QuerySet[Position]:
    if not has_directory_access(user):
        return Position.objects.none()
    return Position.objects.filter(agency_q(user))


def officials_visible_to(user) -> QuerySet[Official]:
    """Officials who held any post in the user's scope (everyone for superusers and liaison staff)."""
    if not has_directory_access(user):
        return Official.objects.none()
    if scope_root(user) is None:
        return Official.objects.all()
    return Official.objects.filter(pk__in=Position.objects.filter(agency_q(user)).values("official_id"))


def courts_visible_to(user) -> QuerySet[Court]:
    if not has_directory_access(user):
        return Court.objects.none()
    return Court.objects.all()


def can_manage_directory(user, agency: Agency | None = None) -> bool:
    """Officers write agencies, officials, positions and events in their government's scope."""
    if user.is_superuser:
        return True
    if user.role != UserRole.OFFICER or user.agency is None:
        return False
    return agency is None or agency.is_in_scope_of(user.agency)


def can_manage_courts(user) -> bool:
    """Officers keep the list of courts (courts are not scoped)."""
    return can_manage_directory(user)


def can_place_agency(user, parent: Agency | None) -> bool:
    """Whether the user may put an agency under `parent`; a root agency (no parent) is for superusers."""
    if user.is_superuser:
        return True
    return parent is not None and can_manage_directory(user, parent)


def officials_manageable_by(user) -> QuerySet[Official]:
    """Officials a directory writer may edit and appoint: those in their scope, plus officials who hold
    no post anywhere yet (just registered, or whose posts all were removed)."""
    if not can_manage_directory(user):
        return Official.objects.none()
    if scope_root(user) is None:
        return Official.objects.all()
    return Official.objects.filter(
        Q(pk__in=Position.objects.filter(agency_q(user)).values("official_id"))
        | ~Exists(Position.objects.filter(official_id=OuterRef("pk")))
    )
