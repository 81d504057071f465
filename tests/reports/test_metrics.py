"""The figures of METRICS.md from reports.metrics: the worked example, the streak, the other figures,
overlapping scopes and a constant number of queries."""

import dataclasses
import datetime
from fractions import Fraction

import pytest

from agencies.choices import AgencyKind, PositionRole
from agencies.services import agency_create, court_create, official_create, position_create
from cases.choices import DisputeStatus, Outcome
from cases.services import DefendantInput, case_create, case_update, dispute_create
from hearings.choices import EventKind, HearingStatus
from hearings.services import appearance_create, event_create, hearing_create, hearing_update
from reports.metrics import (
    METRIC_NAMES,
    Metrics,
    metrics_for_periods,
    metrics_for_scope,
    metrics_for_scopes,
    missed_obligations,
    monthly_attendance_series,
    round_rate,
)
from reports.periods import Period

MARCH = Period.parse("2023-03")
APRIL_5 = datetime.date(2023, 4, 5)


def figures(agency, period=MARCH, today=APRIL_5):
    return metrics_for_scope(period, agency, today=today)


# ---- the worked example ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_worked_example_for_county_c(worked_example):
    m = figures(worked_example.county)
    assert (m.obligations, m.head_attended, m.principal_attended, m.spoke) == (3, 2, 1, 1)
    assert m.attendance_rate == Fraction(2, 3)
    assert round_rate(m.attendance_rate) == 0.6667
    assert (m.principal_share, m.spoke_rate) == (Fraction(1, 2), Fraction(1, 2))
    assert (m.covered_agencies, m.obligated_agencies, m.principal_coverage) == (1, 2, Fraction(1, 2))
    assert m.streak_months == 0


@pytest.mark.django_db
def test_worked_example_departments_and_city(worked_example):
    ex = worked_example
    d1, d2, city = figures(ex.d1), figures(ex.d2), figures(ex.city)
    assert (d1.obligations, d1.head_attended, d1.attendance_rate) == (2, 2, Fraction(1))
    assert (d1.principal_share, d1.principal_coverage, d1.streak_months) == (Fraction(1, 2), Fraction(1), 1)
    assert (d2.obligations, d2.head_attended, d2.attendance_rate) == (1, 0, Fraction(0))
    assert (d2.principal_share, d2.spoke_rate, d2.principal_coverage) == (None, None, Fraction(0))
    assert d2.streak_months == 0
    assert city == dataclasses.replace(figures(ex.county), active_agencies=4), (
        "the city has no case of its own"
    )


@pytest.mark.django_db
def test_worked_example_with_the_head_required_at_h2(worked_example):
    ex = worked_example
    hearing_update(hearing=ex.h2, version=ex.h2.version, head_required=True)
    m = figures(ex.county)
    assert (m.obligations, m.head_attended, m.attendance_rate) == (3, 1, Fraction(1, 3))
    assert (m.principal_attended, m.principal_share, m.spoke_rate) == (1, Fraction(1), Fraction(1))
    assert figures(ex.d1).streak_months == 0


@pytest.mark.django_db
def test_a_case_with_only_a_cancelled_hearing_is_no_obligation(worked_example):
    ex = worked_example
    hearing_update(hearing=ex.h4, version=ex.h4.version, status=HearingStatus.POSTPONED)
    assert figures(ex.d2).obligations == 1
    hearing_update(hearing=ex.h4, version=ex.h4.version, status=HearingStatus.HELD)
    assert figures(ex.d2).obligations == 2


@pytest.mark.django_db
def test_a_waived_obligation_drops_from_every_count(worked_example):
    ex = worked_example
    case_update(
        case=ex.k1,
        version=ex.k1.version,
        defendants=[DefendantInput(agency=ex.d1), DefendantInput(agency=ex.d2, head_waived=True)],
    )
    m = figures(ex.county)
    assert (m.obligations, m.head_attended, m.obligated_agencies, m.principal_coverage) == (
        2,
        2,
        1,
        Fraction(1),
    )


@pytest.mark.django_db
def test_missed_obligations_lists_what_was_not_head_attended(worked_example, django_assert_num_queries):
    ex = worked_example
    with django_assert_num_queries(1):
        missed = [
            (d.case.number, d.agency.name, d.obligation_date, d.case.court.name)
            for d in missed_obligations(MARCH, ex.county)
        ]
    assert missed == [(ex.k1.number, "D2局", datetime.date(2023, 3, 10), "C县人民法院")]
    hearing_update(hearing=ex.h2, version=ex.h2.version, head_required=True)
    assert [(d.case_id, d.agency_id) for d in missed_obligations(MARCH, ex.county)] == [
        (ex.k1.pk, ex.d2.pk),
        (ex.k2.pk, ex.d1.pk),
    ]
    assert list(missed_obligations(Period.parse("2023-04"), ex.county)) == []


