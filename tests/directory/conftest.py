import contextlib
import datetime
from types import SimpleNamespace

import pytest
from simple_history.models import HistoricalRecords

from agencies.choices import AgencyKind, PositionRole, UserRole
from agencies.services import agency_create, official_create, position_create
from tests.factories import UserFactory


@pytest.fixture
def other(worked_example):
    """A second county beside C, outside the officer's scope, with a department and its principal."""
    county = agency_create(name="E县人民政府", kind=AgencyKind.GOVERNMENT, parent=worked_example.city)
    dept = agency_create(name="E县公安局", kind=AgencyKind.DEPARTMENT, parent=county)
    chief = official_create(name="孙局长")
    post = position_create(
        official=chief,
        agency=dept,
        role=PositionRole.PRINCIPAL,
        start_date=datetime.date(2020, 1, 1),
        title="局长",
    )
    user = UserFactory(role=UserRole.AGENCY, agency=dept, username="e_agency")
    return SimpleNamespace(county=county, dept=dept, chief=chief, post=post, user=user)


@pytest.fixture
def agency_user(worked_example):
    return UserFactory(role=UserRole.AGENCY, agency=worked_example.d1, username="d1_user")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role="", is_superuser=True, is_staff=True)


@contextlib.contextmanager
def acting_as(user):
    """Attribute history records written inside the block to `user`, as a request would."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request
