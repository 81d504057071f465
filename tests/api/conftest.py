"""A small world with one object of every resource inside and one outside each role's scope.

city ─┬─ county G (government) ── agency A        court_in: the liaison's court
      └─ other  O (government) ── agency B        court_out: not theirs

"in" objects belong to A / court_in, "out" objects to B / court_out, so the same pair serves every
role: the officer of G, the agency user of A, the API client of G and the liaison of court_in.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from agencies.choices import PositionRole, UserRole
from hearings.choices import HearingStatus
from tests.factories import (
    AgencyFactory,
    AppearanceFactory,
    CaseFactory,
    CourtFactory,
    DefendantFactory,
    DisputeFactory,
    EventFactory,
    GovernmentFactory,
    HearingFactory,
    OfficialFactory,
    PositionFactory,
    UserFactory,
)

ROLES = ("anonymous", "officer", "liaison", "agency", "api_client", "superuser")


def _pair(**kwargs):
    return SimpleNamespace(**kwargs)


@pytest.fixture
def world(db):
    # The world is the "before"; its history rows would only slow every test down.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        return _build_world()


def _build_world():
    city = GovernmentFactory(name="市人民政府")
    county = GovernmentFactory(name="甲县人民政府", parent=city)
    other = GovernmentFactory(name="乙县人民政府", parent=city)
    a = AgencyFactory(name="甲县公安局", parent=county)
    b = AgencyFactory(name="乙县公安局", parent=other)
    court_in = CourtFactory(name="甲县人民法院", code="鲁1501")
    court_out = CourtFactory(name="乙县人民法院", code="鲁1502")
    start = datetime.date(2020, 1, 1)
    official_in, official_out = OfficialFactory(name="张局长"), OfficialFactory(name="李局长")
    position_in = PositionFactory(
        official=official_in, agency=a, role=PositionRole.PRINCIPAL, title="局长", start_date=start
    )
    position_out = PositionFactory(
        official=official_out, agency=b, role=PositionRole.PRINCIPAL, title="局长", start_date=start
    )
    case_in = CaseFactory(court=court_in, number="（2023）鲁1501行初1号", sequence=1)
    case_out = CaseFactory(court=court_out, number="（2023）鲁1502行初1号", court_code="鲁1502", sequence=1)
    DefendantFactory(case=case_in, agency=a)
    DefendantFactory(case=case_out, agency=b)
    held_on = datetime.date(2023, 3, 10)
    hearing_in = HearingFactory(case=case_in, date=held_on, status=HearingStatus.HELD)
    hearing_out = HearingFactory(case=case_out, date=held_on, status=HearingStatus.HELD)
    appearance_in = AppearanceFactory(hearing=hearing_in, agency=a, official=official_in, spoke=True)
    appearance_out = AppearanceFactory(hearing=hearing_out, agency=b, official=official_out, spoke=True)
    event_in, event_out = EventFactory(title="甲县培训"), EventFactory(title="乙县培训")
    event_in.agencies.set([a])
    event_out.agencies.set([b])
    dispute_in, dispute_out = DisputeFactory(agency=a), DisputeFactory(agency=b)
    users = {
        "anonymous": None,
        "officer": UserFactory(role=UserRole.OFFICER, agency=county),
        "liaison": UserFactory(role=UserRole.LIAISON, courts=[court_in]),
        "agency": UserFactory(role=UserRole.AGENCY, agency=a),
        "api_client": UserFactory(role=UserRole.API_CLIENT, agency=county),
        "superuser": UserFactory(role="", is_superuser=True, is_staff=True),
    }
    return SimpleNamespace(
        city=city,
        county=county,
        other=other,
        a=a,
        b=b,
        court_in=court_in,
        court_out=court_out,
        official_in=official_in,
        official_out=official_out,
        users=users,
        objects={
            "agencies": _pair(inside=a, outside=b),
            "officials": _pair(inside=official_in, outside=official_out),
            "positions": _pair(inside=position_in, outside=position_out),
            "courts": _pair(inside=court_in, outside=court_out),
            "cases": _pair(inside=case_in, outside=case_out),
            "hearings": _pair(inside=hearing_in, outside=hearing_out),
            "appearances": _pair(inside=appearance_in, outside=appearance_out),
            "events": _pair(inside=event_in, outside=event_out),
            "disputes": _pair(inside=dispute_in, outside=dispute_out),
        },
    )


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def as_role(world):
    return lambda role: client_for(world.users[role])
