"""Reads over hearings, appearances and events, always scoped to what the user may see."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from agencies.choices import UserRole
from agencies.scope import scope_root
from cases.models import Defendant
from cases.selectors import cases_visible_to

from .models import AbsenceExplanation, Appearance, Event, HeadFiling, Hearing
from .obligations import annotate_appearance_role, annotate_obligations


def hearings_visible_to(user) -> QuerySet[Hearing]:
    return Hearing.objects.filter(case__in=cases_visible_to(user).values("pk"))


def hearing_list(*, user) -> QuerySet[Hearing]:
    """Hearings with their case, court and the case's obligations (annotated defendants)."""
    obligations = annotate_obligations(Defendant.objects.select_related("agency")).order_by("id")
    return (
        hearings_visible_to(user)
        .select_related("case", "case__court")
        .prefetch_related(Prefetch("case__defendants", queryset=obligations, to_attr="obligations"))
    )


def appearances_visible_to(user) -> QuerySet[Appearance]:
    return Appearance.objects.filter(hearing__in=hearings_visible_to(user).values("pk"))


def appearance_list(*, user) -> QuerySet[Appearance]:
    return annotate_appearance_role(
        appearances_visible_to(user).select_related("hearing", "hearing__case", "agency", "official")
    )


def hearing_sheet(*, hearing: Hearing) -> dict:
    """Everything the hearing sheet shows for one hearing, in a fixed number of queries."""
    appearances = annotate_appearance_role(
        Appearance.objects.filter(hearing=hearing).select_related("agency", "official")
    )
    return {
        "obligations": list(
            annotate_obligations(
                Defendant.objects.filter(case_id=hearing.case_id).select_related("agency")
            ).order_by("id")
        ),
        "appearances": list(appearances),
        "absences": list(AbsenceExplanation.objects.filter(hearing=hearing).select_related("agency")),
        "filings": list(HeadFiling.objects.filter(hearing=hearing).select_related("agency", "official")),
    }


def events_visible_to(user) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    if user.is_superuser or user.role == UserRole.LIAISON:
        return Event.objects.all()
    if user.role in (UserRole.OFFICER, UserRole.AGENCY) and user.agency_id:
        path = scope_root(user).path
        return Event.objects.filter(
            Exists(
                Event.agencies.through.objects.filter(event_id=OuterRef("pk"), agency__path__startswith=path)
            )
        )
    return Event.objects.none()


def event_list(*, user) -> QuerySet[Event]:
    return events_visible_to(user).select_related("hearing").prefetch_related("agencies", "officials")
