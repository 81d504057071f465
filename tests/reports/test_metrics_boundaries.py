"""Period boundaries: month, quarter and year ends, the leap day, and the current month in
Asia/Shanghai (the figures read dates; `today` is the portal's local date)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from agencies.choices import AgencyKind, PositionRole
from agencies.services import agency_create, court_create, official_create, position_create
from cases.services import DefendantInput, case_create
from hearings.choices import HearingStatus
from hearings.services import appearance_create, hearing_create
from reports.metrics import metrics_for_periods, metrics_for_scope
from reports.periods import Period

UTC = ZoneInfo("UTC")


@pytest.fixture
def bureau(db):
    government = agency_create(name="区人民政府", kind=AgencyKind.GOVERNMENT)
    bureau = agency_create(name="区司法局", kind=AgencyKind.DEPARTMENT, parent=government)
    head = official_create(name="吴局长")
    position_create(
        official=head, agency=bureau, role=PositionRole.PRINCIPAL, start_date=datetime.date(2015, 1, 1)
    )
    court = court_create(name="区人民法院", level="basic", code="鲁1504")
    numbers = iter(range(1, 100))

    def case(filed_on, *held_on, head_appears=True):
        made = case_create(
            number=f"（{filed_on.year}）鲁1504行初{next(numbers)}号",
            court=court,
            filed_on=filed_on,
            plaintiff_name="原告",
            plaintiff_kind="person",
            cause="行政处罚",
            defendants=[DefendantInput(agency=bureau)],
        )
        for day in held_on:
            hearing = hearing_create(case=made, date=day, status=HearingStatus.HELD)
            if head_appears:
                appearance_create(hearing=hearing, agency=bureau, official=head, spoke=True)
        return made

    bureau.case = case
    return bureau


def counts(agency, texts, today=datetime.date(2030, 1, 1)):
    periods = [Period.parse(t) for t in texts]
    found = metrics_for_periods(periods, [agency], today=today)
    return {str(p): (found[p][agency.pk].obligations, found[p][agency.pk].cases_filed) for p in periods}


@pytest.mark.django_db
def test_a_hearing_on_the_last_day_of_a_quarter_belongs_to_it(bureau):
    bureau.case(datetime.date(2023, 3, 31), datetime.date(2023, 3, 31))
    bureau.case(datetime.date(2023, 4, 1), datetime.date(2023, 4, 1))
    assert counts(bureau, ["2023-03", "2023-04", "2023-Q1", "2023-Q2", "2023"]) == {
        "2023-03": (1, 1),
        "2023-04": (1, 1),
        "2023-Q1": (1, 1),
        "2023-Q2": (1, 1),
        "2023": (2, 2),
    }


@pytest.mark.django_db
def test_a_hearing_on_new_years_eve_belongs_to_the_old_year(bureau):
    bureau.case(datetime.date(2022, 12, 31), datetime.date(2022, 12, 31))
    bureau.case(datetime.date(2023, 1, 1), datetime.date(2023, 1, 1))
    assert counts(bureau, ["2022-12", "2022-Q4", "2022", "2023-01", "2023-Q1", "2023"]) == {
        "2022-12": (1, 1),
        "2022-Q4": (1, 1),
        "2022": (1, 1),
        "2023-01": (1, 1),
        "2023-Q1": (1, 1),
        "2023": (1, 1),
    }


@pytest.mark.django_db
def test_the_leap_day(bureau):
    bureau.case(datetime.date(2024, 2, 29), datetime.date(2024, 2, 29))
    assert counts(bureau, ["2024-02", "2024-03", "2024-Q1", "2024"]) == {
        "2024-02": (1, 1),
        "2024-03": (0, 0),
        "2024-Q1": (1, 1),
        "2024": (1, 1),
    }
    february_2025 = metrics_for_scope(Period.parse("2025-02"), bureau, today=datetime.date(2026, 1, 1))
    assert february_2025.cases_filed_prev_year == 1, "February 2024 runs to the 29th"


@pytest.mark.django_db
def test_an_obligation_is_dated_by_the_first_held_hearing(bureau):
    bureau.case(datetime.date(2023, 3, 1), datetime.date(2023, 3, 31), datetime.date(2023, 4, 3))
    assert counts(bureau, ["2023-03", "2023-04"]) == {"2023-03": (1, 1), "2023-04": (0, 0)}


@pytest.mark.django_db
def test_the_streak_ends_with_the_current_month_in_shanghai(bureau):
    """23:30 in Shanghai on 31 March is 15:30 UTC: still March. An hour later it is April, a month
    without obligations, which keeps the streak and counts in it."""
    for month in (1, 2, 3):
        bureau.case(datetime.date(2023, month, 1), datetime.date(2023, month, 10))
    year = Period.parse("2023")
    with time_machine.travel(datetime.datetime(2023, 3, 31, 15, 30, tzinfo=UTC), tick=False):
        assert metrics_for_scope(year, bureau).streak_months == 3
    with time_machine.travel(datetime.datetime(2023, 3, 31, 16, 30, tzinfo=UTC), tick=False):
        assert metrics_for_scope(year, bureau).streak_months == 4
    with time_machine.travel(datetime.datetime(2023, 12, 31, 16, 0, tzinfo=UTC), tick=False):
        # Midnight in Shanghai on New Year's Day: the year 2023 has ended, its streak is 12 months.
        assert metrics_for_scope(year, bureau).streak_months == 12
        assert metrics_for_scope(Period.parse("2024-Q1"), bureau).streak_months == 13


@pytest.mark.django_db
def test_a_miss_on_the_last_evening_of_the_month_breaks_that_month(bureau):
    bureau.case(datetime.date(2023, 2, 1), datetime.date(2023, 2, 10))
    bureau.case(datetime.date(2023, 2, 1), datetime.date(2023, 2, 28), head_appears=False)
    with time_machine.travel(datetime.datetime(2023, 2, 28, 15, 59, tzinfo=UTC), tick=False):
        assert metrics_for_scope(Period.parse("2023-Q1"), bureau).streak_months == 0
    with time_machine.travel(datetime.datetime(2023, 2, 28, 16, 0, tzinfo=UTC), tick=False):
        # 1 March in Shanghai: March has no obligation yet and starts a new streak.
        assert metrics_for_scope(Period.parse("2023-Q1"), bureau).streak_months == 1
