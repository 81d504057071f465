"""Periods of METRICS.md: a month `2023-01`, a quarter `2023-Q1` or a year `2023` (Asia/Shanghai dates)."""

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_PATTERNS = (
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: PeriodKind
    index: int  # month 1–12, quarter 1–4, or 1 for a year

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse `2023-01`, `2023-Q1` or `2023`; anything else raises ValidationError saying so."""
        value = (text or "").strip()
        for pattern, kind in _PATTERNS:
            match = pattern.match(value)
            if match:
                year = int(match[1])
                if not 1990 <= year <= 2100:
                    break
                return cls(year=year, kind=kind, index=int(match[2]) if kind != PeriodKind.YEAR else 1)
        raise ValidationError(
            _("无效的期间“%(value)s”：应为月份 2023-01、季度 2023-Q1 或年度 2023。") % {"value": value},
            code="invalid_period",
        )

    @classmethod
    def month_of(cls, date: datetime.date) -> "Period":
        return cls(year=date.year, kind=PeriodKind.MONTH, index=date.month)

    @classmethod
    def of(cls, date: datetime.date, kind: PeriodKind) -> "Period":
        if kind == PeriodKind.MONTH:
            return cls.month_of(date)
        if kind == PeriodKind.QUARTER:
            return cls(year=date.year, kind=kind, index=(date.month - 1) // 3 + 1)
        return cls(year=date.year, kind=kind, index=1)

    def __str__(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.index}"
        return str(self.year)

    @property
    def first_month(self) -> int:
        return {PeriodKind.MONTH: self.index, PeriodKind.QUARTER: 3 * self.index - 2, PeriodKind.YEAR: 1}[
            self.kind
        ]

    @property
    def last_month(self) -> int:
        return {PeriodKind.MONTH: self.index, PeriodKind.QUARTER: 3 * self.index, PeriodKind.YEAR: 12}[
            self.kind
        ]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        """The last day, inclusive."""
        return datetime.date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    def contains(self, date: datetime.date) -> bool:
        return self.start <= date <= self.end

    def months(self) -> list["Period"]:
        return [Period(self.year, PeriodKind.MONTH, m) for m in range(self.first_month, self.last_month + 1)]

    def previous(self) -> "Period":
        """The period of the same kind just before this one."""
        return Period.of(self.start - datetime.timedelta(days=1), self.kind)

    def next(self) -> "Period":
        return Period.of(self.end + datetime.timedelta(days=1), self.kind)

    def year_before(self) -> "Period":
        return Period(self.year - 1, self.kind, self.index)

    def label(self) -> str:
        """How a Chinese official writes it: 2023年3月, 2023年第一季度, 2023年度."""
        if self.kind == PeriodKind.MONTH:
            return _("%(year)d年%(month)d月") % {"year": self.year, "month": self.index}
        if self.kind == PeriodKind.QUARTER:
            names = {1: _("第一季度"), 2: _("第二季度"), 3: _("第三季度"), 4: _("第四季度")}
            return _("%(year)d年%(quarter)s") % {"year": self.year, "quarter": names[self.index]}
        return _("%(year)d年度") % {"year": self.year}


def periods_containing(date: datetime.date) -> list[Period]:
    """The month, quarter and year a fact dated `date` belongs to."""
    return [Period.of(date, kind) for kind in PeriodKind]


def merged_spans(
    spans: Iterable[tuple[datetime.date, datetime.date]],
) -> list[tuple[datetime.date, datetime.date]]:
    """Date spans (first day, last day) merged where they overlap or touch: a year and its months
    are one span, so that a date index serves one range per span."""
    merged: list[list[datetime.date]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + datetime.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]
