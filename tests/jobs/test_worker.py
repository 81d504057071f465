"""End to end with a real Celery worker on the real Redis: a task sent to the broker is picked up
by `celery -A litigation worker`, which computes the rankings in the same database the test sees."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports.models import ComputationRun, RankingRow, RunStatus

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"


def _redis_url() -> str:
    url = os.environ.get("REDIS_URL") or settings.REDIS_URL
    if not url:
        if IN_CI:
            pytest.fail("REDIS_URL is not set in CI: the worker test needs the real Redis")
        pytest.skip("REDIS_URL is not set (e.g. redis://127.0.0.1:6379/14): no real broker to test against")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if IN_CI:
            pytest.fail(f"Redis at {url} is unreachable: {exc}")
        pytest.skip(f"Redis at {url} is unreachable: {exc}")
    return url


def _database_url_for_worker() -> str:
    """The test database, as a URL the worker process can open."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db["ENGINE"].endswith("sqlite3") and not connection.is_in_memory_db():
        return f"sqlite:///{db['NAME']}"
    reason = "the test database is an in-memory SQLite the worker cannot open: run on PostgreSQL"
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.mark.services
def test_a_real_worker_computes_a_period_sent_through_redis(transactional_db, worked_example):
    redis_url = _redis_url()
    queue = f"test-rankings-{uuid.uuid4().hex[:12]}"  # our own queue: other workers on the DB never see it
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "litigation.settings.local",
        "DATABASE_URL": _database_url_for_worker(),
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "false",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "litigation", "worker", "--pool=solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        from celery import Celery

        sender = Celery("litigation-test", broker=redis_url)
        sender.conf.task_serializer = "json"
        sender.send_task(
            "reports.tasks.rankings_compute_task",
            kwargs={"period": "2023-03", "triggered_by": queue},
            queue=queue,
        )
        deadline = time.monotonic() + 25
        run = None
        while time.monotonic() < deadline and worker.poll() is None:
            run = ComputationRun.objects.filter(triggered_by=queue).first()
            if run and run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
                break
            time.sleep(0.2)
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=10)[0]
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0]
    assert run is not None, f"the worker recorded no run; its output:\n{output}"
    assert run.status == RunStatus.SUCCEEDED, run.error or output
    assert run.task_id, "the run records the Celery task id"
    d2 = RankingRow.objects.get(table__period="2023-03", agency=worked_example.d2)
    assert (d2.rank, d2.named) == (2, True)
