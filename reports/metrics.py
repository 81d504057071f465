"""The figures of METRICS.md, live from the database, for any agency's scope and any period.

Every figure is computed in the database (`reports.metrics_sql`) in a fixed number of queries: two
for any number of agencies and periods. Rates are exact `Fraction`s (None where the denominator is
0); `round_rate` gives the API's 4 places, half to even. The definitions the portal uses where
METRICS.md leaves a choice are in docs/metrics-notes.md.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from fractions import Fraction

from django.db.models import F, Q, QuerySet

from agencies.models import Agency
from cases.models import Defendant
from litigation.dates import local_today

from . import metrics_sql
from .metrics_sql import PeriodSpec, month_key
from .models import DefendantFact
from .periods import Period

# The names METRICS.md gives, in its order: the contract of the API, the rankings and the circulars.
METRIC_NAMES = (
    "obligations",
    "head_attended",
    "attendance_rate",
    "principal_attended",
    "principal_share",
    "spoke_rate",
    "principal_coverage",
    "streak_months",
    "active_agencies",
    "observation_coverage",
    "training_coverage",
    "cases_filed",
    "cases_filed_prev_year",
    "case_volume_change",
    "concluded",
    "lost",
    "loss_rate",
    "withdrawn_after_change",
    "disputes_resolved",
    "disputes_head_share",
)

RATE_PLACES = 4


def rate(numerator: int, denominator: int) -> Fraction | None:
    """An exact rate; None where the denominator is 0 (METRICS.md: `null`)."""
    return Fraction(numerator, denominator) if denominator else None


def round_rate(value: Fraction | None, places: int = RATE_PLACES) -> float | None:
    """A rate as the API gives it: rounded half to even to `places` decimals (2/3 -> 0.6667).

    The rounding is done on the exact fraction (Fraction.__round__), so 0.00005 exactly goes to 0.0."""
    if value is None:
        return None
    return float(round(Fraction(value), places))


@dataclass(frozen=True)
class Metrics:
    """Every figure of METRICS.md for one scope and period, under its METRICS.md name, plus the
    numerators and denominators a reader needs to check a rate by hand."""

    obligations: int = 0
    head_attended: int = 0
    attendance_rate: Fraction | None = None
    principal_attended: int = 0
    principal_share: Fraction | None = None
    spoke: int = 0
    spoke_rate: Fraction | None = None
    obligated_agencies: int = 0
    covered_agencies: int = 0
    principal_coverage: Fraction | None = None
    streak_months: int = 0
    active_agencies: int = 0
    observed_agencies: int = 0
    observation_coverage: Fraction | None = None
    trained_agencies: int = 0
    training_coverage: Fraction | None = None
    cases_filed: int = 0
    cases_filed_prev_year: int = 0
    case_volume_change: Fraction | None = None
    concluded: int = 0
    lost: int = 0
    loss_rate: Fraction | None = None
    withdrawn_after_change: int = 0
    disputes_resolved: int = 0
    disputes_head_participated: int = 0
    disputes_head_share: Fraction | None = None

    @classmethod
    def from_counts(
        cls,
        *,
        obligations: int = 0,
        head_attended: int = 0,
        principal_attended: int = 0,
        spoke: int = 0,
        obligated_agencies: int = 0,
        covered_agencies: int = 0,
        streak_months: int = 0,
        active_agencies: int = 0,
        observed_agencies: int = 0,
        trained_agencies: int = 0,
        cases_filed: int = 0,
        cases_filed_prev_year: int = 0,
        concluded: int = 0,
        lost: int = 0,
        withdrawn_after_change: int = 0,
        disputes_resolved: int = 0,
        disputes_head_participated: int = 0,
    ) -> Metrics:
        """The figures from their counts: every rate is derived here and only here."""
        return cls(
            obligations=obligations,
            head_attended=head_attended,
            attendance_rate=rate(head_attended, obligations),
            principal_attended=principal_attended,
            principal_share=rate(principal_attended, head_attended),
            spoke=spoke,
            spoke_rate=rate(spoke, head_attended),
            obligated_agencies=obligated_agencies,
            covered_agencies=covered_agencies,
            principal_coverage=rate(covered_agencies, obligated_agencies),
            streak_months=streak_months,
            active_agencies=active_agencies,
            observed_agencies=observed_agencies,
            observation_coverage=rate(observed_agencies, active_agencies),
            trained_agencies=trained_agencies,
            training_coverage=rate(trained_agencies, active_agencies),
            cases_filed=cases_filed,
            cases_filed_prev_year=cases_filed_prev_year,
            case_volume_change=rate(cases_filed - cases_filed_prev_year, cases_filed_prev_year),
            concluded=concluded,
            lost=lost,
            loss_rate=rate(lost, concluded),
            withdrawn_after_change=withdrawn_after_change,
            disputes_resolved=disputes_resolved,
            disputes_head_participated=disputes_head_participated,
            disputes_head_share=rate(disputes_head_participated, disputes_resolved),
        )

    def as_dict(self) -> dict[str, int | Fraction | None]:
        return asdict(self)

    def for_api(self) -> dict[str, int | float | None]:
        """Counts as they are, rates rounded half to even to 4 places (floats), None as None."""
        return {
            f.name: round_rate(getattr(self, f.name)) if f.name in RATE_NAMES else getattr(self, f.name)
            for f in fields(self)
        }


# The rates among the fields (exact Fractions or None); every other field is a count.
RATE_NAMES = frozenset(f.name for f in fields(Metrics) if f.type == "Fraction | None")


@dataclass(frozen=True)
class MonthlyAttendance:
    period: Period
    obligations: int
    head_attended: int

    @property
    def attendance_rate(self) -> Fraction | None:
        return rate(self.head_attended, self.obligations)


def streak_end_key(period: Period, today: datetime.date) -> int:
    """The month the streak ends with: the period's last month, or the current month if earlier."""
    return min(month_key(period.end), month_key(today))


