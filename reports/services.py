"""Every write of stored computations: the rankings of a period and the run records.

`rankings_compute(period=...)` is the one service behind `manage.py compute_rankings`, the beat jobs
and the late-data recomputation. It is idempotent (a rerun replaces the period's tables in one
transaction, upserting by (period, issuer, member kind)), guarded by a per-period lock so that two
runs of one period never overlap, and recorded in a ComputationRun.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
import traceback
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from agencies.choices import AgencyKind, PositionRole
from agencies.models import Agency, Position, path_ids
from hearings.choices import HearingStatus
from hearings.models import HeadFiling
from litigation.bulk import bulk_insert

from .models import MEMBER_KINDS, ComputationRun, RankingRow, RankingTable, RunKind, RunStatus
from .periods import Period, PeriodKind
from .rankings import (
    Member,
    Missed,
    Post,
    PrincipalPosts,
    figures_to_json,
    interview_entry,
    named_target,
    rank_members,
)

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = zlib.crc32(b"reports.rankings") & 0x7FFFFFFF
INTERVIEW_KINDS = (PeriodKind.QUARTER, PeriodKind.YEAR)


class RankingsBusy(Exception):
    """Another computation of the same period holds the lock; the caller retries later."""


def _metrics_for_scopes(period: Period, agencies: Sequence[AgencyNode]) -> dict:
    from . import metrics  # the live engine; imported late so the app loads without it

    return metrics.metrics_for_scopes(period, agencies)


# ---- the lock ----------------------------------------------------------------------------------


def _lock_key(period: Period) -> int:
    kind_code = {PeriodKind.MONTH: 0, PeriodKind.QUARTER: 20, PeriodKind.YEAR: 30}[period.kind]
    return period.year * 100 + kind_code + (period.index if period.kind != PeriodKind.YEAR else 0)


@contextlib.contextmanager
def period_lock(period: Period) -> Iterator[None]:
    """Hold the period's lock for the current transaction, or raise RankingsBusy.

    PostgreSQL: a transaction-level advisory lock (released at commit or rollback, even if the
    worker dies). Elsewhere: an atomic cache.add with a timeout (Redis in production).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, _lock_key(period)])
            if not cursor.fetchone()[0]:
                raise RankingsBusy(str(period))
        yield
        return
    key = f"reports:rankings-lock:{period}"
    if not cache.add(key, "1", timeout=60 * 60):
        raise RankingsBusy(str(period))
    try:
        yield
    finally:
        cache.delete(key)


# ---- run records -------------------------------------------------------------------------------


def run_create(
    *, periods: Sequence[str], triggered_by: str = "", kind: str = RunKind.RANKINGS
) -> ComputationRun:
    return ComputationRun.objects.create(kind=kind, periods=list(periods), triggered_by=triggered_by[:100])


def _run_start(run: ComputationRun, task_id: str = "") -> None:
    run.status, run.started_at, run.error = RunStatus.RUNNING, timezone.now(), ""
    run.task_id = task_id or run.task_id
    run.save(update_fields=["status", "started_at", "error", "task_id"])


def _run_finish(run: ComputationRun, *, status: str, counts: dict | None = None, error: str = "") -> None:
    run.status, run.finished_at, run.error = status, timezone.now(), error
    run.duration = run.finished_at - (run.started_at or run.finished_at)
    if counts is not None:
        run.counts = counts
    run.save(update_fields=["status", "finished_at", "duration", "error", "counts"])


# ---- rankings ----------------------------------------------------------------------------------


