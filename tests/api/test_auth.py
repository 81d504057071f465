"""Token authentication (API.md): POST auth/token/ → {"token"}; `Authorization: Token <key>` works."""

import pytest
from rest_framework.test import APIClient

from agencies.choices import UserRole
from tests.factories import UserFactory


def token_for(client, username, password):
    return client.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


@pytest.mark.django_db
def test_token_login_and_token_header(world):
    client = APIClient()
    response = token_for(client, world.users["liaison"].username, "pw-123456")
    assert response.status_code == 200
    assert list(response.json()) == ["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    listed = client.get("/api/v1/cases/")
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [world.objects["cases"].inside.pk]
    again = token_for(APIClient(), world.users["liaison"].username, "pw-123456")
    assert again.json() == response.json(), "the same user keeps one token"


@pytest.mark.django_db
def test_wrong_password_gets_no_token(world):
    response = token_for(APIClient(), world.users["liaison"].username, "wrong")
    assert response.status_code == 400
    assert "token" not in response.json()


@pytest.mark.django_db
def test_inactive_user_gets_no_token(db):
    user = UserFactory(role=UserRole.LIAISON, is_active=False)
    assert token_for(APIClient(), user.username, "pw-123456").status_code == 400


@pytest.mark.django_db
def test_unknown_token_and_no_credentials_are_401(world):
    client = APIClient()
    response = client.get("/api/v1/agencies/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert client.get("/api/v1/agencies/").status_code == 401


@pytest.mark.django_db
def test_api_client_token_reads_its_issuers_scope_only(world):
    client = APIClient()
    key = token_for(client, world.users["api_client"].username, "pw-123456").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    names = {row["name"] for row in client.get("/api/v1/agencies/").json()["results"]}
    assert names == {world.county.name, world.a.name}
    assert client.get("/api/v1/cases/").status_code == 403


@pytest.mark.django_db
def test_changes_through_a_token_are_attributed_to_its_user(world):
    client = APIClient()
    liaison = world.users["liaison"]
    key = token_for(client, liaison.username, "pw-123456").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    case = world.objects["cases"].inside
    assert client.patch(f"/api/v1/cases/{case.pk}/", {"cause": "改后案由"}, format="json").status_code == 200
    latest = case.history.latest()
    assert (latest.history_user, latest.history_type, latest.cause) == (liaison, "~", "改后案由")


@pytest.mark.django_db
def test_session_login_works_too(world, client):
    client.force_login(world.users["officer"])
    assert client.get("/api/v1/agencies/").status_code == 200