@pytest.mark.django_db
def test_monthly_attendance_series(worked_example):
    months = [Period.parse(p) for p in ("2023-02", "2023-03", "2023-04")]
    series = monthly_attendance_series(worked_example.county, months, today=APRIL_5)
    assert [(s.period, s.obligations, s.head_attended, s.attendance_rate) for s in series] == [
        (months[0], 0, 0, None),
        (months[1], 3, 2, Fraction(2, 3)),
        (months[2], 0, 0, None),
    ]


# ---- the streak -----------------------------------------------------------------------------------


@pytest.fixture
def bureau(db):
    """A department under a government, and `bureau.hearing(date, head=True, agency=bureau)`: a new
    case against the agency with one held hearing, attended by its principal or only by a lawyer."""
    government = agency_create(name="县人民政府", kind=AgencyKind.GOVERNMENT)
    bureau = agency_create(name="县市场监管局", kind=AgencyKind.DEPARTMENT, parent=government)
    court = court_create(name="县人民法院", level="basic", code="鲁1503")
    counter = iter(range(1, 1000))
    principals = {}

    def principal_of(agency):
        if agency.pk not in principals:
            principals[agency.pk] = official_create(name=f"{agency.name}局长")
            position_create(
                official=principals[agency.pk],
                agency=agency,
                role=PositionRole.PRINCIPAL,
                start_date=datetime.date(2015, 1, 1),
            )
        return principals[agency.pk]

    def hearing(date, head=True, agency=bureau):
        case = case_create(
            number=f"（{date.year}）鲁1503行初{next(counter)}号",
            court=court,
            filed_on=date.replace(day=1),
            plaintiff_name="原告",
            plaintiff_kind="person",
            cause="行政处罚",
            defendants=[DefendantInput(agency=agency)],
        )
        held = hearing_create(case=case, date=date, status=HearingStatus.HELD)
        if head:
            appearance_create(hearing=held, agency=agency, official=principal_of(agency), spoke=True)
        else:
            appearance_create(hearing=held, agency=agency, person_name="钱律师", capacity="lawyer")
        return held

    bureau.hearing = hearing
    bureau.government = government
    return bureau


def d(month, day=10, year=2023):
    return datetime.date(year, month, day)


@pytest.mark.django_db
def test_streak_counts_from_the_first_obligation_and_months_without_obligations(bureau):
    bureau.hearing(d(1))
    bureau.hearing(d(3))  # February has no obligation: it keeps the streak and counts
    assert figures(bureau, MARCH).streak_months == 3
    assert figures(bureau, Period.parse("2023-01")).streak_months == 1
    assert figures(bureau, Period.parse("2022-12")).streak_months == 0, "no obligation yet"
    assert figures(bureau.government, MARCH).streak_months == 3, "the government's scope"


@pytest.mark.django_db
def test_streak_starts_after_the_last_month_below_one(bureau):
    bureau.hearing(d(11, year=2022))
    bureau.hearing(d(12, year=2022), head=False)
    bureau.hearing(d(1))
    bureau.hearing(d(3))
    assert figures(bureau, MARCH).streak_months == 3  # January, February, March
    assert figures(bureau, Period.parse("2022-12")).streak_months == 0
    assert figures(bureau, Period.parse("2022-11")).streak_months == 1
    bureau.hearing(d(3, 20), head=False)
    assert figures(bureau, MARCH).streak_months == 0, "the last month is below 1"


@pytest.mark.django_db
def test_streak_ends_with_the_current_month_when_the_period_runs_on(bureau):
    bureau.hearing(d(1))
    year = Period.parse("2023")
    assert figures(bureau, year, today=d(4, 5)).streak_months == 4  # January to April
    assert figures(bureau, year, today=datetime.date(2024, 2, 1)).streak_months == 12
    assert figures(bureau, Period.parse("2023-Q2"), today=d(5, 31)).streak_months == 5


@pytest.mark.django_db
def test_streak_reaches_years_back(bureau):
    """A long streak is counted from its start however far back (the history is read in steps)."""
    bureau.hearing(d(6, year=2018), head=False)
    for year in range(2018, 2024):
        bureau.hearing(d(9, year=year))
    assert figures(bureau, MARCH).streak_months == 12 * 4 + 9  # July 2018 to March 2023
    assert figures(bureau, Period.parse("2018-06")).streak_months == 0
    assert figures(bureau, Period.parse("2019-06")).streak_months == 12


