"""GET /api/v1/rankings/: the stored ranking as API.md gives it, scoped, in constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.choices import AgencyKind, UserRole
from agencies.services import agency_create
from reports.models import RankingTable
from reports.periods import Period
from reports.services import rankings_compute
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/rankings/"


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def api_client(worked_example):
    return client_for(UserFactory(role=UserRole.API_CLIENT, agency=worked_example.city))


def test_the_worked_example_ranking(worked_example, api_client):
    ex = worked_example
    rankings_compute(period=Period.parse("2023-03"))
    response = api_client.get(URL, {"period": "2023-03", "issuer": ex.county.pk, "kind": "department"})
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("period", "issuer", "kind", "stale")} == {
        "period": "2023-03",
        "issuer": ex.county.pk,
        "kind": "department",
        "stale": False,
    }
    assert body["computed_at"]
    d1, d2 = body["rows"]
    assert (d1["agency"], d1["rank"], d1["named"], d1["attendance_rate"]) == (ex.d1.pk, 1, False, 1.0)
    assert (d2["agency"], d2["rank"], d2["named"], d2["attendance_rate"]) == (ex.d2.pk, 2, True, 0.0)
    assert d1["obligations"] == 2 and d1["spoke_rate"] == 0.5 and d1["principal_share"] == 0.5
    assert d2["principal_share"] is None and d2["loss_rate"] is None
    metric_names = {
        "obligations", "head_attended", "attendance_rate", "principal_attended", "principal_share",
        "spoke_rate", "principal_coverage", "streak_months", "active_agencies", "observation_coverage",
        "training_coverage", "cases_filed", "cases_filed_prev_year", "case_volume_change", "concluded",
        "lost", "loss_rate", "withdrawn_after_change", "disputes_resolved", "disputes_head_share",
    }  # fmt: skip
    assert metric_names <= set(d1) and metric_names <= set(body["summary"])
    assert body["summary"]["attendance_rate"] == 0.6667, "rates rounded half to even to 4 places"
    assert "interviews" not in body, "monthly rankings have no interview list"


def test_quarterly_ranking_carries_the_interview_list(worked_example, api_client):
    ex = worked_example
    rankings_compute(period=Period.parse("2023-Q1"))
    body = api_client.get(URL, {"period": "2023-Q1", "issuer": ex.county.pk, "kind": "department"}).json()
    assert [(i["agency"], i["principal"]["name"]) for i in body["interviews"]] == [(ex.d2.pk, "王局长")]
    assert body["interviews"][0]["missed"][0]["head"]["name"] == "王局长"


def test_stale_is_shown_while_a_recomputation_is_due(worked_example, api_client):
    rankings_compute(period=Period.parse("2023-03"))
    RankingTable.objects.update(stale=True)
    body = api_client.get(
        URL, {"period": "2023-03", "issuer": worked_example.county.pk, "kind": "department"}
    ).json()
    assert body["stale"] is True


@pytest.mark.parametrize(
    "params, field",
    [
        ({"period": "2023-13", "kind": "department"}, "period"),
        ({"period": "2023-03", "kind": "county"}, "kind"),
        ({"period": "2023-03", "kind": "department", "issuer": "x"}, "issuer"),
        ({"kind": "department"}, "period"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(worked_example, api_client, params, field):
    params = {"issuer": worked_example.county.pk, **params}
    response = api_client.get(URL, params)
    assert response.status_code == 400 and field in response.json()


def test_never_computed_is_a_404(worked_example, api_client):
    rankings_compute(period=Period.parse("2023-03"))
    response = api_client.get(
        URL, {"period": "2023-04", "issuer": worked_example.county.pk, "kind": "department"}
    )
    assert response.status_code == 404
    response = api_client.get(
        URL, {"period": "2023-03", "issuer": worked_example.county.pk, "kind": "township"}
    )
    assert response.status_code == 404


def test_an_issuer_outside_the_callers_scope_is_a_404(worked_example):
    ex = worked_example
    rankings_compute(period=Period.parse("2023-03"))
    params = {"period": "2023-03", "issuer": ex.county.pk, "kind": "department"}
    d1_user = client_for(UserFactory(role=UserRole.AGENCY, agency=ex.d1))
    assert d1_user.get(URL, params).status_code == 404
    officer = client_for(UserFactory(role=UserRole.OFFICER, agency=ex.county))
    assert officer.get(URL, params).status_code == 200
    assert officer.get(URL, {**params, "issuer": ex.city.pk, "kind": "government"}).status_code == 404
    assert APIClient().get(URL, params).status_code in (401, 403)


def test_constant_number_of_queries_whatever_the_number_of_members(worked_example, api_client):
    ex = worked_example
    params = {"period": "2023-03", "issuer": ex.county.pk, "kind": "department"}
    rankings_compute(period=Period.parse("2023-03"))
    with CaptureQueriesContext(connection) as few:
        assert api_client.get(URL, params).status_code == 200
    for n in range(25):
        agency_create(name=f"新设局{n}", kind=AgencyKind.DEPARTMENT, parent=ex.county)
    rankings_compute(period=Period.parse("2023-03"))
    with CaptureQueriesContext(connection) as many:
        response = api_client.get(URL, params)
    assert len(response.json()["rows"]) == 27
    assert len(many.captured_queries) == len(few.captured_queries) <= 5
