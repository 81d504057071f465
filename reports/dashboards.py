"""Reads behind the justice bureau's dashboards, scoped to the user, in a bounded number of queries.

Every figure comes from `reports.metrics` (live) or from the stored rankings (`RankingTable`); this
module only chooses which figures a page shows, gathers the facts around them (cases, hearings, who
appeared) and labels them. Nothing here recomputes a metric.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.choices import AgencyKind, UserRole
from agencies.models import Agency
from agencies.scope import agencies_visible_to, scope_root
from cases.models import Defendant
from cases.selectors import cases_visible_to
from hearings.choices import HearingStatus
from hearings.models import AbsenceExplanation, Appearance, HeadFiling, Hearing
from hearings.obligations import annotate_appearance_role
from hearings.selectors import hearings_visible_to
from hearings.templatetags.hearings_tags import person_label
from litigation.dates import local_today

from .metrics import Metrics, metrics_for_periods, missed_obligations
from .models import ComputationRun, RankingRow, RankingTable, RunStatus
from .periods import Period, PeriodKind
from .rankings import figure_value

TREND_MONTHS = 36
UPCOMING_DAYS = 14
WALL_ROWS = 8  # ranked members per ranking on the wall screen

# ---- who sees which dashboard ------------------------------------------------------------------


def can_view_dashboards(user) -> bool:
    """Officers, agency users, liaison staff (read-only) and superusers; API clients use the API."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.role in (UserRole.OFFICER, UserRole.AGENCY, UserRole.LIAISON))
    )


def can_compute_rankings(user) -> bool:
    """Officers (and superusers) may ask for a ranking that was never computed."""
    return bool(user.is_authenticated and (user.is_superuser or user.role == UserRole.OFFICER))


def default_agency() -> Agency | None:
    """The root government (the city): the dashboard of superusers and liaison staff by default."""
    return (
        Agency.objects.filter(parent__isnull=True, kind=AgencyKind.GOVERNMENT).order_by("path").first()
        or Agency.objects.filter(parent__isnull=True).order_by("path").first()
    )


def scope_root_or_default(user) -> Agency | None:
    """The agency a user's dashboards start from."""
    return scope_root(user) or default_agency()


def dashboard_agency(*, user, agency_id: Any = None) -> Agency | None:
    """The agency whose scope a dashboard shows: `agency_id` if the user may see it (else 404),
    otherwise the user's own scope (officers: their government; agency users: their agency), or the
    root government for superusers and liaison staff. None only while no agency exists."""
    if not can_view_dashboards(user):
        raise PermissionDenied
    if agency_id not in (None, ""):
        try:
            pk = int(agency_id)
        except (TypeError, ValueError):
            pk = 0
        return get_object_or_404(agencies_visible_to(user), pk=pk)
    return scope_root_or_default(user)


def agency_choices(*, user, current: Agency | None) -> list[Agency]:
    """Governments the user may switch to (their own scope's), plus the current agency."""
    if current is None:
        return []
    choices = list(
        agencies_visible_to(user).filter(kind=AgencyKind.GOVERNMENT).only("id", "name", "depth", "path")
    )
    if all(a.pk != current.pk for a in choices):
        choices.append(current)
        choices.sort(key=lambda a: a.path)
    top = min(a.depth for a in choices)
    for a in choices:
        a.indent = "\u3000" * (a.depth - top)  # ideographic spaces show the tree in a <select>
    return choices


# ---- periods -----------------------------------------------------------------------------------


def default_period(today: datetime.date | None = None) -> Period:
    """The last complete month."""
    return Period.month_of(today or local_today()).previous()


def last_complete(kind: PeriodKind, today: datetime.date | None = None) -> Period:
    return Period.of(today or local_today(), kind).previous()


@dataclass(frozen=True)
class PeriodGroup:
    label: Promise
    periods: list[Period]