def rankings_compute(
    *,
    period: Period,
    triggered_by: str = "",
    run: ComputationRun | None = None,
    task_id: str = "",
    figures: dict | None = None,
    figures_read_at: datetime.datetime | None = None,
    agencies: list | None = None,
    interviews_from: InterviewSource | None = None,
) -> ComputationRun:
    """Compute and store every issuer's rankings for `period` and record the run.

    An issuer is every government active in the period that has active children of a member kind
    (government, township, department); each kind present among its children is one ranking.
    Raises RankingsBusy when the period is being computed already (the run is recorded as failed).
    `figures` (with `figures_read_at`, when they were read), `agencies` (the period's active
    agencies) and `interviews_from` (the missed obligations of its year) come from
    rankings_compute_many.
    """
    run = run or run_create(periods=[str(period)], triggered_by=triggered_by)
    _run_start(run, task_id)
    read_at = figures_read_at or run.started_at
    started = time.monotonic()
    try:
        with transaction.atomic(), period_lock(period):
            _analytic_session()
            counts = _rankings_store(
                period,
                run,
                figures=figures,
                read_at=read_at,
                agencies=agencies,
                interviews_from=interviews_from,
            )
        counts["seconds"] = round(time.monotonic() - started, 3)
        drafts_started = time.monotonic()
        counts.update(circulars_refresh_hook(period))
        counts["drafts_seconds"] = round(time.monotonic() - drafts_started, 3)
    except RankingsBusy:
        _run_finish(run, status=RunStatus.FAILED, error=f"busy: another computation of {period} is running")
        raise
    except Exception:
        _run_finish(run, status=RunStatus.FAILED, error=traceback.format_exc(limit=20))
        raise
    _run_finish(run, status=RunStatus.SUCCEEDED, counts=counts)
    return run


def rankings_compute_many(*, periods: Sequence[Period], triggered_by: str = "") -> list[ComputationRun]:
    """Several periods, each with its own run, transaction and lock, like rankings_compute; the
    figures of each year's periods are read together (one metrics_for_periods call: two queries
    for the 17 periods of a year instead of two per period)."""
    from . import metrics

    runs = []
    by_year: dict[int, list[Period]] = defaultdict(list)
    for period in dict.fromkeys(periods):
        by_year[period.year].append(period)
    for chunk in by_year.values():
        scope_ids: set[int] = set()
        active = {period: _active_agencies(period) for period in chunk}
        for period in chunk:
            scope_ids.update(_scopes(active[period])[2])
        read_at = timezone.now()
        with transaction.atomic():
            _analytic_session()
            figures = metrics.metrics_for_periods(chunk, sorted(scope_ids)) if scope_ids else {}
            with_interviews = [p for p in chunk if p.kind in INTERVIEW_KINDS]
            source = None
            if len(with_interviews) > 1:
                source = interview_source(
                    min(p.start for p in with_interviews),
                    max(p.end for p in with_interviews),
                    list(Agency.objects.filter(parent__isnull=True)),
                )
        for period in chunk:
            runs.append(
                rankings_compute(
                    period=period,
                    triggered_by=triggered_by,
                    figures=figures.pop(period, {}),  # dropped once stored
                    figures_read_at=read_at,
                    agencies=active[period],
                    interviews_from=source,
                )
            )
    return runs


def _analytic_session() -> None:
    """PostgreSQL: no JIT for this transaction. The figures queries turn it off themselves; this
    covers the others that read obligations (interview lists, draft circulars), whose estimated
    cost also makes PostgreSQL JIT-compile them, which takes longer than running them (see
    docs/benchmark.md)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")


def circulars_refresh_hook(period: Period) -> dict[str, int]:
    """Issue 4 hook: create or refresh each issuer's draft circular for `period` from the tables just
    stored (API.md: compute_rankings does both), in a transaction of its own under the period's
    lock, so that the rankings are committed and visible while the drafts are written. A draft is a
    preview: publishing builds the content again from the stored tables. When another computation
    of the period holds the lock, it refreshes the drafts itself and this one skips them."""
    from .circulars import circulars_refresh

    try:
        with transaction.atomic(), period_lock(period):
            _analytic_session()
            return circulars_refresh(period=period)
    except RankingsBusy:
        return {"drafts_skipped": 1}


@dataclass(frozen=True, slots=True)
class AgencyNode:
    """What the rankings need of an agency (thousands are read per period: no model instances)."""

    pk: int
    name: str
    kind: str
    parent_id: int | None
    path: str


def _active_agencies(period: Period) -> list[AgencyNode]:
    return [
        AgencyNode(*row)
        for row in Agency.objects.active_between(period.start, period.end)
        .order_by("path")
        .values_list("id", "name", "kind", "parent_id", "path")
    ]


def ranking_structure(agencies: Sequence[AgencyNode]) -> dict[tuple[int, str], list[AgencyNode]]:
    """(issuer id, member kind) -> members: the children of each government, by member kind."""
    by_id = {a.pk: a for a in agencies}
    groups: dict[tuple[int, str], list[Agency]] = defaultdict(list)
    for agency in agencies:
        parent = by_id.get(agency.parent_id)
        if parent is not None and parent.kind == AgencyKind.GOVERNMENT and agency.kind in MEMBER_KINDS:
            groups[(parent.pk, agency.kind)].append(agency)
    return dict(groups)


def _scopes(agencies: Sequence[AgencyNode]) -> tuple[dict, list[int], list[int]]:
    """The rankings of the period's agencies, the issuers, and every agency whose figures they need."""
    groups = ranking_structure(agencies)
    issuer_ids = sorted({issuer_id for issuer_id, _kind in groups})
    scope_ids = sorted(set(issuer_ids) | {m.pk for members in groups.values() for m in members})
    return groups, issuer_ids, scope_ids


