"""The stored defendant facts the figures read stay equal to the live data after every kind of
write, in the writer's transaction; `manage.py defendant_facts` finds and repairs a difference."""

import datetime
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from agencies.models import Agency
from agencies.services import position_update
from cases.choices import Outcome
from cases.models import Case, Defendant
from cases.services import DefendantInput, case_delete, case_update
from hearings.choices import ExternalCapacity, HearingStatus
from hearings.models import Appearance
from hearings.services import appearance_create, appearance_delete, hearing_delete, hearing_update
from reports.facts import facts_differences, facts_refresh
from reports.metrics import metrics_for_scope
from reports.models import DefendantFact
from reports.periods import Period

MARCH = Period.parse("2023-03")
TODAY = datetime.date(2023, 4, 5)


def march(agency):
    return metrics_for_scope(MARCH, agency, today=TODAY)


@pytest.mark.django_db
def test_the_worked_example_is_stored_as_it_is_live(worked_example):
    ex = worked_example
    assert facts_differences() == []
    stored = {(f.case_id, f.agency_id): f for f in DefendantFact.objects.all()}
    assert len(stored) == 4, "one row per defendant, with or without an obligation"
    k1_d1 = stored[ex.k1.pk, ex.d1.pk]
    assert (k1_d1.obligation_date, k1_d1.head_attended, k1_d1.principal_attended, k1_d1.spoke) == (
        datetime.date(2023, 3, 10),
        True,
        True,
        True,
    )
    k3 = stored[ex.k3.pk, ex.d2.pk]
    assert k3.obligation_date is None, "only a cancelled hearing: no obligation"
    assert k3.filed_on == datetime.date(2023, 1, 10)


@pytest.mark.django_db
def test_a_required_head_changes_the_figures_at_once(worked_example):
    ex = worked_example
    assert march(ex.county).head_attended == 2
    hearing_update(hearing=ex.h2, version=ex.h2.version, head_required=True)
    assert march(ex.county).head_attended == 1
    assert facts_differences() == []


@pytest.mark.django_db
def test_a_post_edited_after_the_hearing_rewrites_its_obligations(worked_example):
    ex = worked_example
    post = ex.d1_deputy.positions.get()
    position_update(position=post, end_date=datetime.date(2023, 3, 27))
    assert march(ex.d1).head_attended == 1, "the deputy was no longer a head on 28 March"
    assert facts_differences() == []
    position_update(position=post, end_date=None)
    assert march(ex.d1).head_attended == 2
    post.delete()
    assert march(ex.d1).head_attended == 1
    assert facts_differences() == []


@pytest.mark.django_db
def test_appearances_hearings_and_cases_deleted(worked_example):
    ex = worked_example
    appearance_delete(appearance=Appearance.objects.get(hearing=ex.h1, agency=ex.d1))
    assert march(ex.d1).head_attended == 1
    assert facts_differences() == []
    hearing_delete(hearing=ex.h3)
    assert march(ex.d1).head_attended == 0
    hearing_delete(hearing=ex.h2)
    assert march(ex.d1).obligations == 1, "K2 has no held hearing left"
    assert facts_differences() == []
    case_delete(case=ex.k1)
    assert not DefendantFact.objects.filter(case_id=ex.k1.pk).exists()
    assert march(ex.county).obligations == 0
    assert facts_differences() == []


@pytest.mark.django_db
def test_case_fields_and_defendants_changed(worked_example):
    ex = worked_example
    ex.k1.refresh_from_db()
    case_update(
        case=ex.k1,
        version=ex.k1.version,
        concluded_on=datetime.date(2023, 3, 31),
        defendants=[
            DefendantInput(agency=ex.d1, outcome=Outcome.REVOKED),
            DefendantInput(agency=ex.d2, outcome=Outcome.CLAIMS_DISMISSED, head_waived=True),
        ],
    )
    figures = march(ex.county)
    assert (figures.concluded, figures.lost) == (2, 1)
    assert figures.obligations == 2, "D2's K1 obligation is waived (art. 3)"
    assert facts_differences() == []
    ex.k1.refresh_from_db()
    case_update(case=ex.k1, version=ex.k1.version, filed_on=datetime.date(2023, 3, 2))
    assert march(ex.county).cases_filed == 1, "K1 counts once for C, whose two departments it names"
    assert (march(ex.d1).cases_filed, march(ex.d2).cases_filed) == (1, 1)
    assert facts_differences() == []
    ex.k1.refresh_from_db()
    case_update(case=ex.k1, version=ex.k1.version, defendants=[DefendantInput(agency=ex.d1)])
    assert DefendantFact.objects.get(case=ex.k1).sole_defendant
    assert (march(ex.county).cases_filed, march(ex.d2).cases_filed) == (1, 0)
    assert facts_differences() == []


@pytest.mark.django_db
def test_a_failed_write_leaves_the_stored_facts_as_they_were(worked_example):
    ex = worked_example
    before = sorted(DefendantFact.objects.values_list("defendant_id", "head_attended"))
    with pytest.raises(RuntimeError), transaction.atomic():
        hearing_update(hearing=ex.h1, version=ex.h1.version, status=HearingStatus.CANCELLED)
        raise RuntimeError("the request fails after the write")
    assert sorted(DefendantFact.objects.values_list("defendant_id", "head_attended")) == before
    assert facts_differences() == []