def period_choices(selected: Period, today: datetime.date | None = None) -> list[PeriodGroup]:
    """The periods a selector offers: the current and the last 36 months, 12 quarters and 6 years
    (and the selected one, wherever it is)."""
    today = today or local_today()

    def run(kind: PeriodKind, count: int) -> list[Period]:
        period, out = Period.of(today, kind), []
        for _index in range(count + 1):
            out.append(period)
            period = period.previous()
        if selected.kind == kind and selected not in out:
            out.append(selected)
            out.sort(reverse=True)
        return out

    return [
        PeriodGroup(_("月度"), run(PeriodKind.MONTH, TREND_MONTHS)),
        PeriodGroup(_("季度"), run(PeriodKind.QUARTER, 12)),
        PeriodGroup(_("年度"), run(PeriodKind.YEAR, 6)),
    ]


def is_complete(period: Period, today: datetime.date | None = None) -> bool:
    return period.end < (today or local_today())


# ---- the 1+3 headline --------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureSpec:
    """How the dashboards show one metric: its label, the counts it is made of and why it may be null."""

    name: str
    label: Promise
    numerator: str | None = None
    denominator: str | None = None
    parts: Promise | None = None  # "%(n)s of %(d)s", in words
    null_reason: Promise | None = None
    target: bool = False  # the "1+3" figures, whose target is 100%
    unit: Promise | None = None  # for counts


@dataclass(frozen=True)
class Figure:
    spec: FigureSpec
    value: Any  # Fraction | None for rates, int for counts
    numerator: int | None
    denominator: int | None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self):
        return self.spec.label

    @property
    def state(self) -> str:
        """ok (at the 100% target), bad (below it), none (null) or plain (no target)."""
        if self.value is None:
            return "none"
        if not self.spec.target:
            return "plain"
        return "ok" if self.value >= 1 else "bad"

    @property
    def parts_text(self) -> str:
        if self.spec.parts is None or self.numerator is None:
            return ""
        return str(self.spec.parts) % {"n": self.numerator, "d": self.denominator}

    @property
    def null_reason(self) -> str:
        return str(self.spec.null_reason or "")


TARGET_FIGURES = (
    FigureSpec(
        "attendance_rate",
        _("出庭应诉率"),
        "head_attended",
        "obligations",
        _("负责人出庭 %(n)s 件 / 应出庭 %(d)s 件"),
        _("本期没有应出庭的案件（分母为 0）"),
        target=True,
    ),
    FigureSpec(
        "principal_coverage",
        _("主要负责人出庭全覆盖"),
        "covered_agencies",
        "obligated_agencies",
        _("主要负责人出过庭 %(n)s 个 / 有出庭义务的机关 %(d)s 个"),
        _("本期没有负有出庭义务的机关（分母为 0）"),
        target=True,
    ),
    FigureSpec(
        "observation_coverage",
        _("庭审观摩覆盖率"),
        "observed_agencies",
        "active_agencies",
        _("参加庭审观摩 %(n)s 个 / 机关 %(d)s 个"),
        _("本期范围内没有存续的机关（分母为 0）"),
        target=True,
    ),
    FigureSpec(
        "training_coverage",
        _("法治培训覆盖率"),
        "trained_agencies",
        "active_agencies",
        _("参加法治培训 %(n)s 个 / 机关 %(d)s 个"),
        _("本期范围内没有存续的机关（分母为 0）"),
        target=True,
    ),
)

OTHER_FIGURES = (
    FigureSpec(
        "principal_share",
        _("主要负责人出庭占比"),
        "principal_attended",
        "head_attended",
        _("主要负责人出庭 %(n)s 件 / 负责人出庭 %(d)s 件"),
        _("本期没有负责人出庭的案件（分母为 0）"),
    ),
    FigureSpec(
        "spoke_rate",
        _("出庭出声率"),
        "spoke",
        "head_attended",
        _("负责人出声 %(n)s 件 / 负责人出庭 %(d)s 件"),
        _("本期没有负责人出庭的案件（分母为 0）"),
    ),
    FigureSpec(
        "case_volume_change",
        _("新收案件同比"),
        "cases_filed",
        "cases_filed_prev_year",
        _("新收 %(n)s 件，上年同期 %(d)s 件"),
        _("上年同期没有新收案件，无法计算同比（分母为 0）"),
    ),
    FigureSpec(
        "loss_rate",
        _("败诉率"),
        "lost",
        "concluded",
        _("败诉 %(n)s 件 / 审结 %(d)s 件"),
        _("本期没有审结的案件（分母为 0）"),
    ),
    FigureSpec(
        "disputes_head_share",
        _("化解行政争议"),
        "disputes_head_participated",
        "disputes_resolved",
        _("负责人参与 %(n)s 件 / 化解 %(d)s 件"),
        _("本期没有化解的行政争议（分母为 0）"),
    ),
)

