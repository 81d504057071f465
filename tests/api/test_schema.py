"""The OpenAPI schema generates and validates; the docs page loads nothing from another host."""

import re

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

RESOURCES = (
    "agencies",
    "officials",
    "positions",
    "courts",
    "cases",
    "hearings",
    "appearances",
    "events",
    "disputes",
)


@pytest.mark.django_db
def test_schema_is_valid_openapi_with_every_path(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in schema["paths"], resource
        assert f"/api/v1/{resource}/{{id}}/" in schema["paths"], resource
    assert "post" in schema["paths"]["/api/v1/auth/token/"]
    case = schema["components"]["schemas"]["Case"]["properties"]
    assert {"id", "number", "court", "filed_on", "stage", "defendants", "concluded_on", "version"} <= set(
        case
    )
    assert case["stage"]["readOnly"] is True
    hearing = schema["components"]["schemas"]["Hearing"]["properties"]
    assert hearing["obligations"]["readOnly"] is True
    params = {p["name"] for p in schema["paths"]["/api/v1/hearings/"]["get"]["parameters"]}
    assert {"court", "status", "date_after", "date_before", "page", "page_size"} <= params


@pytest.mark.django_db
def test_docs_page_uses_only_local_static_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads its scripts and styles"
    assert all(a.startswith("/static/") for a in assets), assets
    assert not re.search(r"https?://", html), "no address of another host in the page"
    for asset in assets:
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), f"{asset} ships in static files"


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/cases/" in out.read_text()
