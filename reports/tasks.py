"""Celery tasks: thin wrappers (JSON arguments in, a service call) around reports.services.

Transient database errors and a busy period lock are retried with exponential backoff; tasks are
acknowledged late so that a worker that dies mid-run leaves the message for another worker.
"""

from celery import shared_task
from django.core.cache import cache
from django.db import OperationalError

from litigation.dates import local_today

from .models import ComputationRun
from .periods import Period, PeriodKind
from .services import RankingsBusy, rankings_compute

TASK_OPTIONS = {
    "bind": True,
    "autoretry_for": (OperationalError, RankingsBusy),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 3,
    "acks_late": True,
    "soft_time_limit": 25 * 60,
    "time_limit": 30 * 60,
}


def recompute_debounce_key(period: str) -> str:
    return f"reports:rankings-recompute:{period}"


@shared_task(**TASK_OPTIONS)
def rankings_compute_task(self, period: str, run_id: int | None = None, triggered_by: str = "task") -> int:
    """Compute and store every issuer's rankings for one period; returns the run id."""
    run = ComputationRun.objects.filter(pk=run_id).first() if run_id else None
    if run is not None and self.request.retries:
        run = None  # a retry is a new run; the failed try keeps its record
    return rankings_compute(
        period=Period.parse(period), run=run, triggered_by=triggered_by, task_id=self.request.id or ""
    ).pk


@shared_task(**TASK_OPTIONS)
def rankings_previous_period_task(self, kind: str) -> int:
    """The beat job: compute the month, quarter or year (`kind`) before today's (Asia/Shanghai)."""
    period = Period.of(local_today(), PeriodKind(kind)).previous()
    return rankings_compute(period=period, triggered_by="beat", task_id=self.request.id or "").pk


@shared_task(**TASK_OPTIONS)
def rankings_recompute_task(self, period: str) -> int:
    """The debounced recomputation after late data (reports.signals). Clearing the debounce key
    first means an edit committed from now on enqueues a further run instead of being lost."""
    cache.delete(recompute_debounce_key(period))
    return rankings_compute(
        period=Period.parse(period), triggered_by="late_data", task_id=self.request.id or ""
    ).pk


from .delivery import circular_deliver_task, circular_email_task, webhook_deliver_task  # noqa: E402,F401