FIGURE_SPECS = {spec.name: spec for spec in TARGET_FIGURES + OTHER_FIGURES}


def figure(spec: FigureSpec, values: Any) -> Figure:
    """A figure from a Metrics object or a stored figures dict (rates there are "n/d" strings)."""

    def get(name):
        if name is None:
            return None
        value = values.get(name) if isinstance(values, dict) else getattr(values, name)
        return figure_value(value)

    return Figure(spec, get(spec.name), get(spec.numerator), get(spec.denominator))


@dataclass(frozen=True)
class Headline:
    agency: Agency
    period: Period
    metrics: Metrics
    targets: list[Figure]
    others: list[Figure]

    @property
    def streak(self) -> int:
        return self.metrics.streak_months

    @property
    def missed(self) -> int:
        """Obligations no head attended (METRICS.md: obligations − head_attended)."""
        return self.metrics.obligations - self.metrics.head_attended

    @property
    def at_target(self) -> bool:
        return all(f.state == "ok" for f in self.targets)


def headline(agency: Agency, period: Period, *, today: datetime.date | None = None) -> Headline:
    """The 1+3 headline of the agency's scope for the period: two queries (reports.metrics)."""
    metrics = metrics_for_periods([period], [agency], today=today)[period][agency.pk]
    return Headline(
        agency=agency,
        period=period,
        metrics=metrics,
        targets=[figure(spec, metrics) for spec in TARGET_FIGURES],
        others=[figure(spec, metrics) for spec in OTHER_FIGURES],
    )


# ---- trends ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendMonth:
    month: Period
    metrics: Metrics

    @property
    def missed(self) -> int:
        """Obligations of the month no head attended."""
        return self.metrics.obligations - self.metrics.head_attended


def trend_months(end: Period, count: int = TREND_MONTHS) -> list[Period]:
    """`count` calendar months ending with the last month of `end`, oldest first."""
    month = Period(end.year, PeriodKind.MONTH, end.last_month)
    months = [month]
    for _index in range(count - 1):
        month = month.previous()
        months.append(month)
    return months[::-1]


def trends(
    agency: Agency, end: Period, *, count: int = TREND_MONTHS, today: datetime.date | None = None
) -> list[TrendMonth]:
    """Every figure of the scope month by month, oldest first: two queries for all the months."""
    months = trend_months(end, count)
    by_period = metrics_for_periods(months, [agency], today=today)
    return [TrendMonth(month, by_period[month][agency.pk]) for month in months]


def _chart_pct(value: Fraction | None) -> float | None:
    # Charts plot percentages with 2 decimals; the exact figure is in the table.
    return None if value is None else float(round(Fraction(value) * 100, 2))


def trend_chart_data(series: list[TrendMonth]) -> dict:
    """The series as the charts (static/js/dashboard.js) read them: percentages and counts."""
    return {
        "labels": [str(t.month) for t in series],
        "attendance_rate": [_chart_pct(t.metrics.attendance_rate) for t in series],
        "principal_share": [_chart_pct(t.metrics.principal_share) for t in series],
        "cases_filed": [t.metrics.cases_filed for t in series],
        "loss_rate": [_chart_pct(t.metrics.loss_rate) for t in series],
        "obligations": [t.metrics.obligations for t in series],
        "concluded": [t.metrics.concluded for t in series],
    }


# ---- rankings ----------------------------------------------------------------------------------

# The order ranking tables appear in: counties, townships, departments.
KIND_ORDER = {AgencyKind.GOVERNMENT: 0, AgencyKind.TOWNSHIP: 1, AgencyKind.DEPARTMENT: 2}
KIND_TITLES = {
    AgencyKind.GOVERNMENT: _("县（市、区）排名"),
    AgencyKind.TOWNSHIP: _("乡镇（街道）排名"),
    AgencyKind.DEPARTMENT: _("部门排名"),
}


