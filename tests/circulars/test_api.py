"""`/api/v1/circulars/` as API.md describes it: who sees what, filters, publication, conditional GET."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from hearings.services import appearance_create
from reports.circular_models import Circular
from reports.periods import Period
from reports.services import rankings_compute
from tests.factories import AgencyFactory, GovernmentFactory

from .conftest import api

LIST = "/api/v1/circulars/"
API_FIELDS = {
    "id", "number", "title", "period", "kind", "issuer", "published_at", "revision", "supersedes",
    "summary", "rankings", "missed", "named", "interviews", "status",
}  # fmt: skip


@pytest.fixture
def world(computed, draft, publish, users):
    """The county's circular published; the city's still a draft."""
    published = publish(draft, today=datetime.date(2023, 4, 3))
    city_draft = Circular.objects.get(issuer=computed.city, period="2023-03")
    return published, city_draft


def _ids(response):
    assert response.status_code == 200, response.content
    return {c["id"] for c in response.json()["results"]}


def test_fields_and_figures(world, users):
    published, _city = world
    body = api(users.api_client).get(f"{LIST}{published.pk}/").json()
    assert API_FIELDS <= set(body)
    assert body["number"] == "C政通〔2023〕1号"
    assert body["status"] == "published" and body["kind"] == "monthly" and body["revision"] == 1
    assert body["supersedes"] is None and body["issuer"] == published.issuer_id
    assert body["summary"]["attendance_rate"] == 0.6667 and body["summary"]["obligations"] == 3
    rows = body["rankings"][0]["rows"]
    assert [(r["agency_name"], r["rank"], r["named"], r["attendance_rate"]) for r in rows] == [
        ("D1局", 1, False, 1.0),
        ("D2局", 2, True, 0.0),
    ]
    assert [n["agency_name"] for n in body["named"]] == ["D2局"]
    assert body["missed"][0]["case_number"] == "（2023）鲁1502行初1号"
    assert body["interviews"] == []


def test_visibility_per_role(world, users):
    published, city_draft = world
    assert _ids(api(users.officer).get(LIST)) == {published.pk}  # the city's draft is not theirs
    assert _ids(api(users.city_officer).get(LIST)) == {published.pk, city_draft.pk}
    assert _ids(api(users.api_client).get(LIST)) == {published.pk}
    assert _ids(api(users.d1_user).get(LIST)) == {published.pk}  # addressed to D1
    assert _ids(api(users.other_api_client).get(LIST)) == set()  # another county's scope
    assert _ids(api(users.superuser).get(LIST)) == {published.pk, city_draft.pk}
    assert api(users.liaison).get(LIST).status_code == 403
    assert api(None).get(LIST).status_code == 401
    # Outside one's view: 404, drafts included.
    assert api(users.api_client).get(f"{LIST}{city_draft.pk}/").status_code == 404
    assert api(users.officer).get(f"{LIST}{city_draft.pk}/").status_code == 404
    assert api(users.other_api_client).get(f"{LIST}{published.pk}/").status_code == 404


def test_api_clients_see_drafts_only_once_published(computed, draft, users, publish):
    assert _ids(api(users.api_client).get(LIST)) == set()
    assert _ids(api(users.officer).get(LIST)) == {draft.pk}
    assert api(users.officer).get(f"{LIST}{draft.pk}/").json()["number"] is None
    publish(draft)
    assert _ids(api(users.api_client).get(LIST)) == {draft.pk}


def test_filters(world, users):
    published, city_draft = world
    client = api(users.superuser)
    assert _ids(client.get(LIST, {"period": "2023-03"})) == {published.pk, city_draft.pk}
    assert _ids(client.get(LIST, {"period": "2023-04"})) == set()
    assert _ids(client.get(LIST, {"kind": "quarterly"})) == set()
    assert _ids(client.get(LIST, {"issuer": city_draft.issuer_id})) == {city_draft.pk}
    assert _ids(client.get(LIST, {"published_after": "2000-01-01"})) == {published.pk}
    assert _ids(client.get(LIST, {"published_after": "2999-01-01"})) == set()
    bad = client.get(LIST, {"period": "2023-13"})
    assert bad.status_code == 400 and "period" in bad.json()


def test_publish_endpoint_and_twice_is_409(computed, users):
    city_draft = Circular.objects.get(issuer=computed.city, period="2023-03")
    url = f"{LIST}{city_draft.pk}/publish/"
    assert api(users.api_client).post(url).status_code == 403  # API clients write nothing
    assert api(users.officer).post(url).status_code == 404  # another government's draft
    first = api(users.city_officer).post(url)
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "published" and first.json()["number"].endswith("1号")
    second = api(users.city_officer).post(url)
    assert second.status_code == 409
    assert "不能重复发布" in second.json()["detail"]
    assert api(users.api_client).post(f"{LIST}{city_draft.pk}/publish/").status_code == 403


def test_officer_edits_a_draft_and_starts_a_correction(world, users):
    published, city_draft = world
    client = api(users.city_officer)
    response = client.patch(f"{LIST}{city_draft.pk}/", {"opening": "现通报如下："}, format="json")
    assert response.status_code == 200 and response.json()["opening"] == "现通报如下："
    correction = api(users.officer).post(f"{LIST}{published.pk}/revise/")
    assert correction.status_code == 201
    assert correction.json()["supersedes"] == published.pk and correction.json()["status"] == "draft"
    assert api(users.api_client).get(f"{LIST}{correction.json()['id']}/").status_code == 404


def test_etag_and_last_modified_give_304_until_something_changes(world, users, publish):
    published, city_draft = world
    client = api(users.api_client)
    first = client.get(LIST)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200

    detail = client.get(f"{LIST}{published.pk}/")
    assert client.get(f"{LIST}{published.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    assert (
        client.get(f"{LIST}{published.pk}/", HTTP_IF_MODIFIED_SINCE=detail["Last-Modified"]).status_code
        == 304
    )

    # Another government's draft changing is invisible to this client: still 304.
    client_city = api(users.city_officer)
    client_city.patch(f"{LIST}{city_draft.pk}/", {"opening": "现通报如下："}, format="json")
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304

    # A correction published: the list and the corrected circular's detail change.
    correction = Circular.objects.get(
        pk=api(users.officer).post(f"{LIST}{published.pk}/revise/").json()["id"]
    )
    publish(correction)
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200
    changed = client.get(f"{LIST}{published.pk}/", HTTP_IF_NONE_MATCH=detail["ETag"])
    assert changed.status_code == 200 and changed.json()["superseded_by"] == correction.pk


def test_list_runs_a_constant_number_of_queries(world, users, publish):
    """Drafts show their missed obligations read live: three queries for every draft of the page,
    whatever their periods and issuers."""
    client = api(users.superuser)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(LIST).json()["results"]) == 2
    for i in range(3):
        county = GovernmentFactory(name=f"新{i}县人民政府", parent=world[0].issuer.parent)
        AgencyFactory(name=f"新{i}县公安局", parent=county)
    rankings_compute(period=Period.parse("2023-03"))
    for circular in Circular.objects.filter(
        status="draft", issuer__name__in=["新0县人民政府", "新1县人民政府"]
    ):
        publish(circular, user=users.superuser)
    rankings_compute(period=Period.parse("2023-02"))  # drafts of another period
    with CaptureQueriesContext(connection) as many:
        results = client.get(LIST).json()["results"]
    assert len(results) == 2 + 3 + 5 and {c["status"] for c in results} == {"draft", "published"}
    assert len(many) == len(few) <= 8


def test_pdf_and_xlsx_downloads(world, users):
    published, city_draft = world
    client = api(users.api_client)
    pdf = client.get(f"{LIST}{published.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    xlsx = client.get(
        f"{LIST}{published.pk}/xlsx/",
        HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert client.get(f"{LIST}{city_draft.pk}/pdf/", HTTP_ACCEPT="application/pdf").status_code == 404


def test_a_draft_answers_304_only_while_what_it_shows_is_unchanged(computed, draft, users):
    """A draft shows the stored rankings and the live missed obligations: its validators follow
    what it shows, not its row."""
    client = api(users.officer)
    detail = f"{LIST}{draft.pk}/"
    first = client.get(detail)
    assert first.json()["missed"] and not first.json()["stale"] and "Last-Modified" not in first
    assert client.get(detail, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    listed = client.get(LIST)
    assert client.get(LIST, HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304

    # D2's principal did appear at h1: the missed list is empty at once, before any recomputation.
    appearance_create(hearing=computed.h1, agency=computed.d2, official=computed.d2_principal, spoke=True)
    changed = client.get(detail, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["missed"] == []
    assert client.get(LIST, HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 200

    # The recomputation changes the figures and the named members: a new answer again.
    rankings_compute(period=Period.parse("2023-03"))
    recomputed = client.get(detail, HTTP_IF_NONE_MATCH=changed["ETag"])
    assert recomputed.status_code == 200 and recomputed.json()["named"] == []
    assert client.get(detail, HTTP_IF_NONE_MATCH=recomputed["ETag"]).status_code == 304
