"""A person who mistypes their password five times sees why they cannot sign in, in Chinese."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_fifth_wrong_password_shows_the_lock_page(page, live_server, screenshot):
    user = UserFactory(username="zhang_san")
    for attempt in range(1, 6):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", "wrong-password")
        page.click("button[type=submit]")
        if attempt < 5:
            expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确。")
    expect(page.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("请15分钟后再试")
    screenshot("login-locked-out")
    assert page.console_errors == []
