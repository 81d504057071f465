"""The SQL behind `reports.metrics`: every figure of METRICS.md for many scopes and periods at once.

Two statements, whatever the number of agencies, cases or periods:

1. `appearance_rows`: the obligations of METRICS.md, as stored in `reports.models.DefendantFact`
   (kept equal to `hearings.obligations.annotate_obligations`, the single definition of
   head-attended / principal / spoke / waived), counted per (agency, month), then summed per
   (period, scope) and walked month by month for `streak_months`.
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

from agencies.models import Agency
from cases.choices import LOSS_OUTCOMES, DisputeStatus, Outcome
from cases.models import Dispute
from hearings.choices import EventKind
from hearings.models import Event

from .models import DefendantFact
from .periods import merged_spans


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


def _materialized() -> str:
    # Without it, PostgreSQL may inline a CTE into each of its uses, and SQLite may compute it again
    # for each reference.
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

    The obligations are the stored ones (reports.models.DefendantFact, kept equal to
    hearings.obligations.annotate_obligations in every writer's transaction). The window's are read
    once, through the date index; before the window, a streak needs only each agency's latest missed
    obligation and its first obligation: two index probes per agency of the scopes.
    """
    window_start = min(min(p.start_key, p.streak_end) for p in periods)
    window_end = max(p.end_key for p in periods)
    scope_sql, scope_params = _scope_ctes(member_ids)
    periods_sql, periods_params = _periods_cte(periods)
    ob = _t(DefendantFact)
    o_agency, o_date = _c(DefendantFact, "agency"), _c(DefendantFact, "obligation_date")
    o_waived, o_head = _c(DefendantFact, "waived"), _c(DefendantFact, "head_attended")
    o_principal, o_spoke = _c(DefendantFact, "principal_attended"), _c(DefendantFact, "spoke")
    mk_sql, mk_params = _month_key_sql(f"o.{o_date}")
    bad_sql, bad_params = _month_key_sql("MAX(h.last_bad)")
    first_sql, first_params = _month_key_sql("MIN(h.first_date)")
    before = _date(first_day(window_start))
    materialized = _materialized()

    sql = f"""
WITH RECURSIVE {scope_sql},
{periods_sql},
m_agencies AS {materialized} (SELECT DISTINCT agency_id FROM m_scope),
m_base AS {materialized} (
    SELECT o.{o_agency} AS agency_id, {mk_sql} AS mk, COUNT(*) AS n,
           {_flag(f"o.{o_head}")} AS ha,
           {_flag(f"o.{o_principal}")} AS pa,
           {_flag(f"o.{o_spoke}")} AS sp
    FROM {ob} o
    WHERE o.{o_date} IS NOT NULL AND NOT o.{o_waived} AND o.{o_date} BETWEEN %s AND %s
        AND o.{o_agency} IN (SELECT agency_id FROM m_agencies)
    GROUP BY 1, 2
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
m_history AS (
    SELECT a.agency_id AS agency_id,
           (SELECT MAX(o.{o_date}) FROM {ob} o WHERE o.{o_agency} = a.agency_id
                AND o.{o_date} IS NOT NULL AND NOT o.{o_waived} AND NOT o.{o_head}
                AND o.{o_date} < %s) AS last_bad,
           (SELECT MIN(o.{o_date}) FROM {ob} o WHERE o.{o_agency} = a.agency_id
                AND o.{o_date} IS NOT NULL AND NOT o.{o_waived} AND o.{o_date} < %s) AS first_date
    FROM m_agencies a
)
SELECT 'p', ap.pid, s.member_id, SUM(ap.n), SUM(ap.ha), SUM(ap.pa), SUM(ap.sp),
       COUNT(*), SUM(CASE WHEN ap.pa > 0 THEN 1 ELSE 0 END)
FROM m_agency_period ap JOIN m_scope s ON s.agency_id = ap.agency_id
GROUP BY ap.pid, s.member_id
UNION ALL
SELECT 's', pid, member_id, mk, first_mk, last_bad, NULL, NULL, NULL
FROM m_walk WHERE probe = 1
UNION ALL
SELECT 'h', NULL, s.member_id, {bad_sql}, {first_sql}, NULL, NULL, NULL, NULL
FROM m_history h JOIN m_scope s ON s.agency_id = h.agency_id
WHERE h.first_date IS NOT NULL
GROUP BY s.member_id
"""
    params = [
        *scope_params,
        *periods_params,
        *mk_params,
        _date(first_day(window_start)),
        _date(last_day(window_end)),
        before,
        before,
        *bad_params,
        *first_params,
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
    ranges = merged_spans((p.start, p.end) for p in periods)
    sql = " OR ".join([f"{column} BETWEEN %s AND %s"] * len(ranges))
    return f"({sql})", [_date(day) for pair in ranges for day in pair]


def other_rows(member_ids: Sequence[int], periods: Sequence[PeriodSpec]) -> list[tuple]:
    """Rows per (period, member), tagged:

    ("a", pid, member, active_agencies, observed_agencies, trained_agencies)
    ("c", pid, member, cases_filed)                 — also for the year-before periods
    ("o", pid, member, concluded, lost, withdrawn_after_change)
    ("d", pid, member, disputes_resolved, disputes_with_head)

    Cases and outcomes (from the stored defendant facts) and disputes are read once for the whole
    range of the periods and counted per
    month (cases per scope and month: a case filed in a month counts once however many of its
    defendants are in the scope; only cases with several defendants need the distinct count), then
    summed into each period.
    """
    scope_sql, scope_params = _scope_ctes(member_ids)
    periods_sql, periods_params = _periods_cte(periods)
    agency, event, fact, dispute = _t(Agency), _t(Event), _t(DefendantFact), _t(Dispute)
    f_case, f_agency = _c(DefendantFact, "case"), _c(DefendantFact, "agency")
    f_sole = _c(DefendantFact, "sole_defendant")
    through = Event.agencies.through
    ea_event, ea_agency = _c(through, "event"), _c(through, "agency")
    outcome = f"f.{_c(DefendantFact, 'outcome')}"
    filed_on = f"f.{_c(DefendantFact, 'filed_on')}"
    concluded_on = f"f.{_c(DefendantFact, 'concluded_on')}"
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
m_filed_sole AS (
    SELECT f.{f_agency} AS agency_id, {filed_mk} AS mk, COUNT(*) AS n
    FROM {fact} f
    WHERE {filed_in} AND f.{f_sole}
    GROUP BY 1, 2
),
m_filed_shared AS (
    SELECT DISTINCT s.member_id AS member_id, {filed_mk} AS mk, f.{f_case} AS case_id
    FROM {fact} f
    JOIN m_scope s ON s.agency_id = f.{f_agency}
    WHERE {filed_in} AND NOT f.{f_sole}
),
m_filed_month AS (
    SELECT member_id, mk, SUM(n) AS n FROM (
        SELECT s.member_id AS member_id, x.mk AS mk, x.n AS n
        FROM m_filed_sole x JOIN m_scope s ON s.agency_id = x.agency_id
        UNION ALL
        SELECT member_id, mk, COUNT(*) FROM m_filed_shared GROUP BY member_id, mk
    ) u
    GROUP BY member_id, mk
),
m_concluded AS (
    SELECT f.{f_agency} AS agency_id, {concluded_mk} AS mk, COUNT(*) AS n,
           SUM(CASE WHEN {outcome} IN ({loss_marks}) THEN 1 ELSE 0 END) AS lost,
           SUM(CASE WHEN {outcome} = %s THEN 1 ELSE 0 END) AS wac
    FROM {fact} f
    WHERE {concluded_in} AND {outcome} IS NOT NULL AND {outcome} <> ''
        AND f.{f_agency} IN (SELECT agency_id FROM m_scope)
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
