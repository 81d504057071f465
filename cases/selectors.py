"""Reads over cases and disputes, always scoped to what the user may see."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from agencies.choices import UserRole
from agencies.scope import scope_root

from .models import Case, Defendant, Dispute


def cases_visible_to(user) -> QuerySet[Case]:
    """Liaison staff: cases at their courts. Officers and agency users: cases with a defendant in their
    scope. API clients: none (they read figures, not cases)."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    if user.role == UserRole.LIAISON:
        return Case.objects.filter(court__in=user.courts.values("pk"))
    if user.role in (UserRole.OFFICER, UserRole.AGENCY) and user.agency_id:
        root = scope_root(user)
        return Case.objects.filter(
            Exists(Defendant.objects.filter(case_id=OuterRef("pk"), agency__path__startswith=root.path))
        )
    return Case.objects.none()


def case_list(*, user) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .select_related("court", "domain", "previous_case")
        .prefetch_related(
            Prefetch("defendants", queryset=Defendant.objects.select_related("agency").order_by("id"))
        )
    )


def disputes_visible_to(user) -> QuerySet[Dispute]:
    if not user.is_authenticated:
        return Dispute.objects.none()
    if user.is_superuser:
        return Dispute.objects.all()
    if user.role in (UserRole.OFFICER, UserRole.AGENCY) and user.agency_id:
        return Dispute.objects.filter(agency__path__startswith=scope_root(user).path)
    return Dispute.objects.none()


def dispute_list(*, user) -> QuerySet[Dispute]:
    return disputes_visible_to(user).select_related("agency", "case").prefetch_related("heads")
