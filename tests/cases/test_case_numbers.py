"""案号 parsing as API.md states it: （YYYY）court code + type + sequence + 号."""

import pytest
from django.core.exceptions import ValidationError

from cases.case_numbers import parse_case_number


@pytest.mark.parametrize(
    "raw,normalised,stage",
    [
        ("（2023）鲁1502行初123号", "（2023）鲁1502行初123号", "first"),
        ("(2023)鲁1502行初123号", "（2023）鲁1502行初123号", "first"),
        (" (2024)鲁15行终7号 ", "（2024）鲁15行终7号", "second"),
        ("（2022）鲁1521行赔初1号", "（2022）鲁1521行赔初1号", "first"),
        ("（2022）鲁15行赔终30号", "（2022）鲁15行赔终30号", "second"),
        ("（2021）鲁行再5号", "（2021）鲁行再5号", "retrial"),  # a high court: province alone
        ("（2020）最高法行申88号", "（2020）最高法行申88号", "retrial"),
        ("（2021）鲁15行再5号", "（2021）鲁15行再5号", "retrial"),
        ("（2021）鲁15行申12号", "（2021）鲁15行申12号", "retrial"),
    ],
)
def test_valid_numbers_are_normalised_and_give_the_stage(raw, normalised, stage):
    parsed = parse_case_number(raw)
    assert str(parsed) == normalised
    assert parsed.stage == stage


@pytest.mark.parametrize(
    "raw",
    [
        "（2023）鲁1502行初0123号",  # leading zero
        "（2023）鲁1502行初0号",
        "（2023）鲁1502民初123号",  # not an administrative case type
        "（2023）鲁1502行初123",  # no 号
        "2023鲁1502行初123号",  # no parentheses
        "（23）鲁1502行初123号",  # two-digit year
        "（2023）1502行初123号",  # no court abbreviation
        "",
    ],
)
def test_malformed_numbers_are_refused_with_a_message(raw):
    with pytest.raises(ValidationError) as excinfo:
        parse_case_number(raw)
    assert "案号" in excinfo.value.messages[0]


def test_parsed_parts():
    parsed = parse_case_number("(2023)鲁1502行初123号")
    assert (parsed.year, parsed.court_code, parsed.case_type, parsed.sequence) == (
        2023,
        "鲁1502",
        "行初",
        123,
    )
