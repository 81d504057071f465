"""How the dashboards write figures the Chinese way: 66.67%, 50%, 同比 −15%, 3 件, "—" for null.

Formatting only: the figures come from reports.metrics or the stored rankings as exact fractions
(or "n/d" strings), and are rounded here for display, half to even, to at most 2 decimals.
"""

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..rankings import figure_value

register = template.Library()

DASH = "—"


def _as_fraction(value) -> Fraction | None:
    if value is None or value == "":  # null, or a figure missing from a stored table
        return None
    return Fraction(figure_value(value))


def percent_text(value, places: int = 2) -> str:
    """A rate as a percentage with up to `places` decimals, trailing zeros dropped (2/3 → 66.67%,
    1/2 → 50%). A rate just below 100% never shows as 100%, nor a small one as 0%."""
    rate = _as_fraction(value)
    if rate is None:
        return DASH
    hundred = Fraction(100)
    scaled = abs(rate) * hundred
    rounded = round(scaled, places)
    smallest = Fraction(1, 10**places)
    if rounded >= hundred and scaled < hundred:
        rounded = hundred - smallest
    if rounded == 0 and scaled > 0:
        rounded = smallest
    text = f"{Decimal(rounded.numerator) / Decimal(rounded.denominator):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{'−' if rate < 0 else ''}{text}%"


@register.filter
def pct(value) -> str:
    return percent_text(value)


@register.filter
def signed_pct(value) -> str:
    """A change: +12.5% / −15% / 0%."""
    rate = _as_fraction(value)
    if rate is None:
        return DASH
    return f"+{percent_text(rate)}" if rate > 0 else percent_text(rate)


@register.filter
def change_words(value) -> str:
    """同比上升 / 同比下降 / 同比持平."""
    rate = _as_fraction(value)
    if rate is None:
        return ""
    if rate > 0:
        return _("同比上升")
    if rate < 0:
        return _("同比下降")
    return _("同比持平")


@register.filter
def target_state(value) -> str:
    """ok at the 100% target, bad below it, none for null (CSS classes)."""
    rate = _as_fraction(value)
    if rate is None:
        return "none"
    return "ok" if rate >= 1 else "bad"


@register.filter
def bar_width(value) -> str:
    """A rate as a CSS width in percent, between 0 and 100 (for the progress bars)."""
    rate = _as_fraction(value)
    if rate is None:
        return "0"
    return f"{float(min(max(rate, 0), 1) * 100):.2f}"


@register.simple_tag
def rate_cell(value, null_reason: str = "", target: bool = False):
    """A rate for a table cell: the percentage, or a "—" whose tooltip says why it is null."""
    rate = _as_fraction(value)
    if rate is None:
        return format_html(
            '<span class="null" title="{}">{}</span>', null_reason or _("分母为 0，无法计算"), DASH
        )
    if target:
        return format_html('<span class="rate {}">{}</span>', target_state(rate), percent_text(rate))
    return percent_text(rate)


@register.filter
def getitem(mapping, key):
    return mapping.get(key) if mapping else None