@dataclass(frozen=True)
class RankChange:
    """How a member's rank moved against the previous period of the same kind."""

    symbol: str  # ↑2, ↓1, 新, —
    css: str  # up, down, new, same
    title: str
    delta: int | None = None  # positive = moved up


def rank_change(rank: int | None, previous: int | None, *, member_was_listed: bool, previous_exists: bool):
    if rank is None:
        return RankChange("—", "same", str(_("本期无应出庭案件，不参与排名")))
    if not previous_exists:
        return RankChange("—", "same", str(_("上期排名尚未计算，无法比较")))
    if previous is None:
        title = _("上期未参与排名") if member_was_listed else _("上期不在本排名中")
        return RankChange(str(_("新")), "new", str(title))
    delta = previous - rank
    if delta > 0:
        return RankChange(f"↑{delta}", "up", str(_("比上期上升 %(n)s 名") % {"n": delta}), delta)
    if delta < 0:
        return RankChange(f"↓{-delta}", "down", str(_("比上期下降 %(n)s 名") % {"n": -delta}), delta)
    return RankChange("—", "same", str(_("与上期名次相同")), 0)


@dataclass
class RankingLine:
    row: RankingRow
    figures: dict[str, Any]
    change: RankChange
    has_members: bool  # the member issues rankings of its own in this period: drill down

    @property
    def agency(self) -> Agency:
        return self.row.agency

    def figure(self, name: str) -> Any:
        return self.figures.get(name)

    @property
    def missed(self) -> int:
        """Obligations no head attended, from the stored figures."""
        return (self.figures.get("obligations") or 0) - (self.figures.get("head_attended") or 0)


@dataclass
class RankingBlock:
    table: RankingTable
    lines: list[RankingLine]
    previous_period: Period
    previous_computed: bool

    @property
    def title(self):
        return KIND_TITLES.get(self.table.member_kind, self.table.get_member_kind_display())

    @property
    def summary(self) -> dict[str, Any]:
        return {name: figure_value(value) for name, value in self.table.summary.items()}

    @property
    def named(self) -> list[RankingLine]:
        return [line for line in self.lines if line.row.named]

    @property
    def ranked(self) -> list[RankingLine]:
        return [line for line in self.lines if line.row.rank is not None]

    @property
    def unranked(self) -> list[RankingLine]:
        """Members without obligations in the period: listed, not ranked."""
        return [line for line in self.lines if line.row.rank is None]

    def top(self, limit: int) -> list[RankingLine]:
        """The first ranked lines up to `limit`, and every named member whatever its place (the wall
        screen shows the head of the table and everyone to be named)."""
        ranked = self.ranked
        if len(ranked) <= limit:
            return ranked
        named = [line for line in ranked if line.row.named]
        head = [line for line in ranked if not line.row.named][: max(limit - len(named), 3)]
        return sorted(head + named, key=lambda line: line.row.position)

    @property
    def wall_lines(self) -> list[RankingLine]:
        return self.top(WALL_ROWS)

    @property
    def wall_hidden(self) -> int:
        return len(self.ranked) - len(self.wall_lines)

    @property
    def with_interviews(self) -> bool:
        return self.table.period_kind in (PeriodKind.QUARTER, PeriodKind.YEAR)