def _rankings_store(
    period: Period,
    run: ComputationRun,
    *,
    figures: dict | None,
    read_at: datetime.datetime,
    agencies: list[AgencyNode] | None = None,
    interviews_from: InterviewSource | None = None,
) -> dict:
    agencies = _active_agencies(period) if agencies is None else agencies
    by_id = {a.pk: a for a in agencies}
    groups, issuer_ids, scope_ids = _scopes(agencies)
    if figures is None:
        figures = _metrics_for_scopes(period, [by_id[i] for i in scope_ids]) if scope_ids else {}

    target = named_target()
    placed_by_group = {
        key: rank_members((Member(m.pk, m.name, figures[m.pk]) for m in members), target=target)
        for key, members in groups.items()
    }
    interviews: dict[int, dict] = {}
    if period.kind in INTERVIEW_KINDS:
        named = [p.member.agency_id for placed in placed_by_group.values() for p in placed if p.named]
        interviews = _interview_details(period, [by_id[i] for i in named], interviews_from)

    now = timezone.now()
    summaries = {issuer_id: figures_to_json(figures[issuer_id]) for issuer_id in issuer_ids}
    tables = RankingTable.objects.bulk_create(
        [
            RankingTable(
                period=str(period),
                period_kind=period.kind.value,
                period_start=period.start,
                period_end=period.end,
                issuer_id=issuer_id,
                member_kind=kind,
                computed_at=now,
                run=run,
                stale=False,
                summary=summaries[issuer_id],
            )
            for issuer_id, kind in sorted(groups)
        ],
        update_conflicts=True,
        unique_fields=["period", "issuer", "member_kind"],
        update_fields=["period_kind", "period_start", "period_end", "computed_at", "run", "summary"],
    )
    # The upsert may not return ids on every backend: read them back (one query).
    table_ids = {
        (t["issuer_id"], t["member_kind"]): t["id"]
        for t in RankingTable.objects.filter(period=str(period)).values("id", "issuer_id", "member_kind")
    }
    # Tables of this period that no longer apply (an issuer lost its members of a kind) go.
    wanted = {table_ids[key] for key in groups}
    RankingTable.objects.filter(period=str(period)).exclude(pk__in=wanted).delete()
    # A table stays stale only if a late fact arrived after this run started reading.
    RankingTable.objects.filter(pk__in=wanted).update(
        stale=Case(When(Q(stale_since__gt=read_at), then=Value(True)), default=Value(False))
    )
    RankingRow.objects.filter(table_id__in=wanted).delete()
    rows = [
        {
            "table_id": table_ids[key],
            "agency_id": p.member.agency_id,
            "position": p.position,
            "rank": p.rank,
            "obligations": p.member.metrics.obligations or 0,
            "attendance_rate": _decimal(p.member.metrics.attendance_rate),
            "named": p.named,
            "interview": p.member.agency_id in interviews,
            "figures": figures_to_json(p.member.metrics),
            "interview_detail": interviews.get(p.member.agency_id, {}),
        }
        for key, placed in placed_by_group.items()
        for p in placed
    ]
    bulk_insert(RankingRow, rows)
    return {
        "tables": len(tables),
        "rows": len(rows),
        "issuers": len(issuer_ids),
        "named": sum(r["named"] for r in rows),
        "interviews": len(interviews),
    }


def _decimal(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("1e-10"), rounding=ROUND_HALF_EVEN
    )


