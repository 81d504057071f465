"""rankings_compute on the worked example: what it stores, the interview list, reruns, the lock,
and the run record."""

import datetime
from fractions import Fraction

import pytest
from django.db import connection

from agencies.choices import AgencyKind, PositionRole
from agencies.services import agency_create, official_create, position_create
from hearings.services import head_filing_set
from reports import services
from reports.models import ComputationRun, RankingRow, RankingTable, RunStatus
from reports.periods import Period
from reports.services import RankingsBusy, period_lock, rankings_compute

pytestmark = pytest.mark.django_db

MARCH = Period.parse("2023-03")
Q1 = Period.parse("2023-Q1")


def rows_of(period, issuer, kind):
    table = RankingTable.objects.get(period=str(period), issuer=issuer, member_kind=kind)
    return [
        (r.agency.name, r.rank, r.named, Fraction(r.figures["attendance_rate"]) if r.rank else None)
        for r in table.rows.select_related("agency").order_by("position")
    ]


def test_worked_example_ranking_of_c_departments(worked_example):
    ex = worked_example
    run = rankings_compute(period=MARCH, triggered_by="test")

    assert rows_of(MARCH, ex.county, AgencyKind.DEPARTMENT) == [
        ("D1局", 1, False, Fraction(1)),
        ("D2局", 2, True, Fraction(0)),
    ]
    # The city ranks its one county; the county's own figures are the worked example's.
    assert rows_of(MARCH, ex.city, AgencyKind.GOVERNMENT) == [("C县人民政府", 1, True, Fraction(2, 3))]
    table = RankingTable.objects.get(period="2023-03", issuer=ex.county)
    assert table.summary["obligations"] == 3 and table.summary["head_attended"] == 2
    assert table.summary["attendance_rate"] == "2/3" and table.summary["principal_share"] == "1/2"
    assert table.stale is False and table.period_kind == "month" and table.run == run
    assert RankingTable.objects.filter(issuer__in=[ex.d1, ex.d2]).count() == 0, "departments issue nothing"
    d1 = RankingRow.objects.get(table=table, agency=ex.d1)
    assert d1.figures["spoke_rate"] == "1/2" and "streak_months" in d1.figures

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED and run.periods == ["2023-03"] and run.triggered_by == "test"
    assert run.counts["tables"] == 2 and run.counts["rows"] == 3 and run.counts["named"] == 2
    assert run.started_at <= run.finished_at and run.duration is not None and run.error == ""


def test_monthly_rankings_have_no_interview_list(worked_example):
    rankings_compute(period=MARCH)
    assert not RankingRow.objects.filter(interview=True).exists()


def test_quarterly_interview_list_names_principal_and_head_responsible(worked_example):
    ex = worked_example
    rankings_compute(period=Q1)
    d2 = RankingRow.objects.get(table__period="2023-Q1", agency=ex.d2)
    assert d2.named and d2.interview
    assert d2.interview_detail["principal"] == {
        "official": ex.d2_principal.pk,
        "name": "王局长",
        "basis": "principal",
    }
    assert d2.interview_detail["missed"] == [
        {
            "case": ex.k1.pk,
            "case_number": ex.k1.number,
            "agency": ex.d2.pk,
            "agency_name": "D2局",
            "date": "2023-03-10",
            "head": {"official": ex.d2_principal.pk, "name": "王局长", "basis": "principal"},
        }
    ]
    assert not RankingRow.objects.get(table__period="2023-Q1", agency=ex.d1).interview
    # The county is named among the city's counties: its scope's miss is listed under it too.
    county = RankingRow.objects.get(table__period="2023-Q1", agency=ex.county)
    assert county.interview and [m["agency"] for m in county.interview_detail["missed"]] == [ex.d2.pk]


def test_the_head_filed_to_appear_answers_for_the_miss(worked_example):
    ex = worked_example
    deputy = official_create(name="孙副局长")
    position_create(
        official=deputy, agency=ex.d2, role=PositionRole.DEPUTY, start_date=datetime.date(2022, 1, 1)
    )
    head_filing_set(hearing=ex.h1, agency=ex.d2, official=deputy)
    rankings_compute(period=Q1)
    d2 = RankingRow.objects.get(table__period="2023-Q1", agency=ex.d2)
    assert d2.interview_detail["missed"][0]["head"] == {
        "official": deputy.pk,
        "name": "孙副局长",
        "basis": "filed",
    }
    assert d2.interview_detail["principal"]["name"] == "王局长"