# ---- the other figures ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_observation_training_cases_outcomes_and_disputes(bureau):
    gov = bureau.government
    closed = agency_create(
        name="已撤销的局",
        kind=AgencyKind.DEPARTMENT,
        parent=gov,
        active_from=datetime.date(2010, 1, 1),
        active_until=datetime.date(2023, 2, 28),
    )
    new = agency_create(
        name="新设的局", kind=AgencyKind.DEPARTMENT, parent=gov, active_from=datetime.date(2023, 3, 31)
    )
    event_create(kind=EventKind.TRIAL_OBSERVATION, date=d(3, 15), title="观摩", agencies=[bureau, closed])
    event_create(kind=EventKind.TRAINING, date=d(3, 1), title="培训", agencies=[gov, bureau, new])
    event_create(kind=EventKind.TRAINING, date=d(4, 1), title="四月培训", agencies=[gov, bureau, new])

    court = bureau.hearing(d(1)).case.court
    case_create(
        number="（2023）鲁1503行初900号",
        court=court,
        filed_on=d(3, 1),
        plaintiff_name="甲公司",
        plaintiff_kind="enterprise",
        cause="行政许可",
        defendants=[
            DefendantInput(agency=bureau, outcome=Outcome.REVOKED),
            DefendantInput(agency=gov, outcome=Outcome.WITHDRAWN_AFTER_CHANGE),
        ],
        concluded_on=d(3, 30),
    )
    case_create(
        number="（2022）鲁1503行初901号",
        court=court,
        filed_on=d(3, 31, 2022),
        plaintiff_name="乙",
        plaintiff_kind="person",
        cause="行政处罚",
        defendants=[
            DefendantInput(agency=bureau, outcome=Outcome.CLAIMS_DISMISSED),
            DefendantInput(agency=new),
        ],
        concluded_on=d(3, 1),
    )
    for resolved_on, status, head in [
        (d(3, 2), DisputeStatus.RESOLVED, True),
        (d(3, 31), DisputeStatus.RESOLVED, False),
        (d(4, 1), DisputeStatus.RESOLVED, True),
        (None, DisputeStatus.OPEN, True),
    ]:
        dispute_create(
            agency=bureau, received_on=d(2, 1), resolved_on=resolved_on, status=status, head_participated=head
        )

    m = figures(gov)
    assert (m.active_agencies, m.observed_agencies, m.trained_agencies) == (3, 1, 3)
    assert (m.observation_coverage, m.training_coverage) == (Fraction(1, 3), Fraction(1))
    # The shared case counts once; the 2022 case counts for March 2022; the January case is not March.
    assert (m.cases_filed, m.cases_filed_prev_year, m.case_volume_change) == (1, 1, Fraction(0))
    # Concluded pairs: revoked (lost), withdrawn after change, claims dismissed; `new` had no outcome.
    assert (m.concluded, m.lost, m.withdrawn_after_change, m.loss_rate) == (3, 1, 1, Fraction(1, 3))
    assert (m.disputes_resolved, m.disputes_head_participated, m.disputes_head_share) == (
        2,
        1,
        Fraction(1, 2),
    )

    b = figures(bureau)
    assert (b.active_agencies, b.observation_coverage, b.cases_filed, b.concluded, b.lost) == (
        1,
        Fraction(1),
        1,
        2,
        1,
    )
    april = figures(gov, Period.parse("2023-04"), today=d(5, 1))
    assert (april.active_agencies, april.training_coverage, april.cases_filed) == (3, Fraction(1), 0)
    assert (april.cases_filed_prev_year, april.case_volume_change) == (0, None)
    assert figures(gov, Period.parse("2024-03"), today=d(5, 1, 2024)).case_volume_change == Fraction(-1)


# ---- shape and scale ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_metrics_md_name_is_a_field():
    names = set(Metrics.__dataclass_fields__)
    assert set(METRIC_NAMES) <= names
    assert Metrics.from_counts().as_dict()["attendance_rate"] is None


@pytest.mark.django_db
def test_overlapping_scopes_in_one_call_equal_separate_calls(worked_example):
    ex = worked_example
    members = [ex.city, ex.county, ex.d1, ex.d2]
    together = metrics_for_scopes(MARCH, members, today=APRIL_5)
    assert together == {a.pk: figures(a) for a in members}
    periods = [MARCH, Period.parse("2023-Q1"), Period.parse("2023")]
    batch = metrics_for_periods(periods, members, today=APRIL_5)
    assert batch == {p: {a.pk: figures(a, p) for a in members} for p in periods}


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_members_cases_or_periods(bureau, django_assert_num_queries):
    departments = [
        agency_create(name=f"第{i}局", kind=AgencyKind.DEPARTMENT, parent=bureau.government)
        for i in range(30)
    ]
    with django_assert_num_queries(2):
        few = metrics_for_scopes(MARCH, departments[:3], today=APRIL_5)
    for i, department in enumerate(departments):
        bureau.hearing(d(1 + i % 3, 1 + i % 28), head=bool(i % 2), agency=department)
    with django_assert_num_queries(2):
        many = metrics_for_scopes(MARCH, departments, today=APRIL_5)
    with django_assert_num_queries(2):
        metrics_for_periods([Period.parse(f"2023-{m:02d}") for m in range(1, 13)], departments, today=APRIL_5)
    assert len(few) == 3 and len(many) == 30
    assert sum(m.obligations for m in many.values()) == 10
