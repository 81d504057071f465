"""The beat schedule: in code, synced into django-celery-beat, and what each job computes."""

import datetime
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from reports.models import ComputationRun, RankingTable
from reports.schedule import SCHEDULE, sync_schedule
from reports.tasks import rankings_previous_period_task

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_schedule_entries_exist_after_sync_with_their_crontabs():
    PeriodicTask.objects.filter(name__startswith="rankings:").delete()
    sync_schedule()
    tasks = {t.name: t for t in PeriodicTask.objects.select_related("crontab")}
    expected = {
        "rankings: monthly": ("0", "1", "1", "*", "month"),
        "rankings: quarterly": ("30", "1", "1", "1,4,7,10", "quarter"),
        "rankings: annual": ("0", "2", "1", "1", "year"),
    }
    for name, (minute, hour, day, months, kind) in expected.items():
        task = tasks[name]
        cron = task.crontab
        assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year) == (minute, hour, day, months)
        assert str(cron.timezone) == "Asia/Shanghai"
        assert task.task == "reports.tasks.rankings_previous_period_task" and task.enabled
        assert json.loads(task.kwargs) == {"kind": kind}


def test_an_edit_in_the_admin_survives_a_sync_and_reset_restores_the_code():
    sync_schedule()
    PeriodicTask.objects.filter(name="rankings: monthly").update(enabled=False)
    call_command("sync_schedule", stdout=StringIO())
    assert PeriodicTask.objects.get(name="rankings: monthly").enabled is False
    call_command("sync_schedule", "--reset", stdout=StringIO())
    assert PeriodicTask.objects.get(name="rankings: monthly").enabled is True
    assert PeriodicTask.objects.filter(name__in=[e.name for e in SCHEDULE]).count() == len(SCHEDULE)


@pytest.mark.parametrize(
    "now, kind, period",
    [
        (datetime.datetime(2023, 4, 1, 1, 0, tzinfo=SHANGHAI), "month", "2023-03"),
        (datetime.datetime(2023, 4, 1, 1, 30, tzinfo=SHANGHAI), "quarter", "2023-Q1"),
        (datetime.datetime(2024, 1, 1, 2, 0, tzinfo=SHANGHAI), "year", "2023"),
        # 00:30 on 1 April in Shanghai is still 31 March in UTC: the portal's date decides.
        (datetime.datetime(2023, 4, 1, 0, 30, tzinfo=SHANGHAI), "month", "2023-03"),
    ],
)
def test_each_job_computes_the_period_before(worked_example, now, kind, period):
    with time_machine.travel(now, tick=False):
        run_id = rankings_previous_period_task.apply(kwargs={"kind": kind}).get()
    run = ComputationRun.objects.get(pk=run_id)
    assert run.periods == [period] and run.triggered_by == "beat" and run.status == "succeeded"
    assert set(RankingTable.objects.values_list("period", flat=True)) == {period}
