"""The values a row has in the database just before it is saved, for the receivers that need to know
what a save changes (reports.facts, reports.signals).

Read at pre_save (one query per save of these models), not remembered when an instance is loaded:
an admin revert saves an instance built from a historical record, and loads are far more frequent
than saves.
"""

from agencies.models import Agency, Position
from cases.models import Case, Defendant, Dispute
from hearings.models import Appearance, Event, Hearing

ATTRIBUTE = "_reports_previous"
TRACKED_FIELDS = {
    Agency: ("parent_id", "active_from", "active_until"),
    Appearance: ("hearing_id",),
    Case: ("filed_on", "concluded_on"),
    Defendant: ("case_id", "agency_id", "outcome", "head_waived"),
    Dispute: ("resolved_on", "status", "head_participated", "agency_id"),
    Event: ("date",),
    Hearing: ("case_id", "date", "status"),
    Position: ("agency_id", "start_date", "end_date", "role", "official_id"),
}


def read_previous(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save: the tracked values of the row in the database ({} for a new row or a fixture)."""
    values = {}
    if not raw and instance.pk is not None and not instance._state.adding:
        values = sender._base_manager.filter(pk=instance.pk).values(*TRACKED_FIELDS[sender]).first() or {}
    setattr(instance, ATTRIBUTE, values)


def previous(instance) -> dict:
    """What read_previous found for the save being handled ({} outside a save or for a new row)."""
    return getattr(instance, ATTRIBUTE, {})


def connect() -> None:
    """Called once from ReportsConfig.ready(), before the receivers that read previous()."""
    from django.db.models.signals import pre_save

    for model in TRACKED_FIELDS:
        pre_save.connect(read_previous, sender=model, dispatch_uid=f"reports.previous.{model.__name__}")
