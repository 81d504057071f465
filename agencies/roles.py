"""Officers configure the portal in the Django admin: staff access plus one group of model permissions.

Only configuration that is not scoped to a government is granted here; webhooks and rankings have
their own scoped pages in the portal.

Permissions are named by "app_label.codename" so that this app needs no import of the apps above it;
names that do not exist (an app not installed) are ignored.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

OFFICER_GROUP = "司法局工作人员"
OFFICER_PERMISSIONS = (
    "cases.add_domain",
    "cases.change_domain",
    "cases.view_domain",
    "agencies.view_court",
    "agencies.add_court",
    "agencies.change_court",
    "django_celery_beat.view_periodictask",
    "django_celery_beat.change_periodictask",
    "django_celery_beat.view_crontabschedule",
    "reports.view_computationrun",
)


def officer_group() -> Group:
    group, _ = Group.objects.get_or_create(name=OFFICER_GROUP)
    return group


def sync_officer_group(**kwargs) -> None:
    """post_migrate: keep the officers' group holding exactly OFFICER_PERMISSIONS."""
    query = Q(pk__in=[])
    for name in OFFICER_PERMISSIONS:
        app_label, codename = name.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    officer_group().permissions.set(Permission.objects.filter(query))


def apply_role_access(user) -> None:
    """After saving a user: officers get staff access and the officers' group; others lose both."""
    from .choices import UserRole

    is_officer = user.role == UserRole.OFFICER and user.is_active
    if not user.is_superuser and user.is_staff != is_officer:
        type(user).objects.filter(pk=user.pk).update(is_staff=is_officer)
        user.is_staff = is_officer
    group = officer_group()
    if is_officer:
        user.groups.add(group)
    else:
        user.groups.remove(group)
