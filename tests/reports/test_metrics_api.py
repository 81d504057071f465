"""GET /api/v1/metrics/: the live figures of an agency's scope, for every role that may see it."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.choices import UserRole
from reports.metrics import METRIC_NAMES
from tests.factories import UserFactory

URL = "/api/v1/metrics/"


def client_of(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_the_worked_example_over_the_api(worked_example, officer, django_assert_max_num_queries):
    ex = worked_example
    with django_assert_max_num_queries(6):
        response = client_of(officer).get(URL, {"period": "2023-03", "agency": ex.county.pk})
    assert response.status_code == 200
    body = response.json()
    assert set(METRIC_NAMES) | {"period", "agency"} <= set(body)
    assert (body["period"], body["agency"]) == ("2023-03", ex.county.pk)
    assert {k: body[k] for k in ("obligations", "head_attended", "principal_attended", "streak_months")} == {
        "obligations": 3,
        "head_attended": 2,
        "principal_attended": 1,
        "streak_months": 0,
    }
    assert {
        k: body[k] for k in ("attendance_rate", "principal_share", "spoke_rate", "principal_coverage")
    } == {
        "attendance_rate": 0.6667,
        "principal_share": 0.5,
        "spoke_rate": 0.5,
        "principal_coverage": 0.5,
    }
    assert body["loss_rate"] is None and body["case_volume_change"] is None, "no denominator: null"
    assert body["observation_coverage"] == 0.0


@pytest.mark.django_db
def test_the_head_required_variant_over_the_api(worked_example, officer):
    from hearings.services import hearing_update

    ex = worked_example
    hearing_update(hearing=ex.h2, version=ex.h2.version, head_required=True)
    body = client_of(officer).get(URL, {"period": "2023-Q1", "agency": ex.county.pk}).json()
    assert (body["period"], body["head_attended"], body["attendance_rate"]) == ("2023-Q1", 1, 0.3333)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params,field",
    [
        ({"period": "2023-13", "agency": 1}, "period"),
        ({"period": "2023/03", "agency": 1}, "period"),
        ({"period": "", "agency": 1}, "period"),
        ({"agency": 1}, "period"),
        ({"period": "2023-03"}, "agency"),
        ({"period": "2023-03", "agency": "D1"}, "agency"),
    ],
)
def test_bad_parameters_answer_400_naming_the_field(worked_example, officer, params, field):
    response = client_of(officer).get(URL, params)
    assert response.status_code == 400
    assert list(response.json()) == [field] and response.json()[field]


@pytest.mark.django_db
def test_a_malformed_period_says_what_a_period_is(worked_example, officer):
    response = client_of(officer).get(URL, {"period": "March", "agency": worked_example.county.pk})
    assert response.status_code == 400
    assert "2023-Q1" in response.json()["period"][0]


@pytest.mark.django_db
def test_unknown_or_out_of_scope_agency_is_404(worked_example, officer):
    client = client_of(officer)
    assert client.get(URL, {"period": "2023-03", "agency": 999999}).status_code == 404
    assert client.get(URL, {"period": "2023-03", "agency": worked_example.city.pk}).status_code == 404
    assert client.get(URL, {"period": "2023-03", "agency": worked_example.d1.pk}).status_code == 200


@pytest.mark.django_db
def test_api_client_with_a_token_sees_its_issuers_scope_only(worked_example):
    ex = worked_example
    user = UserFactory(role=UserRole.API_CLIENT, agency=ex.county)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.get(URL, {"period": "2023-03", "agency": ex.d2.pk})
    assert response.status_code == 200
    assert (response.json()["obligations"], response.json()["attendance_rate"]) == (1, 0.0)
    assert client.get(URL, {"period": "2023-03", "agency": ex.city.pk}).status_code == 404


@pytest.mark.django_db
def test_agency_user_sees_their_agency_and_liaison_sees_all(worked_example, liaison):
    ex = worked_example
    agency_user = UserFactory(role=UserRole.AGENCY, agency=ex.d2)
    assert client_of(agency_user).get(URL, {"period": "2023-03", "agency": ex.d2.pk}).status_code == 200
    assert client_of(agency_user).get(URL, {"period": "2023-03", "agency": ex.d1.pk}).status_code == 404
    response = client_of(liaison).get(URL, {"period": "2023-03", "agency": ex.city.pk})
    assert (response.status_code, response.json()["obligations"]) == (200, 3)


@pytest.mark.django_db
def test_anonymous_and_roleless_users_are_refused(worked_example):
    params = {"period": "2023-03", "agency": worked_example.county.pk}
    assert client_of().get(URL, params).status_code in (401, 403)
    assert client_of(UserFactory(role="")).get(URL, params).status_code == 403


@pytest.mark.django_db
def test_metrics_are_read_only(worked_example, officer):
    response = client_of(officer).post(URL, {"period": "2023-03", "agency": worked_example.county.pk})
    assert response.status_code in (403, 405)


@pytest.mark.django_db
def test_schema_documents_the_endpoint(officer):
    schema = client_of(officer).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/metrics/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"period", "agency"}
