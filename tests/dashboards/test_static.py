"""Nothing loads from another host: every script, style, font and image comes from static/."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
# A tag that loads something (script, stylesheet, image, frame, font) from an absolute URL.
LOADING = re.compile(
    r"<(script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*[\"']?\s*(https?:)?//"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?\s*(https?:)?//"
    r"|url\(\s*[\"']?\s*(https?:)?//"
    r"|@import\s+[\"']?\s*(https?:)?//",
    re.IGNORECASE,
)


def test_no_template_or_stylesheet_loads_from_another_host():
    files = [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("static", "css").rglob("*.css")]
    assert ROOT.joinpath("templates", "home.html") in files
    offending = [str(f.relative_to(ROOT)) for f in files if LOADING.search(f.read_text(encoding="utf-8"))]
    assert offending == []


def test_the_checker_catches_a_cdn():
    assert LOADING.search('<script src="https://cdn.jsdelivr.net/npm/chart.js"></script>')
    assert LOADING.search("<link rel=stylesheet href=//fonts.googleapis.com/css>")
    assert not LOADING.search('<a href="https://www.court.gov.cn/">')


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "dashboard-trends", "dashboard-rankings", "dashboard-missed", "dashboard-wall"]
)
def test_rendered_pages_load_only_local_files(client, officer, name):
    client.force_login(officer)
    html = client.get(reverse(name), {"period": "2023-03"}).content.decode()
    assert not LOADING.search(html)
    for src in re.findall(r"<script[^>]*src=\"([^\"]+)\"", html):
        assert src.startswith(settings.STATIC_URL) or src.startswith("/" + settings.STATIC_URL)


def test_chart_js_is_vendored():
    assert ROOT.joinpath("static", "vendor", "chart.js", "chart.umd.min.js").stat().st_size > 100_000
