"""The SQL behind `reports.metrics`: every figure of METRICS.md for many scopes and periods at once.

Two statements, whatever the number of agencies, cases or periods:

1. `appearance_rows`: the obligations of METRICS.md, read through `hearings.obligations.
   annotate_obligations` (the single definition of head-attended / principal / spoke / waived),
   counted per (agency, month), then summed per (period, scope) and walked month by month for
   `streak_months`.
2. `other_rows`: active agencies and event participation, cases filed, outcomes, disputes.

A scope (an agency and everything under it) is the `m_scope(member_id, agency_id)` table: a recursive
walk down the tree from each requested agency. It holds the same agencies as the materialized path
(`path LIKE member.path || '%'`), but joins by id: for 3,000 overlapping scopes the walk takes
milliseconds where the LIKE join compares every pair of agencies.

The ORM builds every part it can (the obligations, the month arithmetic, the dates); this module only
adds the joins to the scope and period tables, which the ORM cannot express.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL

from agencies.models import Agency
from cases.choices import LOSS_OUTCOMES, DisputeStatus, Outcome
from cases.models import Case, Defendant, Dispute
from hearings.choices import EventKind, HearingStatus
from hearings.models import Event, Hearing
from hearings.obligations import annotate_obligations


def month_key(date: datetime.date) -> int:
    """Months since year 0: consecutive calendar months have consecutive keys."""
    return date.year * 12 + date.month - 1


def month_of_key(key: int) -> tuple[int, int]:
    return key // 12, key % 12 + 1


@dataclass(frozen=True)
class PeriodSpec:
    """One period as the SQL sees it. `streak_end` is the month key the streak ends with."""

    pid: int
    start: datetime.date
    end: datetime.date
    streak_end: int
    main: bool = True  # False: a year-before period, wanted only for cases_filed_prev_year

    @property
    def start_key(self) -> int:
        return month_key(self.start)

    @property
    def end_key(self) -> int:
        return month_key(self.end)


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _c(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def _date(value: datetime.date):
    return connection.ops.adapt_datefield_value(value)


def _compiled(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, tuple(params)


def _scope_ctes(member_ids: Sequence[int]) -> tuple[str, list]:
    """`m_members(member_id)` and `m_scope(member_id, agency_id)`: each member and every agency under it.

    UNION (not UNION ALL) keeps the walk finite even if the tree held a cycle."""
    agency, parent = _t(Agency), _c(Agency, "parent")
    placeholders = ", ".join(["%s"] * len(member_ids))
    sql = f"""
