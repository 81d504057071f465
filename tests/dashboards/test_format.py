"""The Chinese way of writing the figures: 66.67%, 50%, 同比 −15%, "—" for null."""

from fractions import Fraction

import pytest
from django.template import Context, Template

from reports.templatetags.dashboard_format import change_words, pct, signed_pct, target_state


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(2, 3), "66.67%"),
        (Fraction(1, 2), "50%"),
        (Fraction(1), "100%"),
        (Fraction(4046, 10000), "40.46%"),
        (Fraction(1, 8), "12.5%"),
        (Fraction(0), "0%"),
        ("2/3", "66.67%"),  # a stored ranking figure
        (Fraction(99999, 100000), "99.99%"),  # just below the target never shows as 100%
        (Fraction(1, 100000), "0.01%"),  # a small rate never shows as 0%
        (Fraction(1, 800), "0.12%"),  # 0.125 rounds half to even
        (None, "—"),
    ],
)
def test_pct(value, text):
    assert pct(value) == text


def test_changes_are_signed_and_worded():
    assert signed_pct(Fraction(-3, 20)) == "−15%"
    assert signed_pct(Fraction(5, 33)) == "+15.15%"
    assert signed_pct(None) == "—"
    assert change_words(Fraction(-3, 20)) == "同比下降"
    assert change_words(Fraction(1, 8)) == "同比上升"
    assert change_words(Fraction(0)) == "同比持平"


def test_target_state():
    assert target_state(Fraction(1)) == "ok"
    assert target_state("2/3") == "bad"
    assert target_state(None) == "none"


def test_a_null_cell_carries_its_reason():
    html = Template('{% load dashboard_format %}{% rate_cell v "本期没有审结的案件" %}').render(
        Context({"v": None})
    )
    assert html == '<span class="null" title="本期没有审结的案件">—</span>'
    html = Template("{% load dashboard_format %}{% rate_cell v '' True %}").render(Context({"v": "1/1"}))
    assert html == '<span class="rate ok">100%</span>'