@dataclass(frozen=True)
class InterviewSource:
    """What interview lists are made of, for every period within [start, end]: each missed
    obligation with the head filed to appear for it and the agencies above it, and the principal
    posts of those days."""

    start: datetime.date
    end: datetime.date
    missed: list[tuple[Missed, tuple[int, ...]]]
    posts: PrincipalPosts


def interview_source(start: datetime.date, end: datetime.date, roots: Sequence[Agency]) -> InterviewSource:
    """Read once for the quarters and the year of a computation (four queries per tree root)."""
    from .metrics import missed_facts_between  # the one definition of a missed obligation

    missed_rows = [
        row
        for root in roots
        for row in missed_facts_between(start, end, root).values(
            "case_id", "case__number", "agency_id", "agency__name", "agency__path", "obligation_date"
        )
    ]
    filings: dict[tuple[int, int], tuple[int, str]] = {}
    if missed_rows:
        missed_cases = Q()
        for root in roots:
            missed_cases |= Q(hearing__case_id__in=missed_facts_between(start, end, root).values("case_id"))
        for f in (
            HeadFiling.objects.filter(missed_cases, hearing__status=HearingStatus.HELD)
            .order_by("hearing__date", "hearing_id")
            .values("hearing__case_id", "agency_id", "official_id", "official__name")
        ):
            filings.setdefault(
                (f["hearing__case_id"], f["agency_id"]), (f["official_id"], f["official__name"])
            )
    posts = PrincipalPosts(
        Post(p["agency_id"], p["official_id"], p["official__name"], p["start_date"], p["end_date"])
        for p in Position.objects.filter(role=PositionRole.PRINCIPAL)
        .overlapping(start, end)
        .order_by("agency_id", "start_date")
        .values("agency_id", "official_id", "official__name", "start_date", "end_date")
    )
    missed = []
    for r in missed_rows:
        filed = filings.get((r["case_id"], r["agency_id"]))
        m = Missed(
            case_id=r["case_id"],
            case_number=r["case__number"],
            agency_id=r["agency_id"],
            agency_name=r["agency__name"],
            date=r["obligation_date"],
            filed_official_id=filed[0] if filed else None,
            filed_name=filed[1] if filed else "",
        )
        missed.append((m, path_ids(r["agency__path"])))
    return InterviewSource(start, end, missed, posts)


def _interview_details(
    period: Period, named: Sequence[AgencyNode], source: InterviewSource | None = None
) -> dict[int, dict]:
    """For each named member: its principal head on the period's last day and, for each missed
    obligation in its scope, the head responsible (filed to appear, else the defendant's principal
    on the obligation date). A constant number of queries, whatever the number of members; none
    when `source` (read for a span holding the period) is given."""
    if not named:
        return {}
    if source is None or not (source.start <= period.start and period.end <= source.end):
        roots = list(Agency.objects.filter(pk__in={path_ids(a.path)[0] for a in named}))
        source = interview_source(period.start, period.end, roots)
    named_ids = {a.pk for a in named}
    missed_by_member: dict[int, list[Missed]] = defaultdict(list)
    for missed, ancestors in source.missed:
        if period.start <= missed.date <= period.end:
            for ancestor in ancestors:
                if ancestor in named_ids:
                    missed_by_member[ancestor].append(missed)
    entries: dict[Missed, dict] = {}
    return {
        a.pk: interview_entry(
            member_id=a.pk,
            period_end=period.end,
            missed=missed_by_member.get(a.pk, []),
            principal_posts=source.posts,
            entries=entries,
        )
        for a in named
    }


# ---- enqueueing ---------------------------------------------------------------------------------


def rankings_enqueue(*, periods: Sequence[Period], triggered_by: str = "") -> list[ComputationRun]:
    """Record queued runs and send the tasks once the current transaction commits (web code calls this)."""
    from .tasks import rankings_compute_task

    runs = [run_create(periods=[str(p)], triggered_by=triggered_by) for p in periods]
    for run, period in zip(runs, periods, strict=True):
        transaction.on_commit(
            lambda run=run, period=period: rankings_compute_task.apply_async(
                kwargs={"period": str(period), "run_id": run.pk, "triggered_by": triggered_by}
            )
        )
    return runs
