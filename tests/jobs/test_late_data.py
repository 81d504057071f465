"""Late data: a fact recorded inside an already computed period makes its stored rankings stale,
and one debounced recomputation per period brings them back in line with the live figures."""

import datetime
from fractions import Fraction

import pytest
from django.db import transaction

from agencies.choices import PositionRole
from agencies.services import agency_create, agency_update, position_update
from cases.choices import DisputeStatus, Outcome
from cases.services import DefendantInput, case_update, dispute_create
from hearings.choices import EventKind
from hearings.models import Appearance
from hearings.services import appearance_delete, appearance_update, event_create
from reports import services as report_services
from reports import signals
from reports.models import RankingRow, RankingTable
from reports.periods import Period
from reports.services import rankings_compute
from reports.tasks import rankings_recompute_task

pytestmark = pytest.mark.django_db

COMPUTED = ("2022-12", "2023-03", "2023-Q1", "2023", "2023-04")


@pytest.fixture
def computed(worked_example):
    for period in COMPUTED:
        rankings_compute(period=Period.parse(period))
    return worked_example


@pytest.fixture
def enqueued(monkeypatch):
    """The recomputations sent to Celery (not run), by period."""
    sent = []
    monkeypatch.setattr(
        rankings_recompute_task,
        "apply_async",
        lambda kwargs, countdown: sent.append((kwargs["period"], countdown)),
    )
    return sent


def stale_periods():
    return set(RankingTable.objects.filter(stale=True).values_list("period", flat=True))


def test_an_appearance_removed_marks_its_periods_and_later_ones_stale_once(
    computed, enqueued, django_capture_on_commit_callbacks, settings
):
    settings.RANKINGS_RECOMPUTE_DEBOUNCE = 120
    deputy_at_h3 = Appearance.objects.get(hearing=computed.h3, official=computed.d1_deputy)
    with django_capture_on_commit_callbacks(execute=True):
        appearance_delete(appearance=deputy_at_h3)
    # (k2, D1) is dated 2023-03-15; April's streak_months counts back through March.
    assert stale_periods() == {"2023-03", "2023-Q1", "2023", "2023-04"}
    assert sorted(enqueued) == [("2023", 120), ("2023-03", 120), ("2023-04", 120), ("2023-Q1", 120)]

    h1_principal = Appearance.objects.get(hearing=computed.h1, official=computed.d1_principal)
    with django_capture_on_commit_callbacks(execute=True):
        appearance_update(appearance=h1_principal, spoke=False)
    assert len(enqueued) == 4, "edits within the delay add no second recomputation"


def test_recomputation_clears_stale_and_matches_the_live_figures(
    computed, django_capture_on_commit_callbacks
):
    deputy_at_h3 = Appearance.objects.get(hearing=computed.h3, official=computed.d1_deputy)
    with django_capture_on_commit_callbacks(execute=True):
        appearance_delete(appearance=deputy_at_h3)  # Celery is eager here: the recomputation runs now
    assert stale_periods() == set()
    d1 = RankingRow.objects.get(table__period="2023-03", agency=computed.d1)
    assert Fraction(d1.figures["attendance_rate"]) == Fraction(1, 2)
    assert d1.table.run.triggered_by == "late_data"


