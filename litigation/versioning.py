"""Optimistic locking: a write names the version it read; a stale one changes nothing."""

from django.db import models
from django.db.models import F

from litigation.errors import StaleVersion


def claim_version(instance: models.Model, expected: int | None) -> None:
    """Bump `instance.version` in the database if it still equals `expected`, else raise StaleVersion.

    Call inside the writing transaction, before saving the new field values. `expected=None`
    (a client that sent no version) takes the current one: last write wins, as API.md allows.
    """
    model = type(instance)
    if expected is None:
        expected = model.objects.filter(pk=instance.pk).values_list("version", flat=True).get()
    updated = model.objects.filter(pk=instance.pk, version=expected).update(version=F("version") + 1)
    if not updated:
        raise StaleVersion(model.objects.filter(pk=instance.pk).values_list("version", flat=True).get())
    instance.version = expected + 1
