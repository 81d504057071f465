"""The database computation equals the plain-Python reference of METRICS.md on random cities.

Each example builds a small city inside a savepoint (rolled back afterwards): a random tree of
governments, departments and townships, some starting or ending mid-window; officials whose posts
change over the window (a principal handing over on a hearing day, posts in other agencies, staff
posts); multi-defendant cases with waivers and every outcome; hearings held, cancelled, postponed
or scheduled, some requiring the head (art. 7); appearances by heads, by officials without a post
that day and by lawyers; events and disputes. Appearances are written directly (not through the
services) so that a post edited after the hearing is covered too; the stored defendant facts the
figures read are either kept as each row is saved (posts saved last) or rebuilt after a bulk load,
and must equal the live definition either way. Then every figure for every
agency's scope, in one to three periods, is compared with tests/reports/reference.py.
A failing example prints the plan; Hypothesis shrinks it to a small city.
"""

import calendar
import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agencies.models import Agency, Position
from cases.choices import DisputeStatus, Outcome
from cases.models import Defendant, Dispute
from hearings.choices import EventKind, HearingStatus
from hearings.models import Appearance, Event, Hearing
from reports.facts import facts_differences, facts_rebuild
from reports.metrics import metrics_for_periods
from reports.periods import Period
from tests.factories import CaseFactory, CourtFactory, OfficialFactory

from .reference import load_city, metrics

WINDOW = [(2022, 11), (2022, 12), (2023, 1), (2023, 2), (2023, 3), (2023, 4)]


def _days(year, month):
    last = calendar.monthrange(year, month)[1]
    return [datetime.date(year, month, d) for d in (1, 2, 15, last - 1, last)]


DATES = [d for ym in WINDOW for d in _days(*ym)]
# Filing dates reach a year back, so that cases_filed_prev_year is alive.
FILED = DATES + [d.replace(year=d.year - 1) for d in DATES]
PERIODS = (
    [Period.parse(f"{y}-{m:02d}") for y, m in WINDOW]
    + [Period.parse(p) for p in ("2022-Q4", "2023-Q1", "2023-Q2", "2022", "2023")]
    + [Period.parse("2023-05")]  # after every hearing: only the streak
)
TODAYS = [
    datetime.date(2022, 12, 31),
    datetime.date(2023, 2, 14),
    datetime.date(2023, 3, 31),
    datetime.date(2023, 4, 30),
    datetime.date(2023, 9, 1),
]
KINDS = ["government", "department", "township"]
ROLES = ["deputy", "other_head", "staff", "principal"]
dates = st.sampled_from(DATES)


@st.composite
def cities(draw):
    n_agencies = draw(st.integers(2, 7))
    agencies = []
    for i in range(n_agencies):
        active_from = draw(st.one_of(st.none(), dates)) if i else None
        active_until = draw(st.one_of(st.none(), dates)) if i else None
        if active_from and active_until and active_until < active_from:
            active_from, active_until = active_until, active_from
        agencies.append(
            {
                "parent": draw(st.integers(0, i - 1)) if i else None,
                "kind": draw(st.sampled_from(KINDS)) if i else "government",
                "active_from": active_from,
                "active_until": active_until,
            }
        )
    n_officials = draw(st.integers(1, 6))
    official = st.integers(0, n_officials - 1)
    agency = st.integers(0, n_agencies - 1)

    posts = []
    for a in range(n_agencies):
        # Principals hand over on a date of the window: one ends that day, the next starts the day after.
        if draw(st.booleans()):
            first, handover = draw(official), draw(dates)
            posts.append((first, a, "principal", datetime.date(2020, 1, 1), handover))
            if draw(st.booleans()):
                posts.append((draw(official), a, "principal", handover + datetime.timedelta(days=1), None))
        elif draw(st.booleans()):
            posts.append((draw(official), a, "principal", draw(dates), None))
    for _ in range(draw(st.integers(0, 8))):
        start = draw(st.one_of(st.just(datetime.date(2020, 1, 1)), dates))
        end = draw(st.one_of(st.none(), dates.filter(lambda d, s=start: d >= s)))
        posts.append((draw(official), draw(agency), draw(st.sampled_from(ROLES[:3])), start, end))

    cases = []
    for _ in range(draw(st.integers(1, 6))):
        filed_on = draw(st.sampled_from(FILED))
        concluded_on = (
            draw(st.one_of(st.none(), st.sampled_from([d for d in DATES if d >= filed_on])))
            if any(d >= filed_on for d in DATES)
            else None
        )
        defendants = draw(st.lists(agency, min_size=1, max_size=3, unique=True))
        outcomes = [
            draw(st.one_of(st.none(), st.sampled_from(Outcome.values))) if concluded_on else None
            for _ in defendants
        ]
        waived = [draw(st.integers(0, 4)) == 0 for _ in defendants]
        hearings = []
        for _ in range(draw(st.integers(0, 3))):
            hearing_date = draw(dates)
            status = draw(st.sampled_from(HearingStatus.values + [HearingStatus.HELD] * 3))
            people = draw(
                st.lists(
                    st.tuples(
                        st.sampled_from(defendants),
                        st.one_of(st.none(), official),  # None: a lawyer, by name
                        st.booleans(),  # spoke
                    ),
                    max_size=4,
                )
            )
            hearings.append((hearing_date, status, draw(st.integers(0, 3)) == 0, people))
        cases.append((filed_on, concluded_on, list(zip(defendants, outcomes, waived, strict=True)), hearings))

    events = [
        (
            draw(st.sampled_from(EventKind.values)),
            draw(dates),
            draw(st.lists(agency, max_size=3, unique=True)),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    disputes = []
    for _ in range(draw(st.integers(0, 3))):
        received = draw(dates)
        status = draw(st.sampled_from(DisputeStatus.values))
        resolved = draw(st.one_of(st.none(), dates.filter(lambda d, r=received: d >= r)))
        if status == DisputeStatus.RESOLVED and resolved is None:
            resolved = received
        disputes.append((draw(agency), received, resolved, status, draw(st.booleans())))

    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=3, unique=True))
    return {
        "agencies": agencies,
        "n_officials": n_officials,
        "posts": posts,
        "cases": cases,
        "events": events,
        "disputes": disputes,
        "periods": periods,
        "today": draw(st.sampled_from(TODAYS)),
        # The figures read the stored defendant facts: kept row by row as each fact is saved (posts
        # last, so that a post written after its hearings must rewrite them), or rebuilt at once.
        "stored": draw(st.sampled_from(["as written", "rebuilt"])),
    }


