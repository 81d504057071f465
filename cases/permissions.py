"""Who may write cases and disputes (reads are scoped in selectors)."""

from agencies.choices import UserRole
from agencies.models import Agency, Court


def can_write_cases(user, court: Court | None = None) -> bool:
    """Liaison staff write cases at the courts they are assigned to."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role != UserRole.LIAISON:
        return False
    return court is None or user.courts.filter(pk=court.pk).exists()


def can_write_disputes(user, agency: Agency | None = None) -> bool:
    """Officers run the settlement centre for their government's scope."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role != UserRole.OFFICER or not user.agency_id:
        return False
    return agency is None or agency.is_in_scope_of(user.agency)


def can_view_history(user) -> bool:
    """Officers (and superusers) read who changed what on cases, hearings and appearances."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == UserRole.OFFICER))


def can_read_cases(user) -> bool:
    """Officers, liaison staff and agency users read cases (each within their scope); API clients do not."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role in (UserRole.OFFICER, UserRole.LIAISON, UserRole.AGENCY)


def can_read_disputes(user) -> bool:
    """Disputes are read by officers and agency users in their scope; not by liaison staff or API clients."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role in (UserRole.OFFICER, UserRole.AGENCY)