@pytest.mark.django_db
def test_the_command_finds_a_write_that_bypassed_the_models_and_rebuilds(worked_example, capsys):
    ex = worked_example
    call_command("defendant_facts", "check")
    assert "agree" in capsys.readouterr().out
    Defendant.objects.filter(case=ex.k2).update(head_waived=True)  # no signal: the facts lag
    with pytest.raises(CommandError, match="rebuild"):
        call_command("defendant_facts", "check")
    assert f"defendant {Defendant.objects.get(case=ex.k2).pk}" in capsys.readouterr().err
    call_command("defendant_facts", "rebuild")
    assert "4 defendant facts rewritten" in capsys.readouterr().out
    call_command("defendant_facts", "check")
    assert march(ex.d1).obligations == 1


@pytest.mark.django_db(transaction=True)
def test_deleting_a_case_or_a_defendant_commits_without_leftover_rows(worked_example):
    """Committed for real: a row written back for a deleted defendant would fail the foreign key
    only at commit (PostgreSQL checks it then)."""
    ex = worked_example
    case_delete(case=ex.k2)  # held hearings and appearances go with it
    assert not DefendantFact.objects.filter(case_id=ex.k2.pk).exists()
    ex.k1.refresh_from_db()
    case_update(case=ex.k1, version=ex.k1.version, defendants=[DefendantInput(agency=ex.d2)])
    assert list(DefendantFact.objects.filter(case=ex.k1).values_list("agency_id", "sole_defendant")) == [
        (ex.d2.pk, True)
    ]
    assert facts_differences() == []


@pytest.mark.django_db
def test_a_post_reverted_from_its_history_rewrites_what_it_covered(worked_example):
    """The admin's revert saves an instance built from a historical record: what the post covered
    is read from the database, not from that instance."""
    ex = worked_example
    post = ex.d1_deputy.positions.get()
    position_update(position=post, start_date=datetime.date(2023, 4, 1))
    position_update(position=post, start_date=datetime.date(2020, 1, 1))
    assert march(ex.d1).head_attended == 2
    reverted = post.history.filter(start_date=datetime.date(2023, 4, 1)).first().instance
    reverted._state.adding = False  # as SimpleHistoryAdmin's revert form does
    position_update(position=reverted, start_date=reverted.start_date)
    assert march(ex.d1).head_attended == 1, "the deputy held no post on 28 March any more"
    assert facts_differences() == []


def writers(*targets) -> tuple[list[threading.Thread], list[Exception]]:
    """Each target in a thread of its own, with its own connection (closed at the end); what they
    raise is collected for the test to assert on."""
    errors: list[Exception] = []

    def run(target):
        try:
            target()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for t in threads:
        t.start()
    return threads, errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)")
@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_case_take_turns(worked_example):
    ex = worked_example
    written, release = threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                appearance_create(hearing=ex.h2, agency=ex.d1, official=ex.d1_principal, spoke=True)
                written.set()
                release.wait(10)
        finally:
            written.set()

    def second():
        written.wait(10)
        appearance_create(hearing=ex.h3, agency=ex.d1, person_name="孙律师", capacity=ExternalCapacity.LAWYER)

    threads, errors = writers(first, second)
    time.sleep(0.5)  # the second writer is now waiting for the first one's case
    release.set()
    for t in threads:
        t.join()
    assert errors == []
    assert facts_differences() == []
    assert march(ex.d1).principal_attended == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)")
@pytest.mark.django_db(transaction=True)
def test_a_case_edit_waits_for_a_post_change_in_one_of_its_agencies(worked_example):
    """A post change holds its agency, then rewrites the facts of the cases it covers; a case edit
    takes its defendant agencies before its case row, so the two wait for each other in one order
    instead of deadlocking (PostgreSQL would abort one of them)."""
    ex = worked_example
    post_holds_agency, case_edit_started = threading.Event(), threading.Event()

    def post_change():
        with transaction.atomic():
            Agency.objects.select_for_update().get(pk=ex.d1.pk)  # as agencies.services does
            post_holds_agency.set()
            case_edit_started.wait(10)
            time.sleep(0.5)  # the case edit is now waiting (or, without the fix, holds k1)
            facts_refresh([ex.k1.pk])

    def case_edit():
        post_holds_agency.wait(10)
        case_edit_started.set()
        case_update(case=ex.k1, version=ex.k1.version, cause="行政处罚（更正）")

    threads, errors = writers(post_change, case_edit)
    for t in threads:
        t.join()
    assert errors == []
    assert Case.objects.get(pk=ex.k1.pk).cause == "行政处罚（更正）"
    assert facts_differences() == []


@pytest.mark.django_db
def test_a_database_with_cases_but_no_facts_gets_them_after_migrate(worked_example):
    DefendantFact.objects.all().delete()  # as before the stored facts existed
    call_command("migrate", verbosity=0)
    assert DefendantFact.objects.count() == 4
    assert facts_differences() == []