def streak_from(streak_end: int, first_month: int | None, last_bad_month: int | None) -> int:
    """METRICS.md `streak_months` from the scope's first month with an obligation and its last month
    below 1, both up to `streak_end` (None: there is none)."""
    if first_month is None or last_bad_month == streak_end:
        return 0
    start = last_bad_month + 1 if last_bad_month is not None else first_month
    return streak_end - start + 1


def _int_or_none(value) -> int | None:
    return None if value is None else int(value)


def _least(*values: int | None) -> int | None:
    return min((v for v in values if v is not None), default=None)


def _greatest(*values: int | None) -> int | None:
    return max((v for v in values if v is not None), default=None)


def _member_ids(agencies: Iterable[Agency | int]) -> list[int]:
    ids = [a if isinstance(a, int) else a.pk for a in agencies]
    if any(i is None for i in ids):
        raise ValueError("metrics need saved agencies")
    return sorted(set(ids))


def _specs(periods: Sequence[Period], today: datetime.date, *, with_year_before: bool) -> list[PeriodSpec]:
    specs = [PeriodSpec(i, p.start, p.end, streak_end_key(p, today)) for i, p in enumerate(periods)]
    if with_year_before:
        offset = len(specs)
        specs += [
            PeriodSpec(offset + i, p.year_before().start, p.year_before().end, 0, main=False)
            for i, p in enumerate(periods)
        ]
    return specs


def metrics_for_periods(
    periods: Sequence[Period], agencies: Sequence[Agency | int], *, today: datetime.date | None = None
) -> dict[Period, dict[int, Metrics]]:
    """Every figure for each agency's scope in each period, in two queries whatever their number.

    `today` (default: today in Asia/Shanghai) bounds `streak_months` to the current month."""
    periods = list(dict.fromkeys(periods))
    member_ids = _member_ids(agencies)
    if not periods or not member_ids:
        return {p: {} for p in periods}
    today = today or local_today()
    specs = _specs(periods, today, with_year_before=True)
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)

    window: dict[tuple[int, int], tuple] = {}
    history: dict[int, tuple] = {}
    for row in metrics_sql.appearance_rows(member_ids, specs[: len(periods)]):
        tag, pid, member, *values = row
        if tag == "p":
            n, ha, pa, sp, obligated, covered = (int(v) for v in values)
            counts[pid, member].update(
                obligations=n,
                head_attended=ha,
                principal_attended=pa,
                spoke=sp,
                obligated_agencies=obligated,
                covered_agencies=covered,
            )
        elif tag == "s":
            window[pid, member] = tuple(_int_or_none(v) for v in values[:3])
        else:
            history[member] = tuple(_int_or_none(v) for v in values[:2])
    for (pid, member), (end, first, last_bad) in window.items():
        history_last_bad, history_first = history.get(member, (None, None))
        counts[pid, member]["streak_months"] = streak_from(
            end, _least(first, history_first), _greatest(last_bad, history_last_bad)
        )

    prev_pid = {spec.pid: spec.pid - len(periods) for spec in specs if not spec.main}
    for row in metrics_sql.other_rows(member_ids, specs):
        tag, pid, member, *values = row
        if tag == "c" and pid in prev_pid:
            counts[prev_pid[pid], member]["cases_filed_prev_year"] = int(values[0])
        elif tag == "c":
            counts[pid, member]["cases_filed"] = int(values[0])
        elif tag == "a":
            active, observed, trained = (int(v) for v in values)
            counts[pid, member].update(
                active_agencies=active, observed_agencies=observed, trained_agencies=trained
            )
        elif tag == "o":
            concluded, lost, wac = (int(v) for v in values)
            counts[pid, member].update(concluded=concluded, lost=lost, withdrawn_after_change=wac)
        elif tag == "d":
            resolved, with_head = (int(v) for v in values[:2])
            counts[pid, member].update(disputes_resolved=resolved, disputes_head_participated=with_head)

    return {
        period: {member: Metrics.from_counts(**counts.get((pid, member), {})) for member in member_ids}
        for pid, period in enumerate(periods)
    }


