"""What a newcomer relies on after `seed_demo`: the city, the logins, and data that makes every page alive.

The demo is loaded once per module (two years, small scale) inside a transaction that is rolled back
at the end, so the tests stay independent of each other and of other modules.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from rest_framework.authtoken.models import Token

from agencies.choices import AgencyKind, CourtLevel, UserRole
from agencies.models import Agency, Court, Official, User
from agencies.scope import agencies_visible_to
from cases.choices import CaseType, DisputeStatus, Outcome
from cases.models import Case, Defendant, Dispute
from cases.selectors import cases_visible_to
from hearings.choices import EventKind, HearingStatus
from hearings.models import Appearance, Event, Hearing
from hearings.obligations import annotate_obligations
from litigation.dates import local_today
from reports.demo import DEMO_PASSWORD, demo_counts

COUNTIES = ["东昌府区", "茌平区", "临清市", "阳谷县", "莘县", "东阿县", "冠县", "高唐县"]
COURT_CODES = {"鲁15", "鲁1502", "鲁1503", "鲁1581", "鲁1521", "鲁1522", "鲁1524", "鲁1525", "鲁1526"}
SEED_ARGS = ["--if-empty", "--years", "2", "--scale", "small", "--seed", "7"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Output of the first `seed_demo --if-empty` on an empty database."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", *SEED_ARGS, stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_city_has_its_eight_counties_each_with_its_basic_court(demo):
    city = Agency.objects.get(name="聊城市人民政府", parent=None)
    counties = Agency.objects.filter(parent=city, kind=AgencyKind.GOVERNMENT)
    assert sorted(counties.values_list("name", flat=True)) == sorted(f"{c}人民政府" for c in COUNTIES)
    for county in counties:
        children = county.children.all()
        assert children.filter(kind=AgencyKind.TOWNSHIP).count() >= 4, county
        assert children.filter(kind=AgencyKind.DEPARTMENT).count() >= 5, county
    assert Agency.objects.filter(parent=city, kind=AgencyKind.DEPARTMENT).count() >= 25
    assert set(Court.objects.values_list("code", flat=True)) == COURT_CODES
    assert Court.objects.get(code="鲁15").name == "聊城市中级人民法院"
    assert Court.objects.filter(level=CourtLevel.BASIC).count() == 8
    for county in COUNTIES:
        assert Court.objects.filter(level=CourtLevel.BASIC, name__contains=county).count() == 1, county


def test_officials_hold_dated_posts_and_some_principals_change(demo):
    gongan = Agency.objects.get(name="聊城市公安局")
    assert gongan.positions.filter(role="principal", end_date__isnull=True).count() == 1
    assert gongan.positions.filter(role="deputy", end_date__isnull=True).exists()
    changed = Agency.objects.filter(positions__role="principal", positions__end_date__isnull=False).distinct()
    assert changed.count() >= 10
    assert Official.objects.count() > 500


def test_every_demo_login_has_its_role_and_agency_and_signs_in(demo, client):
    expected = {
        "officer_city": (UserRole.OFFICER, "聊城市人民政府"),
        "officer_dongchangfu": (UserRole.OFFICER, "东昌府区人民政府"),
        "agency_gongan": (UserRole.AGENCY, "聊城市公安局"),
        "api_client": (UserRole.API_CLIENT, "聊城市人民政府"),
    }
    for username, (role, agency_name) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.agency.name, user.is_superuser) == (role, agency_name, False)
        signed_in = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302, username
        client.logout()
        assert username in demo


def test_demo_scopes_are_what_the_logins_table_says(demo):
    everything = Agency.objects.count()
    assert agencies_visible_to(User.objects.get(username="officer_city")).count() == everything
    dongchangfu = agencies_visible_to(User.objects.get(username="officer_dongchangfu"))
    assert dongchangfu.filter(name="东昌府区公安局").exists()
    assert not dongchangfu.filter(name__in=["聊城市公安局", "茌平区公安局"]).exists()
    assert list(
        agencies_visible_to(User.objects.get(username="agency_gongan")).values_list("name", flat=True)
    ) == ["聊城市公安局"]
    liaison = User.objects.get(username="liaison")
    assert liaison.role == UserRole.LIAISON
    assert set(liaison.courts.values_list("name", flat=True)) == {
        "聊城市中级人民法院",
        "聊城市东昌府区人民法院",
    }
    seen_courts = set(cases_visible_to(liaison).values_list("court__code", flat=True))
    assert seen_courts == {"鲁15", "鲁1502"}
    assert Token.objects.filter(user__username="api_client").exists()


def test_admin_is_a_superuser_with_the_demo_password(demo, client):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD}).status_code == 302
    assert "DEMO DATA ONLY" in demo and DEMO_PASSWORD in demo


def test_held_hearings_with_and_without_a_head_and_none_in_the_future(demo):
    today = local_today()
    assert not Hearing.objects.filter(status=HearingStatus.HELD, date__gt=today).exists()
    obligations = annotate_obligations(Defendant.objects.all()).filter(obligation_date__isnull=False)
    assert obligations.filter(waived=False, head_attended=True).exists()
    assert obligations.filter(waived=False, head_attended=False).exists()
    assert obligations.filter(head_attended=True, spoke=False).exists()
    assert obligations.filter(principal_attended=True).exists()
    assert Appearance.objects.filter(official__isnull=True, capacity="lawyer").exists()


def test_attendance_is_realistic_but_imperfect(demo):
    rows = annotate_obligations(Defendant.objects.filter(head_waived=False)).filter(
        obligation_date__isnull=False
    )
    total = rows.count()
    attended = rows.filter(head_attended=True).count()
    principal = rows.filter(principal_attended=True).count()
    assert 0.75 <= attended / total < 1
    assert 0.15 <= principal / attended <= 0.65


def test_upcoming_hearings_wait_for_the_liaison(demo):
    upcoming = Hearing.objects.filter(status=HearingStatus.SCHEDULED, date__gte=local_today())
    assert upcoming.exists()
    assert Hearing.objects.filter(status=HearingStatus.CANCELLED).exists()
    assert Hearing.objects.filter(status=HearingStatus.POSTPONED).exists()


def test_every_outcome_kind_and_linked_later_instances(demo):
    outcomes = set(Defendant.objects.exclude(outcome=None).values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    for case in Case.objects.filter(case_type__in=[CaseType.SECOND, CaseType.RETRIAL]):
        assert case.previous_case is not None and case.previous_case.filed_on < case.filed_on
    assert Case.objects.filter(case_type=CaseType.SECOND).exists()
    assert Defendant.objects.filter(capacity="reconsideration", head_waived=True).exists()
    assert not Case.objects.filter(concluded_on__gt=local_today()).exists()


def test_events_and_disputes_exist(demo):
    for kind in EventKind.values:
        event = Event.objects.filter(kind=kind).first()
        assert event is not None, kind
        assert event.agencies.exists() and event.officials.exists()
    assert set(Dispute.objects.values_list("status", flat=True)) == set(DisputeStatus.values)
    resolved = Dispute.objects.filter(status=DisputeStatus.RESOLVED)
    assert resolved.filter(head_participated=True).count() > resolved.count() / 2


def test_seeding_again_with_if_empty_changes_nothing_but_prints_the_logins(demo):
    before = demo_counts()
    out = io.StringIO()
    call_command("seed_demo", *SEED_ARGS, stdout=out)
    assert demo_counts() == before
    assert "officer_dongchangfu" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("seed_demo", "--years", "1", "--scale", "small", stdout=io.StringIO())
    assert demo_counts() == before
