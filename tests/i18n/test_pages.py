"""Pages in English for a reader who asks for it (browser language, or the switch in the header),
and in Chinese for everyone else."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u3400-\u9fff]")


def texts_of(html: str, tag: str) -> list[str]:
    """The visible text of every <tag> element (labels and column headings: never data)."""
    cells = re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, flags=re.S)
    return [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def test_login_page_is_in_english_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "<h1>Log in</h1>" in html
    assert "Username" in html and "Password" in html
    assert "Litigation Response Portal" in html
    for chinese in ("登录", "用户名", "密码", "行政应诉工作平台"):
        assert chinese not in html


def test_failed_login_explains_itself_in_english(client, officer):
    response = client.post(
        reverse("login"), {"username": "officer", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    html = response.content.decode()
    assert "Incorrect username or password." in html
    assert "用户名或密码不正确" not in html


def test_language_switch_turns_the_case_list_english_for_an_officer(client, officer):
    client.force_login(officer)
    cases_url = reverse("cases:list")

    switched = client.post(reverse("set_language"), {"language": "en", "next": cases_url})
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(cases_url)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert texts_of(html, "th") == [
        "Case number",
        "Court",
        "Filed on",
        "Plaintiff",
        "Cause of action",
        "Defendants",
        "Concluded",
    ]
    assert "3 cases" in html  # the worked example's k1, k2, k3
    assert ">Find cases<" in html or 'aria-label="Find cases"' in html
    assert ">Hearings</a>" in html and ">Log out</button>" in html
    assert "First instance" in html and "Pending" in html
    for label in texts_of(html, "label") + texts_of(html, "th") + texts_of(html, "button"):
        assert not HAN.search(label), label
    for chinese in ("查找案件", "案号", "案由", "立案日期", "共 3 件案件", "退出", "一审"):
        assert chinese not in html
    # The data stays as recorded.
    assert "（2023）鲁1502行初1号" in html


def test_language_cookie_alone_is_enough(client, officer):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("cases:list")).content.decode()

    assert "Cause of action" in html
    assert "案由" not in html


def test_without_a_preference_the_pages_are_chinese(client, officer):
    login = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in login
    assert "<h1>登录</h1>" in login and "用户名" in login
    assert "Log in" not in login

    client.force_login(officer)
    html = client.get(reverse("cases:list")).content.decode()
    assert texts_of(html, "th")[:2] == ["案号", "法院"]
    assert "共 3 件案件" in html and "案由" in html
    for english in ("Case number", "Cause of action", "Find cases", "3 cases"):
        assert english not in html


def test_a_language_the_portal_does_not_offer_falls_back_to_chinese(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()

    assert "<h1>登录</h1>" in html
    assert "Log in" not in html


def test_english_pages_put_english_punctuation_between_translated_words(client, officer, worked_example):
    """Punctuation a template writes between words (原告：…（自然人）) follows the language; Chinese
    data such as a case number keeps its own."""
    from django.utils import translation

    case = worked_example.k1
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    with translation.override("en"):
        kind = str(case.get_plaintiff_kind_display())
    assert f"{case.plaintiff_name} ({kind})" in texts_of(html, "dd")
    assert not any("（" in text for text in texts_of(html, "dd") if case.number not in text)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"{case.plaintiff_name}（{case.get_plaintiff_kind_display()}）" in texts_of(html, "dd")