def metrics_for_scopes(
    period: Period, agencies: Sequence[Agency | int], *, today: datetime.date | None = None
) -> dict[int, Metrics]:
    """Each agency's figures over its own scope (the agency and everything under it), keyed by id.

    Two queries whatever the number of agencies, cases or months of history; scopes may overlap."""
    return metrics_for_periods([period], agencies, today=today)[period]


def metrics_for_scope(period: Period, agency: Agency, *, today: datetime.date | None = None) -> Metrics:
    return metrics_for_scopes(period, [agency], today=today)[agency.pk]


def monthly_attendance_series(
    agency: Agency, months: Sequence[Period], *, today: datetime.date | None = None
) -> list[MonthlyAttendance]:
    """The scope's obligations and head-attended obligations month by month (one query)."""
    months = list(dict.fromkeys(months))
    if not months:
        return []
    specs = _specs(months, today or local_today(), with_year_before=False)
    found = {
        pid: (int(values[0]), int(values[1]))
        for tag, pid, member, *values in metrics_sql.appearance_rows([agency.pk], specs)
        if tag == "p"
    }
    return [MonthlyAttendance(month, *found.get(pid, (0, 0))) for pid, month in enumerate(months)]


def missed_facts(period: Period, agency: Agency) -> QuerySet[DefendantFact]:
    """The stored facts of the obligations dated in the period, defendant in the agency's scope, not
    waived and not head-attended: the one definition of a missed obligation (reports.facts keeps
    these rows equal to hearings.obligations)."""
    return missed_facts_between(period.start, period.end, agency)


def missed_facts_between(start: datetime.date, end: datetime.date, agency: Agency) -> QuerySet[DefendantFact]:
    """missed_facts for the days from `start` to `end` (several periods read at once)."""
    return missed_facts_within([(start, end)], [agency])


def missed_facts_within(
    ranges: Sequence[tuple[datetime.date, datetime.date]], agencies: Sequence[Agency]
) -> QuerySet[DefendantFact]:
    """missed_facts for the days of any of `ranges` in the scope of any of `agencies`."""
    days, scope = Q(pk__in=[]), Q(pk__in=[])
    for start, end in ranges:
        days |= Q(obligation_date__range=(start, end))
    for agency in agencies:
        scope |= Q(agency__path__startswith=agency.path)
    return DefendantFact.objects.filter(days, scope, waived=False, head_attended=False)


def missed_obligations(period: Period, agency: Agency) -> QuerySet[Defendant]:
    """The defendants of missed_facts, with their case, court and agency and the annotations of
    annotate_obligations, in date order (dashboards)."""
    return (
        Defendant.objects.filter(fact__in=missed_facts(period, agency))
        .annotate(
            obligation_date=F("fact__obligation_date"),
            waived=F("fact__waived"),
            head_attended=F("fact__head_attended"),
            principal_attended=F("fact__principal_attended"),
            spoke=F("fact__spoke"),
        )
        .select_related("case", "case__court", "agency")
        .order_by("obligation_date", "case__number", "agency__path")
    )