def test_member_without_obligations_is_listed_last_unranked(worked_example):
    ex = worked_example
    agency_create(name="A档案局", kind=AgencyKind.DEPARTMENT, parent=ex.county)
    rankings_compute(period=MARCH)
    assert rows_of(MARCH, ex.county, AgencyKind.DEPARTMENT)[-1] == ("A档案局", None, False, None)


def test_rerun_replaces_in_place(worked_example):
    ex = worked_example
    rankings_compute(period=MARCH)
    first = {(t.pk, t.issuer_id, t.member_kind) for t in RankingTable.objects.all()}
    first_rows = rows_of(MARCH, ex.county, AgencyKind.DEPARTMENT)
    rankings_compute(period=MARCH)
    assert {(t.pk, t.issuer_id, t.member_kind) for t in RankingTable.objects.all()} == first
    assert rows_of(MARCH, ex.county, AgencyKind.DEPARTMENT) == first_rows
    assert RankingRow.objects.count() == 3, "no duplicate rows"
    assert ComputationRun.objects.filter(status=RunStatus.SUCCEEDED).count() == 2


def test_rankings_that_no_longer_apply_are_removed(worked_example):
    ex = worked_example
    township = agency_create(name="某镇", kind=AgencyKind.TOWNSHIP, parent=ex.county)
    rankings_compute(period=MARCH)
    assert RankingTable.objects.filter(period="2023-03", issuer=ex.county, member_kind="township").exists()
    township.active_until = datetime.date(2023, 1, 31)
    township.save()
    rankings_compute(period=MARCH)
    assert not RankingTable.objects.filter(
        period="2023-03", issuer=ex.county, member_kind="township"
    ).exists()


def test_a_failure_is_recorded_and_stores_nothing(worked_example, monkeypatch):
    def broken(period, agencies):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(services, "_metrics_for_scopes", broken)
    with pytest.raises(RuntimeError):
        rankings_compute(period=MARCH, triggered_by="test")
    run = ComputationRun.objects.get()
    assert run.status == RunStatus.FAILED and "engine exploded" in run.error and run.finished_at
    assert not RankingTable.objects.exists()


def _hold_lock_elsewhere(period):
    """Take the period's lock from another session, as a concurrent run would."""
    if connection.vendor == "postgresql":
        import psycopg

        settings_dict = connection.settings_dict
        other = psycopg.connect(
            dbname=settings_dict["NAME"],
            user=settings_dict["USER"],
            host=settings_dict["HOST"] or None,
            port=settings_dict["PORT"] or None,
            password=settings_dict["PASSWORD"] or None,
            autocommit=True,
        )
        key = [services.LOCK_NAMESPACE, services._lock_key(period)]
        other.execute("SELECT pg_advisory_lock(%s, %s)", key)

        def release():
            other.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            other.close()

        return release
    from django.core.cache import cache

    cache.add(f"reports:rankings-lock:{period}", "1")
    return lambda: cache.delete(f"reports:rankings-lock:{period}")


def test_overlapping_runs_of_one_period_are_refused(worked_example):
    release = _hold_lock_elsewhere(MARCH)
    try:
        with pytest.raises(RankingsBusy):
            rankings_compute(period=MARCH, triggered_by="test")
        rankings_compute(period=Q1)  # another period is not blocked
    finally:
        release()
    busy = ComputationRun.objects.get(periods=["2023-03"])
    assert busy.status == RunStatus.FAILED and busy.error.startswith("busy")
    assert not RankingTable.objects.filter(period="2023-03").exists()
    rankings_compute(period=MARCH)
    assert RankingTable.objects.filter(period="2023-03").count() == 2


def test_lock_is_released_after_the_run(worked_example):
    rankings_compute(period=MARCH)
    with period_lock(MARCH):
        pass


@pytest.mark.django_db
def test_a_year_computed_at_once_stores_what_its_periods_store_one_by_one(worked_example):
    """rankings_compute_many reads the figures and the interview lists' sources once for the year."""
    periods = [Period.parse(p) for p in ("2023-03", "2023-Q1", "2023-Q2", "2023")]

    def stored():
        return sorted(
            RankingRow.objects.values_list(
                "table__period", "agency_id", "rank", "named", "interview", "figures", "interview_detail"
            ),
            key=lambda row: (row[0], row[1]),
        )

    services.rankings_compute_many(periods=periods)
    together = stored()
    assert any(row[4] and row[6]["missed"] for row in together), "the quarter and the year interview D2"
    for period in periods:
        rankings_compute(period=period)
    assert stored() == together
