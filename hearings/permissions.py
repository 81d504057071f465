"""Who may write hearings, appearances, filings, absence explanations and events."""

from agencies.choices import UserRole
from agencies.models import Agency
from agencies.scope import can_manage_directory
from cases.permissions import can_write_cases

from .models import Hearing


def can_write_hearing(user, hearing: Hearing | None = None, case=None) -> bool:
    """Liaison staff record hearings and appearances at their courts."""
    case = case or (hearing.case if hearing else None)
    return can_write_cases(user, court=case.court if case else None)


def can_file_for_agency(user, agency: Agency) -> bool:
    """Agency users file the appearing head and absence explanations for their own agency's scope."""
    if user.is_superuser:
        return True
    return user.role == UserRole.AGENCY and user.agency_id is not None and agency.is_in_scope_of(user.agency)


def can_write_events(user, agencies=()) -> bool:
    return can_manage_directory(user) and all(can_manage_directory(user, a) for a in agencies)


def can_read_events(user) -> bool:
    """Officers and agency users read events in their scope, liaison staff all of them; API clients none."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role in (UserRole.OFFICER, UserRole.LIAISON, UserRole.AGENCY)
