"""Dashboard, rankings and missed pages run a bounded number of queries, whatever the number of
members (METRICS.md figures for every member come from two queries; stored rankings from three)."""

import datetime

import pytest
from django.urls import reverse

from agencies.choices import AgencyKind, PositionRole, UserRole
from cases.models import Case
from hearings.choices import HearingStatus
from litigation.dates import local_today
from reports.periods import Period
from reports.services import rankings_compute
from tests.factories import (
    AgencyFactory,
    AppearanceFactory,
    CaseFactory,
    CourtFactory,
    DefendantFactory,
    GovernmentFactory,
    HearingFactory,
    OfficialFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Session and user (2), the scope, the period's figures, the stored tables and rows, the user's
# visible cases: the same whatever the city's size.
BOUNDS = {
    "home": 10,
    "dashboard-trends": 6,
    "dashboard-rankings": 8,
    "dashboard-missed": 10,
    "dashboard-wall": 10,
}


def build_city(members: int):
    """A city with `members` counties, each with two departments; every department has a case heard
    in March 2023: half attended by their principal, half by a lawyer only."""
    court = CourtFactory()
    city = GovernmentFactory(name="市人民政府")
    for i in range(members):
        county = GovernmentFactory(name=f"第{i}县人民政府", parent=city)
        for j in range(2):
            department = AgencyFactory(name=f"第{i}县{j}局", kind=AgencyKind.DEPARTMENT, parent=county)
            for month in (2, 3):
                case = CaseFactory(court=court)
                DefendantFactory(case=case, agency=department)
                hearing = HearingFactory(case=case, date=datetime.date(2023, month, 10))
                if (i + j + month) % 2:
                    principal = PositionFactory(
                        agency=department,
                        role=PositionRole.PRINCIPAL,
                        official=OfficialFactory(),
                        start_date=datetime.date(2023, month, 1),
                        end_date=datetime.date(2023, month, 28),
                    )
                    AppearanceFactory(
                        hearing=hearing, agency=department, official=principal.official, spoke=True
                    )
                else:
                    AppearanceFactory(hearing=hearing, agency=department, person_name="律师")
    for period in ("2023-02", "2023-03"):
        rankings_compute(period=Period.parse(period))
    return city, court


@pytest.mark.parametrize("members", [5, 25])
@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_pages_run_a_bounded_number_of_queries(client, django_assert_max_num_queries, members, name):
    city, _court = build_city(members)
    officer = UserFactory(role=UserRole.OFFICER, agency=city, username="city")
    client.force_login(officer)
    with django_assert_max_num_queries(BOUNDS[name]):
        response = client.get(reverse(name), {"period": "2023-03"})
    assert response.status_code == 200
    if name == "dashboard-rankings":
        assert len(response.context["blocks"][0].lines) == members
    if name == "dashboard-missed":
        assert len(response.context["lines"]) == members


@pytest.mark.parametrize("members", [5, 25])
def test_liaison_home_is_bounded_too(client, django_assert_max_num_queries, members):
    city, court = build_city(members)
    for case in Case.objects.all()[:members]:
        HearingFactory(
            case=case, date=local_today() + datetime.timedelta(days=3), status=HearingStatus.SCHEDULED
        )
    liaison = UserFactory(role=UserRole.LIAISON, username="liaison", courts=[court])
    client.force_login(liaison)
    with django_assert_max_num_queries(15):  # one more than an officer's: the badge of their missed list
        response = client.get(reverse("home"), {"period": "2023-03"})
    assert len(response.context["upcoming"]) == members


@pytest.mark.parametrize("members", [5, 25])
def test_exports_are_bounded(client, django_assert_max_num_queries, members):
    city, _court = build_city(members)
    client.force_login(UserFactory(role=UserRole.OFFICER, agency=city, username="city"))
    for name in ("dashboard-rankings", "dashboard-missed"):
        with django_assert_max_num_queries(BOUNDS[name]):
            assert client.get(reverse(name), {"period": "2023-03", "format": "xlsx"}).status_code == 200
