"""METRICS.md in plain Python, over plain data: the yardstick for reports.metrics.

Slow and literal on purpose: every figure is computed the way the text of METRICS.md reads, one
loop at a time, from lists of dicts pulled with `.values()`. It shares nothing with the engine but
the period arithmetic (reports.periods) and the outcome lists (cases.choices).
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from agencies.models import Agency, Position
from cases.choices import LOSS_OUTCOMES
from cases.models import Case, Defendant, Dispute
from hearings.models import Appearance, Event, Hearing
from reports.periods import Period

HEAD_ROLES = {"principal", "deputy", "other_head"}


@dataclass
class City:
    agencies: list[dict]
    positions: list[dict]
    cases: list[dict]
    defendants: list[dict]
    hearings: list[dict]
    appearances: list[dict]
    participations: list[dict]  # one per (event, agency that took part)
    disputes: list[dict]


def load_city() -> City:
    """Everything in the database, as plain data."""
    return City(
        agencies=list(Agency.objects.values("id", "parent_id", "path", "active_from", "active_until")),
        positions=list(Position.objects.values("official_id", "agency_id", "role", "start_date", "end_date")),
        cases=list(Case.objects.values("id", "filed_on", "concluded_on")),
        defendants=list(Defendant.objects.values("id", "case_id", "agency_id", "outcome", "head_waived")),
        hearings=list(Hearing.objects.values("id", "case_id", "date", "status", "head_required")),
        appearances=list(Appearance.objects.values("hearing_id", "agency_id", "official_id", "spoke")),
        participations=[
            {"kind": row["event__kind"], "date": row["event__date"], "agency_id": row["agency_id"]}
            for row in Event.agencies.through.objects.values("agency_id", "event__kind", "event__date")
        ],
        disputes=list(Dispute.objects.values("agency_id", "status", "resolved_on", "head_participated")),
    )


def rate(numerator, denominator):
    return Fraction(numerator, denominator) if denominator else None


# ---- scope ---------------------------------------------------------------------------------------


def scope(city: City, root_id: int) -> set[int]:
    """U and all its descendants: every agency whose path starts with U's path."""
    root_path = next(a["path"] for a in city.agencies if a["id"] == root_id)
    return {a["id"] for a in city.agencies if a["path"].startswith(root_path)}


# ---- the obligation ------------------------------------------------------------------------------


def role_held(city: City, official_id, agency_id, day: datetime.date, roles) -> bool:
    """The official held one of `roles` in that agency on that day (end_date inclusive)."""
    return any(
        p["official_id"] == official_id
        and p["agency_id"] == agency_id
        and p["role"] in roles
        and p["start_date"] <= day
        and (p["end_date"] is None or day <= p["end_date"])
        for p in city.positions
    )


def obligation(city: City, defendant: dict) -> dict | None:
    """The (case, defendant) obligation, or None while the case has no held hearing."""
    held = [h for h in city.hearings if h["case_id"] == defendant["case_id"] and h["status"] == "held"]
    if not held:
        return None
    agency_id = defendant["agency_id"]

    def head_appearances_at(hearing):
        return [
            a
            for a in city.appearances
            if a["hearing_id"] == hearing["id"]
            and a["agency_id"] == agency_id
            and a["official_id"] is not None
            and role_held(city, a["official_id"], agency_id, hearing["date"], HEAD_ROLES)
        ]

    heads = [(h, a) for h in held for a in head_appearances_at(h)]
    every_required_hearing_had_a_head = all(head_appearances_at(h) for h in held if h["head_required"])
    head_attended = bool(heads) and every_required_hearing_had_a_head
    principal_appeared = any(
        role_held(city, a["official_id"], agency_id, h["date"], {"principal"}) for h, a in heads
    )
    a_head_spoke = any(a["spoke"] for _, a in heads)
    return {
        "agency_id": agency_id,
        "date": min(h["date"] for h in held),
        "waived": defendant["head_waived"],
        "head_attended": head_attended,
        "principal_attended": head_attended and principal_appeared,
        "spoke": head_attended and a_head_spoke,
    }


def obligations_dated(
    city: City, agencies: set[int], first: datetime.date, last: datetime.date
) -> list[dict]:
    """Obligations dated in [first, last], defendant in `agencies`, not waived."""
    found = []
    for defendant in city.defendants:
        if defendant["agency_id"] not in agencies:
            continue
        ob = obligation(city, defendant)
        if ob and not ob["waived"] and first <= ob["date"] <= last:
            found.append(ob)
    return found


