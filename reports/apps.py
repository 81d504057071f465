from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("统计与通报")

    def ready(self):
        from . import (
            checks,  # noqa: F401
            facts,
            previous,
            signals,
        )
        from .schedule import sync_schedule_after_migrate

        previous.connect()
        facts.connect()
        signals.connect()
        post_migrate.connect(sync_schedule_after_migrate, sender=self, dispatch_uid="reports.sync_schedule")
        post_migrate.connect(facts.fill_after_migrate, sender=self, dispatch_uid="reports.facts_fill")