def test_facts_outside_computed_periods_mark_nothing(computed, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_create(
            kind=EventKind.TRAINING, date=datetime.date(2021, 6, 1), title="培训", agencies=[computed.d1]
        )
    assert stale_periods() == set() and enqueued == []


def test_an_event_reaches_only_the_periods_containing_it(
    computed, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = event_create(
            kind=EventKind.TRIAL_OBSERVATION, date=datetime.date(2023, 3, 5), title="庭审观摩"
        )
    assert stale_periods() == {"2023-03", "2023-Q1", "2023"}
    RankingTable.objects.update(stale=False)
    with django_capture_on_commit_callbacks(execute=True):
        event.agencies.add(computed.d2)
    assert stale_periods() == {"2023-03", "2023-Q1", "2023"}


def test_an_outcome_reaches_the_periods_of_its_conclusion(
    computed, enqueued, django_capture_on_commit_callbacks
):
    ex = computed
    with django_capture_on_commit_callbacks(execute=True):
        case_update(
            case=ex.k3,
            version=ex.k3.version,
            concluded_on=datetime.date(2023, 4, 20),
            defendants=[DefendantInput(agency=ex.d2, outcome=Outcome.REVOKED)],
        )
    assert stale_periods() == {"2023-04", "2023"}


def test_a_filing_date_reaches_the_same_period_a_year_later(
    computed, enqueued, django_capture_on_commit_callbacks
):
    ex = computed
    rankings_compute(period=Period.parse("2024-01"))
    with django_capture_on_commit_callbacks(execute=True):
        case_update(case=ex.k3, version=ex.k3.version, filed_on=datetime.date(2023, 4, 5))
    # Filed 2023-01-10 before, 2023-04-05 now; January 2024 compares itself with January 2023.
    assert stale_periods() == {"2023-Q1", "2023", "2023-04", "2024-01"}


def test_a_dispute_resolved_in_a_computed_month(computed, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispute_create(
            agency=computed.d1,
            received_on=datetime.date(2023, 2, 1),
            resolved_on=datetime.date(2023, 4, 2),
            status=DisputeStatus.RESOLVED,
            head_participated=True,
        )
    assert stale_periods() == {"2023-04", "2023"}


def test_a_post_reaches_every_period_its_dates_touch(computed, enqueued, django_capture_on_commit_callbacks):
    deputy_post = computed.d1_deputy.positions.get(role=PositionRole.DEPUTY)
    with django_capture_on_commit_callbacks(execute=True):
        position_update(position=deputy_post, end_date=datetime.date(2023, 3, 27))
    # The post started in 2020: every computed period from then on may count its appearances.
    assert stale_periods() == set(COMPUTED)


def test_a_rolled_back_edit_marks_nothing(computed, enqueued, django_capture_on_commit_callbacks):
    deputy_at_h3 = Appearance.objects.get(hearing=computed.h3, official=computed.d1_deputy)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            appearance_delete(appearance=deputy_at_h3)
            raise RuntimeError("the request failed")
    # The deletion resolved its periods before the row went, but marks only after a commit.
    assert stale_periods() == set() and enqueued == []


def test_a_late_fact_during_a_run_keeps_the_table_stale(computed, enqueued, monkeypatch):
    real = report_services._metrics_for_scopes

    def with_edit_meanwhile(period, agencies):
        figures = real(period, agencies)
        signals.mark_stale(signals.Reach(dates=[datetime.date(2023, 3, 10)]))  # committed mid-run
        return figures

    monkeypatch.setattr(report_services, "_metrics_for_scopes", with_edit_meanwhile)
    rankings_compute(period=Period.parse("2023-03"))
    assert "2023-03" in stale_periods(), "the run read the data before the fact: still stale"


def test_moving_an_agency_marks_every_period_stale(computed, enqueued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        agency_update(agency=computed.d2, parent=computed.city)
    assert stale_periods() == set(COMPUTED), "D2's cases now count for the city, not for C"


def test_an_agency_closed_reaches_the_periods_from_its_last_day(
    computed, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agency_update(agency=computed.d2, active_until=datetime.date(2023, 3, 31))
    assert stale_periods() == {"2023-03", "2023-Q1", "2023", "2023-04"}
    RankingTable.objects.update(stale=False)
    with django_capture_on_commit_callbacks(execute=True):
        agency_update(agency=computed.d2, name="D2局（新）")
    assert stale_periods() == set(), "a new name changes no figure"


def test_a_new_agency_reaches_the_periods_from_its_first_day(
    computed, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agency_create(
            name="D3局", kind="department", parent=computed.county, active_from=datetime.date(2023, 4, 1)
        )
    assert stale_periods() == {"2023", "2023-04"}


def test_a_post_reverted_from_its_history_marks_what_it_changed(
    computed, enqueued, django_capture_on_commit_callbacks
):
    """The admin's revert saves an instance built from a historical record: what the save changes is
    read from the database (the post began in 2020), not from that instance (April 2023)."""
    post = computed.d1_deputy.positions.get(role=PositionRole.DEPUTY)
    position_update(position=post, start_date=datetime.date(2023, 4, 1))
    position_update(position=post, start_date=datetime.date(2020, 1, 1))
    reverted = post.history.filter(start_date=datetime.date(2023, 4, 1)).first().instance
    reverted._state.adding = False  # as SimpleHistoryAdmin's revert form does
    with django_capture_on_commit_callbacks(execute=True):
        position_update(position=reverted, start_date=reverted.start_date)
    # The deputy no longer held the post at h3 (2023-03-28).
    assert {"2023-03", "2023-Q1", "2023"} <= stale_periods()