m_members(member_id) AS (SELECT id FROM {agency} WHERE id IN ({placeholders})),
m_scope(member_id, agency_id) AS (
    SELECT member_id, member_id FROM m_members
    UNION
    SELECT s.member_id, a.id FROM m_scope s JOIN {agency} a ON a.{parent} = s.agency_id
)"""
    return sql, list(member_ids)


def _periods_cte(periods: Sequence[PeriodSpec]) -> tuple[str, list]:
    """`m_periods`, one row per period, and `m_period_months(pid, mk, main)`, one row per month of
    each period: figures counted per month join it on equality, which hashes, where a range join
    would compare every row with every period."""
    rows, params = [], []
    for p in periods:
        rows.append("(%s, %s, %s, %s, %s, %s, %s)")
        params += [p.pid, _date(p.start), _date(p.end), p.start_key, p.end_key, p.streak_end, int(p.main)]
    months, month_params = [], []
    for p in periods:
        for key in range(p.start_key, p.end_key + 1):
            months.append("(%s, %s, %s)")
            month_params += [p.pid, key, int(p.main)]
    sql = (
        "m_periods(pid, start_date, end_date, start_key, end_key, streak_end, main) AS (VALUES "
        + ", ".join(rows)
        + "),\nm_period_months(pid, mk, main) AS (VALUES "
        + ", ".join(months)
        + ")"
    )
    return sql, params + month_params


OBLIGATION_COLUMNS = ("agency_id", "obligation_date", "head_attended", "principal_attended", "spoke")


def obligations_dated(
    first: datetime.date | None,
    last: datetime.date,
    agencies: str,
    columns: Sequence[str] = OBLIGATION_COLUMNS,
    *,
    row_by_row: bool = False,
) -> QuerySet[Defendant]:
    """Obligations (not waived) dated in [first, last] (first None: no lower bound) whose defendant is
    in the CTE `agencies(agency_id)`, with `columns` of annotate_obligations (only those are
    computed: each is a handful of subqueries per row).

    An obligation is dated by its case's first held hearing: "dated in [first, last]" is "the case
    has a held hearing in [first, last] and none before `first`", which the indexes answer without
    computing any date; the dates themselves still come from annotate_obligations.

    `row_by_row`: annotate_obligations' scalar-subquery form, for the streak's history steps, which
    pick a few thousand obligations among the whole history: with EXISTS, PostgreSQL plans them as
    hashed subplans that read every head appearance in the database (at N = 1,000,000, about half
    of a month's computation)."""
    held = Hearing.objects.filter(case_id=OuterRef("case_id"), status=HearingStatus.HELD)
    defendants = Defendant.objects.filter(agency_id__in=RawSQL(f"SELECT agency_id FROM {agencies}", ()))
    if first is None:
        defendants = defendants.filter(Exists(held.filter(date__lte=last)))
    else:
        defendants = defendants.filter(
            Exists(held.filter(date__range=(first, last))), ~Exists(held.filter(date__lt=first))
        )
    return (
        annotate_obligations(defendants, row_by_row=row_by_row)
        .filter(waived=False)
        .values(*columns)
        .order_by()
    )


def _month_key_sql(column: str) -> tuple[str, list]:
    year_sql, year_params = connection.ops.date_extract_sql("year", column, ())
    month_sql, month_params = connection.ops.date_extract_sql("month", column, ())
    return f"CAST(({year_sql}) * 12 + ({month_sql}) - 1 AS INTEGER)", [*year_params, *month_params]


def _flag(column: str) -> str:
    return f"SUM(CASE WHEN {column} THEN 1 ELSE 0 END)"


def first_day(key: int) -> datetime.date:
    year, month = month_of_key(key)
    return datetime.date(year, month, 1)


def last_day(key: int) -> datetime.date:
    return first_day(key + 1) - datetime.timedelta(days=1)


# How far back `streak_months` looks, in steps, for scopes with no month below 1 yet: months
# [start - hi, start - lo] before the window; each step only for the scopes still without one.
HISTORY_STEPS = ((1, 3), (4, 12), (13, 48), (49, None))


def _materialized() -> str:
    # Without it, PostgreSQL inlines a CTE and evaluates its subqueries once per use, and SQLite may
    # compute it again for each reference.
    if connection.vendor == "postgresql":
        return "MATERIALIZED"
    if connection.vendor == "sqlite" and connection.Database.sqlite_version_info >= (3, 35):
        return "MATERIALIZED"
    return ""


def appearance_rows(member_ids: Sequence[int], periods: Sequence[PeriodSpec]) -> list[tuple]:
    """Rows of three kinds:

    ("p", pid, member, obligations, head_attended, principal_attended, spoke, obligated_agencies,
     covered_agencies) — per (period, member) with obligations in the period;
    ("s", pid, member, streak_end, first_month, last_bad_month) — per (period, member): the first
     month with an obligation and the last month below 1, up to `streak_end`, within the window
     (the months from the earliest period start or streak end to the last period end);
    ("h", None, member, last_bad_month, first_month) — the same before the window, per member.

    The obligations of the window are evaluated once. Before the window, only the scopes with no
    month below 1 yet (up to the earliest streak end) are looked at, a few months at a time
    (HISTORY_STEPS), each step dropping the scopes that found one: a streak needs its history only
    back to its last month below 1, or to the very first obligation when there never was one.
    """
    window_start = min(min(p.start_key, p.streak_end) for p in periods)
    window_end = max(p.end_key for p in periods)
    earliest_end = min(p.streak_end for p in periods)
    scope_sql, scope_params = _scope_ctes(member_ids)
    periods_sql, periods_params = _periods_cte(periods)
    ob_sql, ob_params = _compiled(
        obligations_dated(first_day(window_start), last_day(window_end), "m_agencies")
    )
    mk_sql, mk_params = _month_key_sql("m_ob.obligation_date")
    materialized = _materialized()

    steps_sql, steps_params = [], []
    for index, (lo, hi) in enumerate(HISTORY_STEPS, start=1):
        first = None if hi is None else first_day(window_start - hi)
        step_sql, step_params = _compiled(
            obligations_dated(
                first,
                last_day(window_start - lo),
                f"m_open{index - 1}",
                columns=("agency_id", "obligation_date", "head_attended"),
                row_by_row=True,
            )
        )
        bad_sql, bad_params = _month_key_sql(
            f"MAX(CASE WHEN NOT o{index}.head_attended THEN o{index}.obligation_date END)"
        )
        first_sql, first_params = _month_key_sql(f"MIN(o{index}.obligation_date)")
        steps_sql.append(
            f"""m_ob{index} AS {materialized} ({step_sql}),
m_step{index} AS (
    SELECT o{index}.agency_id AS agency_id, {bad_sql} AS last_bad, {first_sql} AS first_mk
    FROM m_ob{index} o{index} GROUP BY o{index}.agency_id
),
m_unresolved{index} AS (
    SELECT member_id FROM m_unresolved{index - 1}
    EXCEPT SELECT s.member_id FROM m_scope s JOIN m_step{index} st ON st.agency_id = s.agency_id
    WHERE st.last_bad IS NOT NULL
),
m_open{index} AS (
    SELECT DISTINCT s.agency_id FROM m_scope s JOIN m_unresolved{index} u ON u.member_id = s.member_id
)"""
        )
        steps_params += [*step_params, *bad_params, *first_params]
    history_union = " UNION ALL ".join(
        f"SELECT agency_id, last_bad, first_mk FROM m_step{i}" for i in range(1, len(HISTORY_STEPS) + 1)
    )
    steps = ",\n".join(steps_sql)

    sql = f"""
WITH RECURSIVE {scope_sql},
{periods_sql},
m_agencies AS (SELECT DISTINCT agency_id FROM m_scope),
m_ob AS {materialized} ({ob_sql}),
m_base AS (
    SELECT m_ob.agency_id AS agency_id, {mk_sql} AS mk, COUNT(*) AS n,
           {_flag("m_ob.head_attended")} AS ha,
           {_flag("m_ob.principal_attended")} AS pa,
           {_flag("m_ob.spoke")} AS sp
    FROM m_ob GROUP BY 1, 2
),
m_agency_period AS (
    SELECT p.pid AS pid, b.agency_id AS agency_id,
           SUM(b.n) AS n, SUM(b.ha) AS ha, SUM(b.pa) AS pa, SUM(b.sp) AS sp
    FROM m_base b JOIN m_period_months p ON p.mk = b.mk
    GROUP BY p.pid, b.agency_id
),
m_member_month AS (
    SELECT s.member_id AS member_id, b.mk AS mk, MAX(CASE WHEN b.ha < b.n THEN 1 ELSE 0 END) AS bad
    FROM m_base b JOIN m_scope s ON s.agency_id = b.agency_id
    GROUP BY s.member_id, b.mk
),
m_probe AS (
    SELECT member_id, mk, bad, 0 AS probe, -1 AS pid FROM m_member_month
    UNION ALL
    SELECT m.member_id, p.streak_end, 0, 1, p.pid FROM m_members m CROSS JOIN m_periods p
),
m_walk AS (
    SELECT pid, member_id, mk, probe,
           MIN(CASE WHEN probe = 0 THEN mk END) OVER w AS first_mk,
           MAX(CASE WHEN bad = 1 THEN mk END) OVER w AS last_bad
    FROM m_probe
    WINDOW w AS (PARTITION BY member_id ORDER BY mk, probe ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
m_unresolved0 AS (
    SELECT member_id FROM m_members
    EXCEPT SELECT s.member_id FROM m_scope s JOIN m_base b ON b.agency_id = s.agency_id
    WHERE b.ha < b.n AND b.mk <= %s
),
m_open0 AS (
    SELECT DISTINCT s.agency_id FROM m_scope s JOIN m_unresolved0 u ON u.member_id = s.member_id
),
{steps},
m_history AS ({history_union})
SELECT 'p', ap.pid, s.member_id, SUM(ap.n), SUM(ap.ha), SUM(ap.pa), SUM(ap.sp),
       COUNT(*), SUM(CASE WHEN ap.pa > 0 THEN 1 ELSE 0 END)
FROM m_agency_period ap JOIN m_scope s ON s.agency_id = ap.agency_id
GROUP BY ap.pid, s.member_id
UNION ALL
SELECT 's', pid, member_id, mk, first_mk, last_bad, NULL, NULL, NULL
FROM m_walk WHERE probe = 1
UNION ALL
SELECT 'h', NULL, s.member_id, MAX(h.last_bad), MIN(h.first_mk), NULL, NULL, NULL, NULL
FROM m_history h JOIN m_scope s ON s.agency_id = h.agency_id
GROUP BY s.member_id
"""
    params = [
        *scope_params,
        *periods_params,
        *ob_params,
        *mk_params,
        earliest_end,
        *steps_params,
    ]
    return _fetch(sql, params)


def _fetch(sql: str, params: list) -> list[tuple]:
    """Run one statement. On PostgreSQL without JIT, in the same round trip: the subqueries of
    annotate_obligations make the planner's estimates large enough to trigger JIT compilation,
    which costs seconds and saves nothing here. `SET LOCAL` lasts until the end of the
    transaction: the implicit one of this query string, or the caller's."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off; " + sql, params)
            cursor.nextset()
        else:
            cursor.execute(sql, params)
        return cursor.fetchall()


def _within(column: str, periods: Sequence[PeriodSpec]) -> tuple[str, list]:
    """`column` falls on a day of one of the periods: the periods' days merged into as few ranges as
    possible (a year and its months are one range), so that an index on `column` serves."""
    ranges: list[list[datetime.date]] = []
    for p in sorted(periods, key=lambda p: p.start):
        if ranges and p.start <= ranges[-1][1] + datetime.timedelta(days=1):
            ranges[-1][1] = max(ranges[-1][1], p.end)
        else:
            ranges.append([p.start, p.end])
    sql = " OR ".join([f"{column} BETWEEN %s AND %s"] * len(ranges))
    return f"({sql})", [_date(day) for pair in ranges for day in pair]


def other_rows(member_ids: Sequence[int], periods: Sequence[PeriodSpec]) -> list[tuple]:
    """Rows per (period, member), tagged:

    ("a", pid, member, active_agencies, observed_agencies, trained_agencies)
    ("c", pid, member, cases_filed)                 — also for the year-before periods
    ("o", pid, member, concluded, lost, withdrawn_after_change)
    ("d", pid, member, disputes_resolved, disputes_with_head)

    Cases, outcomes and disputes are read once for the whole range of the periods and counted per
    month (cases per scope and month: a case filed in a month counts once however many of its
    defendants are in the scope), then summed into each period.
    """
    scope_sql, scope_params = _scope_ctes(member_ids)
    periods_sql, periods_params = _periods_cte(periods)
    agency, event, case, defendant, dispute = _t(Agency), _t(Event), _t(Case), _t(Defendant), _t(Dispute)
    through = Event.agencies.through
    ea_event, ea_agency = _c(through, "event"), _c(through, "agency")
    outcome = f"d.{_c(Defendant, 'outcome')}"
    filed_on, concluded_on = f"c.{_c(Case, 'filed_on')}", f"c.{_c(Case, 'concluded_on')}"
    resolved_on = f"r.{_c(Dispute, 'resolved_on')}"
    filed_mk, filed_mk_params = _month_key_sql(filed_on)
    concluded_mk, concluded_mk_params = _month_key_sql(concluded_on)
    resolved_mk, resolved_mk_params = _month_key_sql(resolved_on)
    main = [p for p in periods if p.main]
    filed_in, filed_params = _within(filed_on, periods)
    concluded_in, concluded_params = _within(concluded_on, main)
    resolved_in, resolved_params = _within(resolved_on, main)
    loss_marks = ", ".join(["%s"] * len(LOSS_OUTCOMES))
    sql = f"""
WITH RECURSIVE {scope_sql},
{periods_sql},
m_took_part AS (
    SELECT p.pid AS pid, ea.{ea_agency} AS agency_id,
           MAX(CASE WHEN e.{_c(Event, "kind")} = %s THEN 1 ELSE 0 END) AS observed,
           MAX(CASE WHEN e.{_c(Event, "kind")} = %s THEN 1 ELSE 0 END) AS trained
    FROM {event} e
    JOIN {_t(through)} ea ON ea.{ea_event} = e.id
    JOIN m_periods p ON p.main = 1 AND e.{_c(Event, "date")} BETWEEN p.start_date AND p.end_date
    GROUP BY p.pid, ea.{ea_agency}
),
m_active AS (
    SELECT p.pid AS pid, a.id AS agency_id, COALESCE(t.observed, 0) AS observed,
           COALESCE(t.trained, 0) AS trained
    FROM {agency} a
    JOIN m_periods p ON p.main = 1
        AND (a.{_c(Agency, "active_from")} IS NULL OR a.{_c(Agency, "active_from")} <= p.end_date)
        AND (a.{_c(Agency, "active_until")} IS NULL OR a.{_c(Agency, "active_until")} >= p.start_date)
    LEFT JOIN m_took_part t ON t.pid = p.pid AND t.agency_id = a.id
    WHERE a.id IN (SELECT agency_id FROM m_scope)
),
m_filed AS (
    SELECT DISTINCT s.member_id AS member_id, {filed_mk} AS mk, c.id AS case_id
    FROM {case} c
    JOIN {defendant} d ON d.{_c(Defendant, "case")} = c.id
    JOIN m_scope s ON s.agency_id = d.{_c(Defendant, "agency")}
    WHERE {filed_in}
),
m_filed_month AS (SELECT member_id, mk, COUNT(*) AS n FROM m_filed GROUP BY member_id, mk),
m_concluded AS (
    SELECT d.{_c(Defendant, "agency")} AS agency_id, {concluded_mk} AS mk, COUNT(*) AS n,
           SUM(CASE WHEN {outcome} IN ({loss_marks}) THEN 1 ELSE 0 END) AS lost,
           SUM(CASE WHEN {outcome} = %s THEN 1 ELSE 0 END) AS wac
    FROM {case} c
    JOIN {defendant} d ON d.{_c(Defendant, "case")} = c.id
    WHERE {concluded_in} AND {outcome} IS NOT NULL AND {outcome} <> ''
        AND d.{_c(Defendant, "agency")} IN (SELECT agency_id FROM m_scope)
    GROUP BY 1, 2
),
m_resolved AS (
    SELECT r.{_c(Dispute, "agency")} AS agency_id, {resolved_mk} AS mk, COUNT(*) AS n,
           SUM(CASE WHEN r.{_c(Dispute, "head_participated")} THEN 1 ELSE 0 END) AS with_head
    FROM {dispute} r
    WHERE r.{_c(Dispute, "status")} = %s AND {resolved_in}
        AND r.{_c(Dispute, "agency")} IN (SELECT agency_id FROM m_scope)
    GROUP BY 1, 2
)
SELECT 'a', x.pid, s.member_id, COUNT(*), SUM(x.observed), SUM(x.trained)
FROM m_active x JOIN m_scope s ON s.agency_id = x.agency_id
GROUP BY x.pid, s.member_id
UNION ALL
SELECT 'c', p.pid, f.member_id, SUM(f.n), NULL, NULL
FROM m_filed_month f JOIN m_period_months p ON p.mk = f.mk
GROUP BY p.pid, f.member_id
UNION ALL
SELECT 'o', p.pid, s.member_id, SUM(o.n), SUM(o.lost), SUM(o.wac)
FROM m_concluded o
JOIN m_period_months p ON p.main = 1 AND p.mk = o.mk
JOIN m_scope s ON s.agency_id = o.agency_id
GROUP BY p.pid, s.member_id
UNION ALL
SELECT 'd', p.pid, s.member_id, SUM(r.n), SUM(r.with_head), NULL
FROM m_resolved r
JOIN m_period_months p ON p.main = 1 AND p.mk = r.mk
JOIN m_scope s ON s.agency_id = r.agency_id
GROUP BY p.pid, s.member_id
"""
    params = [
        *scope_params,
        *periods_params,
        EventKind.TRIAL_OBSERVATION.value,
        EventKind.TRAINING.value,
        *filed_mk_params,
        *filed_params,
        *concluded_mk_params,
        *[o.value for o in LOSS_OUTCOMES],
        Outcome.WITHDRAWN_AFTER_CHANGE.value,
        *concluded_params,
        *resolved_mk_params,
        DisputeStatus.RESOLVED.value,
        *resolved_params,
    ]
    return _fetch(sql, params)
