"""Every directory page × anonymous, officer in and out of scope, liaison, agency user."""

import pytest
from django.urls import reverse

from agencies.models import Position

READ = "read"
WRITE = "write"
AUDIT = "audit"
USERS = "users"

# (url name, the object it takes, kind)
PAGES = [
    ("agencies:list", None, READ),
    ("agencies:detail", "agency", READ),
    ("agencies:official_list", None, READ),
    ("agencies:official_detail", "official", READ),
    ("agencies:court_list", None, READ),
    ("agencies:create", None, WRITE),
    ("agencies:edit", "agency", WRITE),
    ("agencies:official_create", None, WRITE),
    ("agencies:official_edit", "official", WRITE),
    ("agencies:position_create", None, WRITE),
    ("agencies:position_edit", "position", WRITE),
    ("agencies:position_end", "position", WRITE),
    ("agencies:principal_change", None, WRITE),
    ("agencies:court_create", None, WRITE),
    ("agencies:court_edit", "court", WRITE),
    ("agencies:user_list", None, USERS),
    ("agencies:user_create", None, USERS),
    ("agencies:user_edit", "user", USERS),
    ("agencies:history", "agency", AUDIT),
    ("agencies:official_history", "official", AUDIT),
    ("agencies:position_history", "position", AUDIT),
    ("agencies:recent_changes", None, AUDIT),
]
IDS = [name.split(":")[1] for name, _obj, _kind in PAGES]


@pytest.fixture
def objects(worked_example, other, agency_user):
    inside = {
        "agency": worked_example.d1,
        "official": worked_example.d1_principal,
        "position": Position.objects.get(official=worked_example.d1_principal),
        "court": worked_example.court,
        "user": agency_user,
    }
    outside = {
        "agency": other.dept,
        "official": other.chief,
        "position": other.post,
        "court": worked_example.court,  # courts are not scoped
        "user": other.user,
    }
    return inside, outside


def url_for(name, obj_key, objects):
    return reverse(name, args=[objects[obj_key].pk]) if obj_key else reverse(name)


@pytest.mark.parametrize(("name", "obj", "kind"), PAGES, ids=IDS)
def test_anonymous_is_sent_to_login(client, objects, name, obj, kind):
    url = url_for(name, obj, objects[0])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("name", "obj", "kind"), PAGES, ids=IDS)
def test_officer_in_scope_sees_every_page(client, officer, objects, name, obj, kind):
    client.force_login(officer)
    assert client.get(url_for(name, obj, objects[0])).status_code == 200


SCOPED = [p for p in PAGES if p[1] and p[1] != "court"]  # courts are not scoped


@pytest.mark.parametrize(("name", "obj", "kind"), SCOPED, ids=[name.split(":")[1] for name, _o, _k in SCOPED])
def test_officer_out_of_scope_gets_404(client, officer, objects, name, obj, kind):
    client.force_login(officer)
    assert client.get(url_for(name, obj, objects[1])).status_code == 404


@pytest.mark.parametrize("who", ["liaison", "agency_user"])
@pytest.mark.parametrize(("name", "obj", "kind"), PAGES, ids=IDS)
def test_liaison_and_agency_user_read_only(client, request, objects, who, name, obj, kind):
    client.force_login(request.getfixturevalue(who))
    url = url_for(name, obj, objects[0])
    if kind == READ:
        assert client.get(url).status_code == 200
    else:
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "改名"}).status_code == 403


def test_writes_refused_change_nothing(client, liaison, worked_example):
    client.force_login(liaison)
    response = client.post(
        reverse("agencies:edit", args=[worked_example.d1.pk]), {"name": "改名", "kind": "department"}
    )
    assert response.status_code == 403
    worked_example.d1.refresh_from_db()
    assert worked_example.d1.name == "D1局"


def test_agency_user_reads_only_their_scope(client, agency_user, worked_example, other):
    client.force_login(agency_user)
    assert client.get(reverse("agencies:detail", args=[worked_example.d1.pk])).status_code == 200
    assert client.get(reverse("agencies:detail", args=[worked_example.county.pk])).status_code == 404
    assert client.get(reverse("agencies:detail", args=[other.dept.pk])).status_code == 404
    assert client.get(reverse("agencies:official_detail", args=[other.chief.pk])).status_code == 404
    tree = client.get(reverse("agencies:list")).content.decode()
    assert "D1局" in tree and "D2局" not in tree and "E县公安局" not in tree


def test_officer_tree_is_their_government_and_below(client, officer, other):
    client.force_login(officer)
    html = client.get(reverse("agencies:list")).content.decode()
    assert "C县人民政府" in html and "D1局" in html and "D2局" in html
    assert "E县" not in html and "市人民政府" not in html


def test_officer_cannot_place_an_agency_outside_scope(client, officer, worked_example, other):
    client.force_login(officer)
    response = client.post(
        reverse("agencies:edit", args=[worked_example.d1.pk]),
        {"name": "D1局", "kind": "department", "parent": other.county.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    worked_example.d1.refresh_from_db()
    assert worked_example.d1.parent_id == worked_example.county.pk


def test_audit_pages_refuse_an_api_client(client, worked_example):
    from tests.factories import UserFactory

    api = UserFactory(role="api_client", agency=worked_example.county)
    client.force_login(api)
    assert client.get(reverse("agencies:recent_changes")).status_code == 403
    assert client.get(reverse("agencies:history", args=[worked_example.d1.pk])).status_code == 403
