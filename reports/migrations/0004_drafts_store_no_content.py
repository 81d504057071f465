"""Drafts no longer store content: what a draft shows is read when it is shown
(reports.circulars.circular_contents). Clears the copies stored before, so the admin and the
database hold no outdated figures for drafts. Published circulars are untouched."""

from django.db import migrations


def clear_draft_contents(apps, schema_editor):
    Circular = apps.get_model("reports", "Circular")
    Circular.objects.filter(status="draft").exclude(content={}).update(content={})


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_defendant_facts")]

    operations = [migrations.RunPython(clear_draft_contents, migrations.RunPython.noop)]
