"""The officers' pages: list, preview, covering texts, publication (409 the second time),
correction, downloads; what agency users and other roles see."""

import pytest

from reports.circular_models import Circular, CircularStatus, WebhookEndpoint
from reports.services import rankings_compute
from tests.factories import AgencyFactory, GovernmentFactory

from .conftest import MARCH


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_officer_lists_drafts_and_published(computed, draft, publish, users, as_user):
    publish(draft)
    page = as_user(users.city_officer).get("/circulars/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "市人民政府关于2023年3月份行政机关负责人出庭应诉情况的通报" in html  # their draft
    assert draft.title in html and "C政通〔" in html  # the county's published one
    filtered = as_user(users.city_officer).get("/circulars/", {"status": "draft"}).content.decode()
    assert "市人民政府关于2023年3月份" in filtered and draft.title not in filtered


def test_agency_users_see_published_only(computed, draft, users, as_user, publish):
    client = as_user(users.d1_user)
    assert draft.title not in client.get("/circulars/").content.decode()
    assert client.get(f"/circulars/{draft.pk}/").status_code == 404
    publish(draft)
    assert client.get(f"/circulars/{draft.pk}/").status_code == 200
    assert client.get(f"/circulars/{draft.pk}/edit/").status_code == 403
    assert as_user(users.liaison).get("/circulars/").status_code == 403


def test_preview_shows_the_document(draft, officer, as_user):
    html = as_user(officer).get(f"/circulars/{draft.pk}/").content.decode()
    assert "C县人民政府文件" in html and "县政府各部门：" in html
    assert "C县人民政府关于2023年3月份" in html and "行政机关负责人出庭应诉情况的通报" in html
    assert "D2局出庭应诉率未达到100%，予以通报批评" in html
    assert "编辑文字" in html and "发布…" in html
    standalone = as_user(officer).get(f"/circulars/{draft.pk}/document/").content.decode()
    assert standalone.startswith("<!DOCTYPE html>") and "@page" in standalone


def test_edit_covering_texts_then_publish_then_409(draft, officer, as_user):
    client = as_user(officer)
    data = {
        "mark": "C县司法局文件",
        "title": draft.title,
        "addressee": "县政府各部门：",
        "opening": "现将有关情况通报如下：",
        "requirements": "（一）立即整改。",
        "signature": "C县司法局",
    }
    assert client.post(f"/circulars/{draft.pk}/edit/", data).status_code == 302
    draft.refresh_from_db()
    assert (draft.mark, draft.signature, draft.opening) == (
        "C县司法局文件",
        "C县司法局",
        "现将有关情况通报如下：",
    )

    confirm = client.get(f"/circulars/{draft.pk}/publish/")
    assert "确认发布" in confirm.content.decode() and "C政通〔" in confirm.content.decode()
    done = client.post(f"/circulars/{draft.pk}/publish/", follow=True)
    draft.refresh_from_db()
    assert draft.status == CircularStatus.PUBLISHED and draft.published_by == officer
    assert f"已发布：{draft.number}" in done.content.decode()

    again = client.post(f"/circulars/{draft.pk}/publish/")
    assert again.status_code == 409 and "不能重复发布" in again.content.decode()
    edit = client.post(f"/circulars/{draft.pk}/edit/", data | {"title": "改"})
    assert edit.status_code == 409 and "不可修改" in edit.content.decode()
    assert Circular.objects.get(pk=draft.pk).title == draft.title


def test_start_a_correction(draft, publish, officer, as_user):
    published = publish(draft)
    response = as_user(officer).post(f"/circulars/{published.pk}/revise/")
    correction = Circular.objects.get(supersedes=published)
    assert response.status_code == 302 and response["Location"] == f"/circulars/{correction.pk}/edit/"
    html = as_user(officer).get(f"/circulars/{correction.pk}/").content.decode()
    assert f"本通报更正{published.number}" in html and "第2版" in html


def test_downloads(draft, officer, as_user):
    client = as_user(officer)
    pdf = client.get(f"/circulars/{draft.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    xlsx = client.get(f"/circulars/{draft.pk}/xlsx/")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_list_page_queries_do_not_grow(computed, users, as_user, publish, django_assert_max_num_queries):
    client = as_user(users.superuser)
    client.get("/circulars/")  # warm the session
    with django_assert_max_num_queries(9):
        client.get("/circulars/")
    for i in range(4):
        AgencyFactory(
            name=f"新{i}县公安局", parent=GovernmentFactory(name=f"新{i}县人民政府", parent=computed.city)
        )
    rankings_compute(period=MARCH)
    for circular in Circular.objects.exclude(issuer=computed.city)[:3]:
        publish(circular, user=users.superuser)
    with django_assert_max_num_queries(9):
        assert client.get("/circulars/").content.decode().count("/pdf/") == 6


def test_officer_registers_a_webhook_and_reads_the_log(computed, officer, as_user):
    client = as_user(officer)
    response = client.post(
        "/circulars/webhooks/", {"url": "https://perf.example.gov.cn/hook", "description": "考核平台"}
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert (
        endpoint.issuer == computed.county and endpoint.created_by == officer and len(endpoint.secret) == 64
    )
    html = client.get("/circulars/webhooks/").content.decode()
    assert "https://perf.example.gov.cn/hook" in html and endpoint.secret in html
