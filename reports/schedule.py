"""The beat schedule, in code, synced into django-celery-beat so that it shows (and can be edited or
disabled) in the admin.

`sync_schedule()` creates the entries that are missing and leaves the ones that exist alone, so an
officer's change in the admin survives deployments; `sync_schedule(reset=True)` (the command
`manage.py sync_schedule --reset`) puts the code's schedule back. It runs after every `migrate`.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction


@dataclass(frozen=True)
class Entry:
    name: str
    task: str
    kwargs: dict
    minute: str
    hour: str
    day_of_month: str
    month_of_year: str
    description: str


SCHEDULE = (
    Entry(
        name="rankings: monthly",
        task="reports.tasks.rankings_previous_period_task",
        kwargs={"kind": "month"},
        minute="0",
        hour="1",
        day_of_month="1",
        month_of_year="*",
        description="月通报：每月1日01:00计算上月排名",
    ),
    Entry(
        name="rankings: quarterly",
        task="reports.tasks.rankings_previous_period_task",
        kwargs={"kind": "quarter"},
        minute="30",
        hour="1",
        day_of_month="1",
        month_of_year="1,4,7,10",
        description="季排名：1月、4月、7月、10月1日01:30计算上季度排名",
    ),
    Entry(
        name="rankings: annual",
        task="reports.tasks.rankings_previous_period_task",
        kwargs={"kind": "year"},
        minute="0",
        hour="2",
        day_of_month="1",
        month_of_year="1",
        description="年总结：1月1日02:00计算上年度排名",
    ),
)


def sync_schedule(*, reset: bool = False, using: str = "default") -> list[str]:
    """Create the missing beat entries (or, with reset, overwrite them); returns the names written."""
    with transaction.atomic(using=using):
        return _sync(reset=reset, using=using)


def _sync(*, reset: bool, using: str) -> list[str]:
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    written = []
    for entry in SCHEDULE:
        existing = PeriodicTask.objects.using(using).filter(name=entry.name).first()
        if existing is not None and not reset:
            continue
        crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
            minute=entry.minute,
            hour=entry.hour,
            day_of_week="*",
            day_of_month=entry.day_of_month,
            month_of_year=entry.month_of_year,
            timezone=settings.TIME_ZONE,
        )
        task = existing or PeriodicTask(name=entry.name)
        task.task = entry.task
        task.crontab = crontab
        task.interval = task.solar = task.clocked = None
        task.kwargs = json.dumps(entry.kwargs)
        task.args = "[]"
        task.description = entry.description
        task.enabled = True
        task.one_off = False
        task.save(using=using)
        written.append(entry.name)
    return written


def sync_schedule_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver: make sure the schedule exists once the beat tables do."""
    sync_schedule(using=using)
