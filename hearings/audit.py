"""The hearing models on the officers' recent-changes page (see agencies/audit.py)."""

from django.db.models import Q
from django.urls import reverse

from agencies.audit import FeedSource, Names, register_feed_source
from agencies.models import Agency, Official
from cases.audit import case_in_scope
from cases.models import Case

from .models import Appearance, Hearing


def _hearing_title(record, names: Names) -> str:
    return f"{names.get(Case, record.case_id)} · {record.date.isoformat()}"


register_feed_source(
    FeedSource(
        model=Hearing,
        scope=lambda root: case_in_scope(root, "case_id"),
        title=_hearing_title,
        title_refs=("case",),
        url=lambda record: reverse("hearings:detail", args=[record.id]),
    )
)


def _appearance_title(record, names: Names) -> str:
    person = names.get(Official, record.official_id) if record.official_id else record.person_name
    return f"{names.get(Hearing, record.hearing_id)} · {names.get(Agency, record.agency_id)} · {person}"


register_feed_source(
    FeedSource(
        model=Appearance,
        # The appearing agency is always a defendant of the case.
        scope=lambda root: Q(agency__path__startswith=root.path),
        title=_appearance_title,
        title_refs=("hearing", "agency", "official"),
        url=lambda record: reverse("hearings:detail", args=[record.hearing_id]),
    )
)