def build(plan) -> list[Agency]:
    agencies: list[Agency] = []
    for spec in plan["agencies"]:
        agency = Agency(
            name=f"机关{len(agencies)}",
            kind=spec["kind"],
            parent=agencies[spec["parent"]] if spec["parent"] is not None else None,
            active_from=spec["active_from"],
            active_until=spec["active_until"],
        )
        agency.save()
        agencies.append(agency)
    officials = [OfficialFactory() for _ in range(plan["n_officials"])]
    posts = [
        Position(official=officials[o], agency=agencies[a], role=role, start_date=start, end_date=end)
        for o, a, role, start, end in plan["posts"]
    ]
    one_by_one = plan["stored"] == "as written"
    if not one_by_one:
        Position.objects.bulk_create(posts)
    court = CourtFactory()
    appearances = []
    for filed_on, concluded_on, defendants, hearings in plan["cases"]:
        case = CaseFactory(court=court, filed_on=filed_on, concluded_on=concluded_on)
        for a, outcome, waived in defendants:
            Defendant.objects.create(case=case, agency=agencies[a], outcome=outcome, head_waived=waived)
        for hearing_date, status, head_required, people in hearings:
            hearing = Hearing.objects.create(
                case=case, date=hearing_date, status=status, head_required=head_required
            )
            seen = set()
            for a, o, spoke in people:
                if o is not None and (a, o) in seen:
                    continue
                seen.add((a, o))
                appearances.append(
                    Appearance(
                        hearing=hearing,
                        agency=agencies[a],
                        official=officials[o] if o is not None else None,
                        person_name="" if o is not None else "钱律师",
                        capacity="" if o is not None else "lawyer",
                        spoke=spoke,
                    )
                )
    if one_by_one:
        for appearance in appearances:
            appearance.save()
        for post in posts:
            post.save()
    else:
        Appearance.objects.bulk_create(appearances)
        facts_rebuild()
    for kind, day, taking_part in plan["events"]:
        event = Event.objects.create(kind=kind, date=day, title="活动")
        event.agencies.set([agencies[a] for a in taking_part])
    Dispute.objects.bulk_create(
        Dispute(agency=agencies[a], received_on=r, resolved_on=s, status=st_, head_participated=h)
        for a, r, s, st_, h in plan["disputes"]
    )
    return agencies


def city_examples(count: int):
    """Hypothesis settings for tests that build a random city per example in the database."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


@pytest.mark.property
@pytest.mark.django_db
@city_examples(200)
@given(plan=cities())
def test_database_figures_equal_the_reference(plan):
    with transaction.atomic():
        agencies = build(plan)
        assert facts_differences() == []
        computed = metrics_for_periods(plan["periods"], agencies, today=plan["today"])
        city = load_city()
        for period in plan["periods"]:
            for agency in agencies:
                expected = metrics(city, period, agency.pk, plan["today"])
                got = computed[period][agency.pk].as_dict()
                assert got == expected, (str(period), agency.name, plan["today"])
        transaction.set_rollback(True)