# ---- streak --------------------------------------------------------------------------------------


def streak_months(city: City, agencies: set[int], period: Period, today: datetime.date) -> int:
    """Consecutive months ending with the period's last month (or the current month, if earlier) in
    which the scope's attendance rate was 1; months without obligations keep the streak and count;
    the count starts after the last month below 1, or at the scope's first month with an obligation."""
    last = min(Period.month_of(period.end), Period.month_of(today))
    history = obligations_dated(city, agencies, datetime.date(1900, 1, 1), last.end)
    if not history:
        return 0
    first = Period.month_of(min(ob["date"] for ob in history))
    streak, month = 0, last
    while True:
        in_month = [ob for ob in history if month.contains(ob["date"])]
        if any(not ob["head_attended"] for ob in in_month):
            return streak
        streak += 1
        if month == first:
            return streak
        month = month.previous()


# ---- all figures ---------------------------------------------------------------------------------


def metrics(city: City, period: Period, root_id: int, today: datetime.date) -> dict:
    """Every figure of METRICS.md (and the counts behind the rates) for U = root_id."""
    agencies = scope(city, root_id)
    start, end = period.start, period.end

    obs = obligations_dated(city, agencies, start, end)
    head_attended = [ob for ob in obs if ob["head_attended"]]
    principal = [ob for ob in obs if ob["principal_attended"]]
    spoke = [ob for ob in obs if ob["spoke"]]
    obligated = {ob["agency_id"] for ob in obs}
    covered = {ob["agency_id"] for ob in principal}

    active = {
        a["id"]
        for a in city.agencies
        if a["id"] in agencies
        and (a["active_from"] is None or a["active_from"] <= end)
        and (a["active_until"] is None or a["active_until"] >= start)
    }

    def took_part(kind):
        return {
            p["agency_id"]
            for p in city.participations
            if p["kind"] == kind and start <= p["date"] <= end and p["agency_id"] in active
        }

    observed, trained = took_part("trial_observation"), took_part("training")

    def filed_in(p: Period) -> int:
        return len(
            {
                c["id"]
                for c in city.cases
                if p.start <= c["filed_on"] <= p.end
                and any(d["case_id"] == c["id"] and d["agency_id"] in agencies for d in city.defendants)
            }
        )

    cases_filed, cases_filed_prev_year = filed_in(period), filed_in(period.year_before())
    concluded_on = {c["id"]: c["concluded_on"] for c in city.cases}
    concluded = [
        d
        for d in city.defendants
        if d["agency_id"] in agencies
        and d["outcome"]
        and concluded_on[d["case_id"]] is not None
        and start <= concluded_on[d["case_id"]] <= end
    ]
    lost = [d for d in concluded if d["outcome"] in LOSS_OUTCOMES]
    wac = [d for d in concluded if d["outcome"] == "withdrawn_after_change"]
    resolved = [
        r
        for r in city.disputes
        if r["agency_id"] in agencies
        and r["status"] == "resolved"
        and r["resolved_on"] is not None
        and start <= r["resolved_on"] <= end
    ]
    with_head = [r for r in resolved if r["head_participated"]]

    return {
        "obligations": len(obs),
        "head_attended": len(head_attended),
        "attendance_rate": rate(len(head_attended), len(obs)),
        "principal_attended": len(principal),
        "principal_share": rate(len(principal), len(head_attended)),
        "spoke": len(spoke),
        "spoke_rate": rate(len(spoke), len(head_attended)),
        "obligated_agencies": len(obligated),
        "covered_agencies": len(covered),
        "principal_coverage": rate(len(covered), len(obligated)),
        "streak_months": streak_months(city, agencies, period, today),
        "active_agencies": len(active),
        "observed_agencies": len(observed),
        "observation_coverage": rate(len(observed), len(active)),
        "trained_agencies": len(trained),
        "training_coverage": rate(len(trained), len(active)),
        "cases_filed": cases_filed,
        "cases_filed_prev_year": cases_filed_prev_year,
        "case_volume_change": rate(cases_filed - cases_filed_prev_year, cases_filed_prev_year),
        "concluded": len(concluded),
        "lost": len(lost),
        "loss_rate": rate(len(lost), len(concluded)),
        "withdrawn_after_change": len(wac),
        "disputes_resolved": len(resolved),
        "disputes_head_participated": len(with_head),
        "disputes_head_share": rate(len(with_head), len(resolved)),
    }