def ranking_blocks(issuer: Agency, period: Period) -> list[RankingBlock]:
    """The stored rankings the issuer published for the period (one per member kind), each row with
    its change of rank against the previous period: three queries whatever the number of members."""
    previous = period.previous()
    tables = list(
        RankingTable.objects.filter(issuer=issuer, period__in=[str(period), str(previous)]).select_related(
            "issuer"
        )
    )
    current = sorted(
        (t for t in tables if t.period == str(period)), key=lambda t: KIND_ORDER.get(t.member_kind, 9)
    )
    if not current:
        return []
    earlier = {t.member_kind: t for t in tables if t.period == str(previous)}
    issuers = RankingTable.objects.filter(period=str(period), issuer_id=OuterRef("agency_id"))
    rows = (
        RankingRow.objects.filter(table__in=current)
        .select_related("agency")
        .annotate(has_members=Exists(issuers))
        .order_by("table_id", "position")
    )
    previous_ranks: dict[str, dict[int, int | None]] = defaultdict(dict)
    if earlier:
        for table_id, agency_id, rank in RankingRow.objects.filter(
            table__in=list(earlier.values())
        ).values_list("table_id", "agency_id", "rank"):
            kind = next(k for k, t in earlier.items() if t.pk == table_id)
            previous_ranks[kind][agency_id] = rank
    lines_by_table: dict[int, list[RankingLine]] = defaultdict(list)
    for row in rows:
        kind = next(t.member_kind for t in current if t.pk == row.table_id)
        before = previous_ranks.get(kind, {})
        lines_by_table[row.table_id].append(
            RankingLine(
                row=row,
                figures={name: figure_value(value) for name, value in row.figures.items()},
                change=rank_change(
                    row.rank,
                    before.get(row.agency_id),
                    member_was_listed=row.agency_id in before,
                    previous_exists=kind in earlier,
                ),
                has_members=row.has_members,
            )
        )
    return [
        RankingBlock(
            table=t,
            lines=lines_by_table.get(t.pk, []),
            previous_period=previous,
            previous_computed=t.member_kind in earlier,
        )
        for t in current
    ]


@dataclass(frozen=True)
class OwnPlace:
    """Where an agency stands in its parent government's ranking (for the drill-down header)."""

    table: RankingTable
    rank: int | None
    named: bool
    members: int

    @property
    def title(self):
        return KIND_TITLES.get(self.table.member_kind, self.table.get_member_kind_display())


def own_places(agency: Agency, period: Period) -> list[OwnPlace]:
    """The agency's rows in the rankings of the period (usually one: its parent's), one query."""
    from django.db.models import Count

    rows = (
        RankingRow.objects.filter(agency=agency, table__period=str(period))
        .select_related("table", "table__issuer")
        .annotate(members=Count("table__rows"))
    )
    return [OwnPlace(r.table, r.rank, r.named, r.members) for r in rows]


def computation_pending(period: Period) -> bool:
    """Whether a computation of the period is queued or running (one query)."""
    recent = ComputationRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).values_list(
        "periods", flat=True
    )[:50]
    return any(str(period) in (periods or []) for periods in recent)


# ---- missed obligations ------------------------------------------------------------------------


@dataclass
class HeldHearing:
    """One held hearing of a missed obligation's case, and who appeared there for the agency."""

    hearing: Hearing
    people: list[str] = field(default_factory=list)  # labelled: "钱律师（律师）"


@dataclass
class MissedLine:
    defendant: Defendant  # annotated by hearings.obligations (obligation_date, ...)
    hearings: list[HeldHearing] = field(default_factory=list)  # the case's held hearings
    filed: list[str] = field(default_factory=list)  # heads filed (备案) to appear
    absences: list[AbsenceExplanation] = field(default_factory=list)

    @property
    def stand_ins(self) -> list[str]:
        """Everyone who appeared for the agency at the case's held hearings, once each."""
        return list(dict.fromkeys(person for held in self.hearings for person in held.people))

    @property
    def case(self):
        return self.defendant.case

    @property
    def agency(self) -> Agency:
        return self.defendant.agency

    @property
    def date(self) -> datetime.date:
        return self.defendant.obligation_date


