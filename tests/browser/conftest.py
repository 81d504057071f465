"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API against the live server."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing (apt-get install chromium fonts-wqy-microhei)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # a loaded CI machine, two test workers and a live server
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    # What a person would notice as broken: a script error, or a stylesheet or script that did not load.
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.request.resource_type in ("script", "stylesheet", "image", "font")
            and response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and page.console_errors.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save the whole page as artifacts/screenshots/<name>.png (git-ignored) for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        # A viewport as tall as the page keeps the sticky save bar at the bottom of the picture.
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height)})
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(VIEWPORT)
        return path

    return take


@pytest.fixture
def log_in(page, live_server):
    """Sign in through the login form, by keyboard, landing on `next` (the case list by default)."""

    def log_in_as(user, password="pw-123456", next="/cases/"):
        from playwright.sync_api import expect

        page.goto(f"{live_server.url}/accounts/login/?next={next}")
        # Type only once the user name field has the focus, or the first keys are lost.
        expect(page.locator("input[name=username]")).to_be_focused()
        page.keyboard.type(user.username)
        page.keyboard.press("Tab")
        page.keyboard.type(password)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server.url}{next}")

    return log_in_as
