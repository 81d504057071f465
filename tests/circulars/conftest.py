"""METRICS.md's worked example with its rankings computed for 2023-03, and the users around it.

city ── county C (issuer: ranks D1 and D2) ── D1, D2
The county's officer manages the county's circulars; the city issues its own (ranking the county).
"""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from agencies.choices import UserRole
from reports.circular_models import Circular
from reports.circulars import circular_publish
from reports.periods import Period
from reports.services import rankings_compute
from tests.factories import GovernmentFactory, UserFactory

MARCH = Period.parse("2023-03")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The period lock lives in the cache on SQLite: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def computed(worked_example):
    rankings_compute(period=MARCH)
    return worked_example


@pytest.fixture
def draft(computed):
    """The county's draft circular for 2023-03, created by the ranking job."""
    return Circular.objects.get(issuer=computed.county, period="2023-03")


@pytest.fixture
def publish(officer, django_capture_on_commit_callbacks):
    """Publish a circular as the county's officer, running what is queued after commit."""

    def _publish(circular, user=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return circular_publish(circular=circular, user=user or officer, **kwargs)

    return _publish


@pytest.fixture
def users(worked_example, officer):
    other_county = GovernmentFactory(name="E县人民政府", parent=worked_example.city)
    return SimpleNamespace(
        officer=officer,
        city_officer=UserFactory(role=UserRole.OFFICER, agency=worked_example.city, username="city_officer"),
        other_officer=UserFactory(role=UserRole.OFFICER, agency=other_county, username="other_officer"),
        d1_user=UserFactory(role=UserRole.AGENCY, agency=worked_example.d1, username="d1user"),
        api_client=UserFactory(role=UserRole.API_CLIENT, agency=worked_example.county, username="api"),
        other_api_client=UserFactory(role=UserRole.API_CLIENT, agency=other_county, username="api2"),
        liaison=UserFactory(role=UserRole.LIAISON, username="liaison_x"),
        superuser=UserFactory(role="", is_superuser=True, is_staff=True, username="root"),
    )


def api(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