def missed_lines(*, user, agency: Agency, period: Period) -> list[MissedLine]:
    """Every obligation of the period in the agency's scope that no head attended (reports.metrics.
    missed_obligations), among the cases the user may see, with the case's held hearings, who
    appeared for the agency instead, the heads filed to appear and the absence explanations: five
    queries whatever the number of rows."""
    defendants = list(
        missed_obligations(period, agency)
        .filter(case__in=cases_visible_to(user).values("pk"))
        .select_related("agency__parent")
    )
    if not defendants:
        return []
    case_ids = {d.case_id for d in defendants}
    agency_ids = {d.agency_id for d in defendants}
    lines = {(d.case_id, d.agency_id): MissedLine(d) for d in defendants}

    hearings_by_case: dict[int, list[Hearing]] = defaultdict(list)
    for hearing in Hearing.objects.filter(case_id__in=case_ids, status=HearingStatus.HELD).order_by(
        "date", "time", "id"
    ):
        hearings_by_case[hearing.case_id].append(hearing)
    for (case_id, _agency_id), line in lines.items():
        line.hearings = [HeldHearing(h) for h in hearings_by_case.get(case_id, [])]

    appearances = annotate_appearance_role(
        Appearance.objects.filter(
            hearing__case_id__in=case_ids, hearing__status=HearingStatus.HELD, agency_id__in=agency_ids
        ).select_related("official", "hearing")
    ).order_by("hearing__date", "id")
    held_by_key = {
        (h.hearing.pk, agency_id): h for (_c, agency_id), line in lines.items() for h in line.hearings
    }
    for a in appearances:
        held = held_by_key.get((a.hearing_id, a.agency_id))
        if held is not None:
            name = a.official.name if a.official_id else a.person_name
            held.people.append(person_label(name, a.role, capacity=a.capacity))

    for f in (
        HeadFiling.objects.filter(
            hearing__case_id__in=case_ids, hearing__status=HearingStatus.HELD, agency_id__in=agency_ids
        )
        .select_related("official", "hearing")
        .order_by("hearing__date", "id")
    ):
        line = lines.get((f.hearing.case_id, f.agency_id))
        if line is not None and f.official.name not in line.filed:
            line.filed.append(f.official.name)

    for absence in (
        AbsenceExplanation.objects.filter(
            hearing__case_id__in=case_ids, hearing__status=HearingStatus.HELD, agency_id__in=agency_ids
        )
        .select_related("hearing")
        .order_by("hearing__date", "id")
    ):
        line = lines.get((absence.hearing.case_id, absence.agency_id))
        if line is not None:
            line.absences.append(absence)
    return list(lines.values())


def missed_count(*, user, agency: Agency, period: Period) -> int:
    """How many obligations of the period no head attended, among the cases the user may see."""
    return missed_obligations(period, agency).filter(case__in=cases_visible_to(user).values("pk")).count()


def missed_filter_agencies(root: Agency) -> QuerySet[Agency]:
    """The agencies the missed list can be narrowed to: the root and two levels under it."""
    return (
        Agency.objects.in_scope_of(root)
        .filter(depth__lte=root.depth + 2)
        .only("id", "name", "depth", "path", "kind")
    )


# ---- the liaison's (and agency user's) upcoming hearings ---------------------------------------


@dataclass(frozen=True)
class UpcomingHearing:
    hearing: Hearing
    can_record: bool  # the user records this hearing's sheet (liaison staff at its court)
    filing_agencies: tuple[Agency, ...] = ()  # defendants the user files the appearing head for


def upcoming_hearings(
    *, user, days: int = UPCOMING_DAYS, today: datetime.date | None = None
) -> list[UpcomingHearing]:
    """Hearings in the next `days` days (today included) that the user may see, soonest first, with
    their defendants: three queries."""
    today = today or local_today()
    hearings = list(
        hearings_visible_to(user)
        .filter(date__range=(today, today + datetime.timedelta(days=days)))
        .exclude(status=HearingStatus.CANCELLED)
        .select_related("case", "case__court")
        .prefetch_related(
            Prefetch(
                "case__defendants",
                queryset=Defendant.objects.select_related("agency").order_by("id"),
                to_attr="defendant_list",
            )
        )
        .order_by("date", "time", "id")
    )
    if user.is_superuser:
        writable = None
    elif user.role == UserRole.LIAISON:
        writable = set(user.courts.values_list("pk", flat=True))
    else:
        writable = set()
    own = scope_root(user) if user.role == UserRole.AGENCY else None
    return [
        UpcomingHearing(
            h,
            writable is None or h.case.court_id in writable,
            tuple(
                d.agency for d in h.case.defendant_list if own is not None and d.agency.is_in_scope_of(own)
            ),
        )
        for h in hearings
    ]
