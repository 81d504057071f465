"""Ranking order, the named list and the interview list of METRICS.md, as pure functions.

Nothing here touches the database: the service (reports.services) gathers the figures and the facts,
these functions decide the order, the ranks and who is named or interviewed.
"""

import dataclasses
import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings

from . import metrics

DEFAULT_TARGET = Fraction(1)


def named_target() -> Fraction:
    """The attendance rate below which a member is named (setting RANKINGS_NAMED_TARGET, default 1)."""
    return Fraction(str(getattr(settings, "RANKINGS_NAMED_TARGET", DEFAULT_TARGET)))


# ---- figures <-> JSON -------------------------------------------------------------------------


def figures_to_json(metrics: Any) -> dict[str, Any]:
    """Every metric by its METRICS.md name: counts as integers, rates as exact "n/d" strings or null."""
    out: dict[str, Any] = {}
    for name in _field_names(type(metrics)):
        value = getattr(metrics, name)
        out[name] = f"{value.numerator}/{value.denominator}" if isinstance(value, Fraction) else value
    return out


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def figure_value(value: Any) -> Any:
    """A stored figure back as a number: "n/d" strings become Fractions."""
    return Fraction(value) if isinstance(value, str) else value


def figures_for_api(figures: dict[str, Any]) -> dict[str, Any]:
    """Stored figures as the API gives them: integers unchanged, rates rounded half to even to 4 places
    (reports.metrics.round_rate, the same rounding as `metrics/`)."""
    return {
        name: (metrics.round_rate(Fraction(value)) if isinstance(value, str) else value)
        for name, value in figures.items()
    }


# ---- ranking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    agency_id: int
    name: str
    metrics: Any  # reports.metrics.Metrics


@dataclass(frozen=True)
class Placed:
    member: Member
    position: int  # 1-based place in the listing (ranked members first, then unranked by name)
    rank: int | None  # competition rank; None = no obligations in the period
    named: bool


def _desc(value: Fraction | None) -> tuple[int, Fraction]:
    # Higher first; null after every number.
    return (1, Fraction(0)) if value is None else (0, -value)


def _asc_null_last(value: Fraction | None) -> tuple[int, Fraction]:
    return (1, Fraction(0)) if value is None else (0, value)


def ranking_figures(metrics: Any) -> tuple:
    """The three figures that decide the rank: attendance_rate desc, principal_share desc,
    loss_rate asc (null last). Members equal on all three share a rank."""
    return (
        _desc(metrics.attendance_rate),
        _desc(metrics.principal_share),
        _asc_null_last(metrics.loss_rate),
    )


def is_ranked(metrics: Any) -> bool:
    return bool(metrics.obligations)


def is_named(metrics: Any, target: Fraction) -> bool:
    """Named in the circular: attendance_rate below the target (members without obligations never are)."""
    return metrics.attendance_rate is not None and metrics.attendance_rate < target


def rank_members(members: Iterable[Member], *, target: Fraction | None = None) -> list[Placed]:
    """Order and rank the members of one ranking (METRICS.md "Rankings").

    Ranked members by the three figures then name; competition ranking (1, 2, 2, 4); members with
    no obligations last, by name, with rank None.
    """
    target = named_target() if target is None else target
    members = list(members)
    ranked = sorted(
        (m for m in members if is_ranked(m.metrics)),
        key=lambda m: (ranking_figures(m.metrics), m.name, m.agency_id),
    )
    unranked = sorted((m for m in members if not is_ranked(m.metrics)), key=lambda m: (m.name, m.agency_id))
    placed: list[Placed] = []
    previous_key = None
    rank = 0
    for index, member in enumerate(ranked, start=1):
        key = ranking_figures(member.metrics)
        if key != previous_key:
            rank, previous_key = index, key
        placed.append(Placed(member, index, rank, is_named(member.metrics, target)))
    for index, member in enumerate(unranked, start=len(ranked) + 1):
        placed.append(Placed(member, index, None, False))
    return placed


# ---- the interview list -------------------------------------------------------------------------


@dataclass(frozen=True)
class Post:
    agency_id: int
    official_id: int
    name: str
    start: datetime.date
    end: datetime.date | None  # inclusive; None = current

    def held_on(self, date: datetime.date) -> bool:
        return self.start <= date and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class Missed:
    """An obligation that was not head-attended (a row of the member's scope)."""

    case_id: int
    case_number: str
    agency_id: int  # the defendant agency
    agency_name: str
    date: datetime.date  # the obligation's date: the case's first held hearing
    filed_official_id: int | None = None  # the head filed (备案) to appear for it, if any
    filed_name: str = ""


@dataclass
class InterviewEntry:
    principal: dict | None
    missed: list[dict] = field(default_factory=list)


class PrincipalPosts:
    """Principal posts by agency, for looking up who was the principal of an agency on a day."""

    def __init__(self, posts: Iterable[Post]):
        self.by_agency: dict[int, list[Post]] = defaultdict(list)
        for post in posts:
            self.by_agency[post.agency_id].append(post)

    def on(self, agency_id: int, date: datetime.date) -> Post | None:
        """The agency's principal head on that day (there is at most one)."""
        return next((p for p in self.by_agency.get(agency_id, ()) if p.held_on(date)), None)


def _person(official_id: int, name: str, basis: str) -> dict:
    return {"official": official_id, "name": name, "basis": basis}


def responsible_head(missed: Missed, principal_posts: PrincipalPosts) -> dict | None:
    """The head responsible for a missed obligation: the head filed to appear for it, else the
    defendant agency's principal on the obligation date (None when the agency had none)."""
    if missed.filed_official_id is not None:
        return _person(missed.filed_official_id, missed.filed_name, "filed")
    post = principal_posts.on(missed.agency_id, missed.date)
    return _person(post.official_id, post.name, "principal") if post else None


def interview_entry(
    *,
    member_id: int,
    period_end: datetime.date,
    missed: Iterable[Missed],
    principal_posts: Sequence[Post] | PrincipalPosts,
    entries: dict[Missed, dict] | None = None,
) -> dict:
    """One line of the interview list (约谈): the member's principal head on the period's last day and,
    for each missed obligation in the member's scope, the head responsible for it. `entries` keeps
    each missed obligation's line for the next member whose scope holds it too (the same dict)."""
    if not isinstance(principal_posts, PrincipalPosts):
        principal_posts = PrincipalPosts(principal_posts)
    post = principal_posts.on(member_id, period_end)
    entries = {} if entries is None else entries
    missed_entries = []
    for m in sorted(missed, key=lambda m: (m.date, m.case_number, m.agency_id)):
        entry = entries.get(m)
        if entry is None:
            entry = entries[m] = {
                "case": m.case_id,
                "case_number": m.case_number,
                "agency": m.agency_id,
                "agency_name": m.agency_name,
                "date": m.date.isoformat(),
                "head": responsible_head(m, principal_posts),
            }
        missed_entries.append(entry)
    return {
        "principal": _person(post.official_id, post.name, "principal") if post else None,
        "missed": missed_entries,
    }
