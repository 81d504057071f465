import datetime
from types import SimpleNamespace

import pytest

from agencies.choices import AgencyKind, PositionRole, UserRole
from agencies.services import agency_create, court_create, official_create, position_create
from cases.services import DefendantInput, case_create
from hearings.choices import ExternalCapacity, HearingStatus
from hearings.services import appearance_create, hearing_create
from tests.factories import UserFactory


@pytest.fixture
def worked_example(db):
    """METRICS.md's worked example: county C, departments D1 and D2, March 2023."""
    city = agency_create(name="市人民政府", kind=AgencyKind.GOVERNMENT)
    county = agency_create(name="C县人民政府", kind=AgencyKind.GOVERNMENT, parent=city)
    d1 = agency_create(name="D1局", kind=AgencyKind.DEPARTMENT, parent=county)
    d2 = agency_create(name="D2局", kind=AgencyKind.DEPARTMENT, parent=county)
    start = datetime.date(2020, 1, 1)
    d1_principal = official_create(name="张局长")
    d1_deputy = official_create(name="李副局长")
    d2_principal = official_create(name="王局长")
    d2_staff = official_create(name="赵科员")
    position_create(
        official=d1_principal, agency=d1, role=PositionRole.PRINCIPAL, start_date=start, title="局长"
    )
    position_create(official=d1_deputy, agency=d1, role=PositionRole.DEPUTY, start_date=start, title="副局长")
    position_create(
        official=d2_principal, agency=d2, role=PositionRole.PRINCIPAL, start_date=start, title="局长"
    )
    position_create(official=d2_staff, agency=d2, role=PositionRole.STAFF, start_date=start, title="科员")
    court = court_create(name="C县人民法院", level="basic", code="鲁1502")

    def new_case(seq, defendants):
        return case_create(
            number=f"（2023）鲁1502行初{seq}号",
            court=court,
            filed_on=datetime.date(2023, 1, 10),
            plaintiff_name=f"原告{seq}",
            plaintiff_kind="person",
            cause="行政处罚",
            defendants=[DefendantInput(agency=a) for a in defendants],
        )

    k1, k2, k3 = new_case(1, [d1, d2]), new_case(2, [d1]), new_case(3, [d2])
    held = HearingStatus.HELD
    h1 = hearing_create(case=k1, date=datetime.date(2023, 3, 10), status=held)
    appearance_create(hearing=h1, agency=d1, official=d1_principal, spoke=True)
    appearance_create(hearing=h1, agency=d2, official=d2_staff)
    h2 = hearing_create(case=k2, date=datetime.date(2023, 3, 15), status=held)
    appearance_create(hearing=h2, agency=d1, person_name="钱律师", capacity=ExternalCapacity.LAWYER)
    h3 = hearing_create(case=k2, date=datetime.date(2023, 3, 28), status=held)
    appearance_create(hearing=h3, agency=d1, official=d1_deputy, spoke=False)
    h4 = hearing_create(case=k3, date=datetime.date(2023, 3, 20), status=HearingStatus.CANCELLED)
    return SimpleNamespace(
        city=city,
        county=county,
        d1=d1,
        d2=d2,
        court=court,
        k1=k1,
        k2=k2,
        k3=k3,
        h1=h1,
        h2=h2,
        h3=h3,
        h4=h4,
        d1_principal=d1_principal,
        d1_deputy=d1_deputy,
        d2_principal=d2_principal,
        d2_staff=d2_staff,
    )


@pytest.fixture
def officer(worked_example):
    return UserFactory(role=UserRole.OFFICER, agency=worked_example.county, username="officer")


@pytest.fixture
def liaison(worked_example):
    return UserFactory(role=UserRole.LIAISON, username="liaison", courts=[worked_example.court])
