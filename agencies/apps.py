from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("机关与人员")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import sync_officer_group

        post_migrate.connect(sync_officer_group, dispatch_uid="agencies.sync_officer_group")
