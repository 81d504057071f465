"""A published circular never changes, whatever the path: model, bulk queryset, raw SQL, services,
admin and API."""

import pytest
from django.db import DatabaseError, connection, transaction

from reports.circular_models import Circular, CircularImmutable
from reports.circulars import circular_discard, circular_update_texts

from .conftest import api


@pytest.fixture
def published(draft, publish):
    publish(draft)
    return Circular.objects.get(pk=draft.pk)


@pytest.fixture
def snapshot(published):
    return lambda: Circular.objects.values().get(pk=published.pk)


def test_model_refuses_save_and_delete(published, snapshot):
    before = snapshot()
    published.title = "改过的标题"
    with pytest.raises(CircularImmutable):
        published.save()
    with pytest.raises(CircularImmutable):
        published.delete()
    assert snapshot() == before


def test_bulk_queryset_writes_refuse(published, snapshot):
    before = snapshot()
    with pytest.raises(CircularImmutable):
        Circular.objects.filter(pk=published.pk).update(title="改过的标题")
    with pytest.raises(CircularImmutable):
        Circular.objects.filter(pk=published.pk).delete()
    assert snapshot() == before


def test_the_database_refuses_an_update_even_in_raw_sql(published, snapshot):
    before = snapshot()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reports_circular SET title = %s WHERE id = %s", ["改过的标题", published.pk])
    assert snapshot() == before


def test_services_refuse(published, snapshot, officer):
    before = snapshot()
    with pytest.raises(CircularImmutable):
        circular_update_texts(circular=published, user=officer, title="改过的标题")
    with pytest.raises(CircularImmutable):
        circular_discard(circular=published, user=officer)
    assert snapshot() == before


def test_admin_shows_it_read_only_and_cannot_delete_it(published, snapshot, users, client):
    before = snapshot()
    client.force_login(users.superuser)
    url = f"/admin/reports/circular/{published.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="title"' not in page.content  # no editable field
    assert published.title in page.content.decode()
    assert client.post(url, {"title": "改过的标题"}).status_code == 403
    assert client.post(f"/admin/reports/circular/{published.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(
        "/admin/reports/circular/",
        {"action": "delete_selected", "_selected_action": [published.pk], "post": "yes"},
    )
    assert snapshot() == before


def test_admin_edits_a_drafts_texts_through_the_service(computed, users, client):
    city_draft = Circular.objects.get(issuer=computed.city, period="2023-03")
    client.force_login(users.superuser)
    url = f"/admin/reports/circular/{city_draft.pk}/change/"
    data = {
        name: getattr(city_draft, name)
        for name in ("mark", "title", "addressee", "opening", "requirements", "signature")
    }
    data["title"] = "新标题"
    assert client.post(url, data).status_code == 302
    city_draft.refresh_from_db()
    assert city_draft.title == "新标题" and city_draft.edited_by == users.superuser


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_api_answers_409_and_changes_nothing(published, snapshot, officer, method):
    before = snapshot()
    response = getattr(api(officer), method)(
        f"/api/v1/circulars/{published.pk}/", {"title": "改过的标题"}, format="json"
    )
    assert response.status_code == 409
    assert "不可修改" in response.json()["detail"]
    assert snapshot() == before
