"""Guessing passwords: the LOGIN_FAILURE_LIMIT-th (5th) wrong password for one username from one
address locks that pair for LOGIN_LOCKOUT_MINUTES (15) on the login page, the admin and the API
token endpoint alike; other users and other addresses are not."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
TOKEN = "/api/v1/auth/token/"
PASSWORD = "pw-123456"  # UserFactory's


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        assert log_in(client, username, "wrong", address).status_code == 200  # the form again, with its error


def lock(client, username, address="10.0.0.1"):
    fail(client, username, 4, address)
    locked = log_in(client, username, "wrong", address)
    assert locked.status_code == 429
    return locked


def test_five_wrong_passwords_lock_the_username_at_that_address(client):
    user, colleague = UserFactory(), UserFactory()
    lock(client, user.username)

    locked = log_in(client, user.username, PASSWORD)
    assert locked.status_code == 429 and locked["Retry-After"] == "900"
    page = locked.content.decode()
    assert "登录已暂时锁定" in page and "请15分钟后再试" in page
    assert "_auth_user_id" not in client.session, "the right password does not get through"

    assert log_in(client, colleague.username, PASSWORD).status_code == 302  # another user
    client.logout()
    assert log_in(client, user.username, PASSWORD, address="10.0.0.2").status_code == 302  # another address


def test_the_lock_ends_after_the_cool_off(client):
    user = UserFactory()
    lock(client, user.username)
    assert log_in(client, user.username, PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert log_in(client, user.username, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_count(client):
    user = UserFactory()
    fail(client, user.username, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302
    client.logout()
    fail(client, user.username, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_the_lock_page_speaks_english_to_an_english_user(client):
    user = UserFactory()
    client.cookies["django_language"] = "en"
    page = lock(client, user.username).content.decode()
    assert "15 minutes" in page and "登录" not in page.split("<main", 1)[-1]


def test_the_api_token_endpoint_locks_too_and_answers_json():
    user = UserFactory()
    client = APIClient(REMOTE_ADDR="10.0.0.9")
    for _ in range(4):
        assert client.post(TOKEN, {"username": user.username, "password": "wrong"}).status_code == 400
    assert client.post(TOKEN, {"username": user.username, "password": "wrong"}).status_code == 429
    locked = client.post(TOKEN, {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429 and "15" in locked.json()["detail"]
    assert "token" not in locked.json()


def test_behind_a_trusted_proxy_each_client_address_counts_apart(client, settings):
    """TRUSTED_PROXY_COUNT=1: the address is the client's from X-Forwarded-For, not the proxy's, so
    someone guessing a colleague's password does not lock the colleague out everywhere."""
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()

    def via_proxy(client_address, password):
        return client.post(
            LOGIN,
            {"username": user.username, "password": password},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(4):
        assert via_proxy("203.0.113.5", "wrong").status_code == 200
    assert via_proxy("203.0.113.5", "wrong").status_code == 429
    assert via_proxy("198.51.100.1, 203.0.113.5", PASSWORD).status_code == 429, "a forged hop changes nothing"
    assert via_proxy("203.0.113.6", PASSWORD).status_code == 302
