"""The case models on the officers' recent-changes page (see agencies/audit.py)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from agencies.audit import FeedSource, Names, register_feed_source
from agencies.models import Agency

from .models import Case, Defendant


def case_in_scope(root: Agency, case_field: str):
    """History rows whose case had, at any time, a defendant in `root`'s scope (deleted cases too)."""
    return Exists(
        Defendant.history.model.objects.filter(
            case_id=OuterRef(case_field), agency__path__startswith=root.path
        )
    )


register_feed_source(
    FeedSource(
        model=Case,
        scope=lambda root: case_in_scope(root, "id"),
        title=lambda record, names: record.number,
        url=lambda record: reverse("cases:detail", args=[record.id]),
    )
)


def _defendant_title(record, names: Names) -> str:
    return f"{names.get(Case, record.case_id)} · {names.get(Agency, record.agency_id)}"


register_feed_source(
    FeedSource(
        model=Defendant,
        scope=lambda root: case_in_scope(root, "case_id"),
        title=_defendant_title,
        title_refs=("case", "agency"),
        url=lambda record: reverse("cases:detail", args=[record.case_id]),
    )
)
