"""Optimistic locking over HTTP: `version` in the body or If-Match with the ETag; a stale one is a 409
and changes nothing (API.md)."""

import pytest

from tests.api.conftest import client_for

VERSIONED = {
    # resource: (field, new value) of a valid change
    "cases": ("cause", "改后案由"),
    "hearings": ("courtroom", "第三法庭"),
}
# Another user's change to another field, saved first.
OTHER_CHANGE = {"cases": {"plaintiff_name": "先改的人"}, "hearings": {"notes": "先改的备注"}}


@pytest.fixture
def liaison(world):
    return client_for(world.users["liaison"])


def detail(resource, obj):
    return f"/api/v1/{resource}/{obj.pk}/"


@pytest.mark.django_db
@pytest.mark.parametrize("resource", VERSIONED)
def test_etag_and_version_advance_together(world, liaison, resource):
    obj = world.objects[resource].inside
    field, value = VERSIONED[resource]
    read = liaison.get(detail(resource, obj))
    assert (read["ETag"], read.json()["version"]) == ('"1"', 1)
    response = liaison.patch(detail(resource, obj), {field: value, "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert (response["ETag"], response.json()["version"], response.json()[field]) == ('"2"', 2, value)


@pytest.mark.django_db
@pytest.mark.parametrize("resource", VERSIONED)
def test_stale_version_in_the_body_is_a_409_and_changes_nothing(world, liaison, resource):
    obj = world.objects[resource].inside
    field, value = VERSIONED[resource]
    first = liaison.patch(detail(resource, obj), {**OTHER_CHANGE[resource], "version": 1}, format="json")
    assert first.status_code == 200
    before = getattr(obj, field)
    response = liaison.patch(detail(resource, obj), {field: value, "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["version"] == 2
    obj.refresh_from_db()
    assert (getattr(obj, field), obj.version) == (before, 2)


@pytest.mark.django_db
@pytest.mark.parametrize("resource", VERSIONED)
def test_if_match_with_a_stale_etag_is_a_409(world, liaison, resource):
    obj = world.objects[resource].inside
    field, value = VERSIONED[resource]
    etag = liaison.get(detail(resource, obj))["ETag"]
    type(obj).objects.filter(pk=obj.pk).update(version=5)  # someone else saved meanwhile
    response = liaison.patch(detail(resource, obj), {field: value}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    obj.refresh_from_db()
    assert getattr(obj, field) != value and obj.version == 5
    fresh = liaison.get(detail(resource, obj))["ETag"]
    response = liaison.patch(detail(resource, obj), {field: value}, format="json", HTTP_IF_MATCH=fresh)
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"6"'


@pytest.mark.django_db
def test_stale_version_wins_over_invalid_input_and_nothing_is_saved(world, liaison):
    case = world.objects["cases"].inside
    case.__class__.objects.filter(pk=case.pk).update(version=3)
    response = liaison.patch(
        detail("cases", case), {"version": 2, "cause": "改", "concluded_on": "2000-01-01"}, format="json"
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert (case.cause, case.concluded_on, case.version) == ("行政处罚", None, 3)


@pytest.mark.django_db
def test_body_version_and_if_match_that_disagree_are_stale(world, liaison):
    case = world.objects["cases"].inside
    response = liaison.patch(
        detail("cases", case), {"version": 1, "cause": "改"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.cause == "行政处罚"


@pytest.mark.django_db
def test_put_without_a_version_is_last_write_wins(world, liaison):
    hearing = world.objects["hearings"].inside
    hearing.__class__.objects.filter(pk=hearing.pk).update(version=4)
    response = liaison.put(
        detail("hearings", hearing),
        {"case": hearing.case_id, "date": "2023-03-10", "status": "held", "head_required": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["version"], response.json()["head_required"]) == (5, True)


@pytest.mark.django_db
def test_delete_with_a_stale_if_match_is_a_409(world, liaison):
    hearing = world.objects["hearings"].inside
    response = liaison.delete(detail("hearings", hearing), HTTP_IF_MATCH='"0"')
    assert response.status_code == 409
    assert hearing.__class__.objects.filter(pk=hearing.pk).exists()
    assert liaison.delete(detail("hearings", hearing), HTTP_IF_MATCH='"1"').status_code == 204


@pytest.mark.django_db
def test_objects_without_a_version_carry_no_etag(world, liaison):
    response = liaison.get(f"/api/v1/agencies/{world.a.pk}/")
    assert response.status_code == 200
    assert "ETag" not in response
