import datetime

import pytest
from django.core.exceptions import ValidationError

from reports.periods import Period, PeriodKind


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("2023-01", datetime.date(2023, 1, 1), datetime.date(2023, 1, 31)),
        ("2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2023-02", datetime.date(2023, 2, 1), datetime.date(2023, 2, 28)),
        ("2023-Q4", datetime.date(2023, 10, 1), datetime.date(2023, 12, 31)),
        ("2023", datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)),
    ],
)
def test_period_bounds(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end, str(period)) == (start, end, text)


@pytest.mark.parametrize("text", ["2023-13", "2023-1", "2023-Q5", "23", "2023/01", "", "2023-00", "march"])
def test_malformed_periods_are_rejected_with_a_message(text):
    with pytest.raises(ValidationError) as excinfo:
        Period.parse(text)
    assert "2023-Q1" in excinfo.value.messages[0]


def test_previous_and_year_before():
    assert str(Period.parse("2023-01").previous()) == "2022-12"
    assert str(Period.parse("2023-Q1").previous()) == "2022-Q4"
    assert str(Period.parse("2023").previous()) == "2022"
    assert str(Period.parse("2024-Q2").year_before()) == "2023-Q2"
    assert [str(p) for p in Period.parse("2023-Q2").months()] == ["2023-04", "2023-05", "2023-06"]
    assert Period.of(datetime.date(2023, 8, 31), PeriodKind.QUARTER) == Period.parse("2023-Q3")
