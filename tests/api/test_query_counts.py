"""Every list endpoint runs the same number of queries for 1 row as for 30 (no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.choices import PositionRole
from tests.api.conftest import client_for
from tests.factories import (
    AgencyFactory,
    AppearanceFactory,
    CaseFactory,
    CourtFactory,
    DefendantFactory,
    DisputeFactory,
    EventFactory,
    HearingFactory,
    OfficialFactory,
    PositionFactory,
)


def add_agency(world):
    AgencyFactory(parent=world.a)


def add_official(world):
    PositionFactory(official=OfficialFactory(), agency=world.a, role=PositionRole.STAFF)


def add_position(world):
    PositionFactory(agency=world.a, role=PositionRole.STAFF)


def add_court(world):
    CourtFactory()


def add_case(world):
    case = CaseFactory(court=world.court_in, court_code=world.court_in.code)
    DefendantFactory(case=case, agency=world.a)
    DefendantFactory(case=case, agency=AgencyFactory(parent=world.county))
    return case


def add_hearing(world):
    case = add_case(world)
    hearing = HearingFactory(case=case, date=datetime.date(2023, 3, 10))
    AppearanceFactory(hearing=hearing, agency=world.a, official=world.official_in, spoke=True)
    return hearing


def add_appearance(world):
    hearing = HearingFactory(case=world.objects["cases"].inside, date=datetime.date(2023, 4, 1))
    AppearanceFactory(hearing=hearing, agency=world.a, official=world.official_in)
    AppearanceFactory(hearing=hearing, agency=world.a, person_name="钱律师", capacity="lawyer")


def add_event(world):
    event = EventFactory(hearing=world.objects["hearings"].inside)
    event.agencies.set([world.a, AgencyFactory(parent=world.county)])
    event.officials.set([world.official_in])


def add_dispute(world):
    dispute = DisputeFactory(agency=world.a, case=world.objects["cases"].inside)
    dispute.heads.set([world.official_in])


ADD = {
    "agencies": add_agency,
    "officials": add_official,
    "positions": add_position,
    "courts": add_court,
    "cases": add_case,
    "hearings": add_hearing,
    "appearances": add_appearance,
    "events": add_event,
    "disputes": add_dispute,
}
# The scoped role that reads each list, besides the superuser.
READER = {
    "agencies": "officer",
    "officials": "officer",
    "positions": "agency",
    "courts": "api_client",
    "cases": "liaison",
    "hearings": "officer",
    "appearances": "liaison",
    "events": "agency",
    "disputes": "officer",
}
# Queries a list may run at most: count, rows, and one per prefetched relation.
CEILING = 6


def list_queries(client, resource) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{resource}/", {"page_size": 500})
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.django_db
@pytest.mark.parametrize("as_superuser", [False, True], ids=["scoped", "superuser"])
@pytest.mark.parametrize("resource", ADD)
def test_list_queries_do_not_grow_with_rows(world, resource, as_superuser, django_assert_max_num_queries):
    client = client_for(world.users["superuser" if as_superuser else READER[resource]])
    ADD[resource](world)
    few, rows = list_queries(client, resource)
    assert few <= CEILING, f"{resource}: {few} queries"
    for _ in range(29):
        ADD[resource](world)
    with django_assert_max_num_queries(few):
        response = client.get(f"/api/v1/{resource}/", {"page_size": 500})
    assert response.json()["count"] >= rows + 29, "the new rows are listed"
