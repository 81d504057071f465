"""Every endpoint × role × in/out of scope, for list, detail, create, update and delete (API.md
"Who may see what"). Reads outside scope are 404; a role that may read but not write gets 403 on
writes; a new object whose parent, agency, court, case or hearing is outside the writer's scope is
a 400 naming that field."""

import pytest

from tests.api.conftest import ROLES, client_for
from tests.factories import UserFactory

S, ALL = "scope", "all"
DIRECTORY_READ = {"officer": S, "liaison": ALL, "agency": S, "api_client": S, "superuser": ALL}
COURT_RECORD_READ = {"officer": S, "liaison": S, "agency": S, "superuser": ALL}
READ = {
    "agencies": DIRECTORY_READ,
    "officials": DIRECTORY_READ,
    "positions": DIRECTORY_READ,
    "courts": {"officer": ALL, "liaison": ALL, "agency": ALL, "api_client": ALL, "superuser": ALL},
    "cases": COURT_RECORD_READ,
    "hearings": COURT_RECORD_READ,
    "appearances": COURT_RECORD_READ,
    "events": {"officer": S, "liaison": ALL, "agency": S, "superuser": ALL},
    "disputes": {"officer": S, "agency": S, "superuser": ALL},
}
OFFICER_WRITES = {"officer": S, "superuser": ALL}
LIAISON_WRITES = {"liaison": S, "superuser": ALL}
WRITE = {
    "agencies": OFFICER_WRITES,
    "officials": OFFICER_WRITES,
    "positions": OFFICER_WRITES,
    "courts": {"officer": ALL, "superuser": ALL},
    "cases": LIAISON_WRITES,
    "hearings": LIAISON_WRITES,
    "appearances": LIAISON_WRITES,
    "events": OFFICER_WRITES,
    "disputes": OFFICER_WRITES,
}
DELETABLE = ("cases", "hearings", "appearances")
RESOURCES = tuple(READ)
WHERE = ("inside", "outside")

# (field, new value) of a valid PATCH; both world objects of each resource differ from the new value.
PATCHES = {
    "agencies": ("name", "改名机关"),
    "officials": ("name", "改名人员"),
    "positions": ("title", "改任职务"),
    "courts": ("name", "改名法院"),
    "cases": ("cause", "改后案由"),
    "hearings": ("head_required", True),
    "appearances": ("spoke", False),
    "events": ("title", "改名培训"),
    "disputes": ("head_participated", True),
}


def create_payload(resource, world, where):
    """A valid new object in (inside) or out of (outside) the writer's scope, and the field a scoped
    writer's 400 names for the outside one."""
    inside = where == "inside"
    agency = world.a if inside else world.b
    objects = world.objects
    match resource:
        case "agencies":
            parent = world.county if inside else world.other
            return {"name": "新设机关", "kind": "department", "parent": parent.pk}, "parent"
        case "officials":
            return {"name": "新登记人员"}, None
        case "positions":
            return {
                "official": world.official_in.pk,
                "agency": agency.pk,
                "role": "deputy",
                "title": "副局长",
                "start_date": "2023-01-01",
            }, "agency"
        case "courts":
            return {"name": "丙县人民法院", "level": "basic", "code": "鲁1503"}, None
        case "cases":
            court = world.court_in if inside else world.court_out
            return {
                "number": f"(2023){court.code}行初900号",
                "court": court.pk,
                "filed_on": "2023-02-01",
                "plaintiff_name": "王某",
                "plaintiff_kind": "person",
                "cause": "行政处罚",
                "defendants": [{"agency": agency.pk, "outcome": None, "head_waived": False}],
            }, "court"
        case "hearings":
            case = getattr(objects["cases"], where)
            return {"case": case.pk, "date": "2023-04-01", "status": "scheduled"}, "case"
        case "appearances":
            hearing = getattr(objects["hearings"], where)
            return {
                "hearing": hearing.pk,
                "agency": agency.pk,
                "person_name": "钱律师",
                "capacity": "lawyer",
                "spoke": False,
            }, "hearing"
        case "events":
            return {
                "kind": "training",
                "date": "2023-03-01",
                "title": "新培训",
                "agencies": [agency.pk],
            }, "agencies"
        case "disputes":
            return {"agency": agency.pk, "received_on": "2023-03-01", "status": "open"}, "agency"


def expect_read(resource, role, where):
    if role == "anonymous":
        return 401
    scope = READ[resource].get(role)
    if scope is None:
        return 403
    return 404 if (where == "outside" and scope == S) else 200


def expect_write(resource, role, where, success):
    if role == "anonymous":
        return 401
    if READ[resource].get(role) is None or WRITE[resource].get(role) is None:
        return 403
    return 404 if (where == "outside" and READ[resource][role] == S) else success


def expect_create(resource, role, where):
    if role == "anonymous":
        return 401
    if READ[resource].get(role) is None or WRITE[resource].get(role) is None:
        return 403
    return 400 if (where == "outside" and WRITE[resource][role] == S) else 201


def url(resource, pk=None):
    return f"/api/v1/{resource}/" + (f"{pk}/" if pk is not None else "")


def model_of(world, resource):
    return type(world.objects[resource].inside)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_list(world, resource, role):
    response = client_for(world.users[role]).get(url(resource), {"page_size": 500})
    expected = expect_read(resource, role, "inside")
    assert response.status_code == expected, response.content
    if expected != 200:
        return
    ids = {row["id"] for row in response.json()["results"]}
    pair = world.objects[resource]
    assert pair.inside.pk in ids
    assert (pair.outside.pk in ids) == (READ[resource][role] == ALL)


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_detail(world, resource, role, where):
    obj = getattr(world.objects[resource], where)
    response = client_for(world.users[role]).get(url(resource, obj.pk))
    assert response.status_code == expect_read(resource, role, where), response.content
    if response.status_code == 200:
        assert response.json()["id"] == obj.pk


CREATE_CASES = [
    (resource, where)
    for resource in RESOURCES
    for where in WHERE
    if where == "inside" or resource not in ("officials", "courts")
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("resource", "where"), CREATE_CASES)
def test_create(world, resource, where, role):
    payload, scoped_field = create_payload(resource, world, where)
    model = model_of(world, resource)
    before = model.objects.count()
    client = client_for(world.users[role])
    response = client.post(url(resource), payload, format="json")
    expected = expect_create(resource, role, where)
    assert response.status_code == expected, response.content
    if expected == 201:
        created = response.json()
        assert model.objects.count() == before + 1
        assert client.get(url(resource, created["id"])).status_code == 200, "the writer sees what it wrote"
    else:
        assert model.objects.count() == before
    if expected == 400:
        assert scoped_field in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_update(world, resource, role, where):
    obj = getattr(world.objects[resource], where)
    field, value = PATCHES[resource]
    before = getattr(obj, field)
    response = client_for(world.users[role]).patch(url(resource, obj.pk), {field: value}, format="json")
    expected = expect_write(resource, role, where, 200)
    assert response.status_code == expected, response.content
    obj.refresh_from_db()
    if expected == 200:
        assert response.json()[field] == value
        assert getattr(obj, field) == value
    else:
        assert getattr(obj, field) == before


@pytest.mark.django_db
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", DELETABLE)
def test_delete(world, resource, role, where):
    obj = getattr(world.objects[resource], where)
    response = client_for(world.users[role]).delete(url(resource, obj.pk))
    expected = expect_write(resource, role, where, 204)
    assert response.status_code == expected, response.content
    assert type(obj).objects.filter(pk=obj.pk).exists() == (expected != 204)


@pytest.mark.django_db
@pytest.mark.parametrize("resource", [r for r in RESOURCES if r not in DELETABLE])
def test_resources_without_delete_answer_405(world, resource):
    obj = world.objects[resource].inside
    response = client_for(world.users["superuser"]).delete(url(resource, obj.pk))
    assert response.status_code == 405
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_officer_cannot_change_an_event_shared_with_agencies_outside_their_scope(world):
    event = world.objects["events"].inside
    event.agencies.add(world.b)
    client = client_for(world.users["officer"])
    assert client.get(url("events", event.pk)).status_code == 200, "visible: one agency is in scope"
    response = client.patch(url("events", event.pk), {"title": "改名"}, format="json")
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title == "甲县培训"


@pytest.mark.django_db
def test_officer_cannot_create_a_root_agency(world):
    response = client_for(world.users["officer"]).post(
        url("agencies"), {"name": "新市人民政府", "kind": "government", "parent": None}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()


@pytest.mark.django_db
def test_officer_may_put_their_government_back_with_its_parent_outside_scope(world):
    county = world.county
    response = client_for(world.users["officer"]).put(
        url("agencies", county.pk),
        {"name": "甲县人民政府（新）", "kind": "government", "parent": world.city.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent"] == world.city.pk
    county.refresh_from_db()
    assert county.name == "甲县人民政府（新）"


@pytest.mark.django_db
def test_officer_cannot_move_an_agency_out_of_scope(world):
    response = client_for(world.users["officer"]).patch(
        url("agencies", world.a.pk), {"parent": world.other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    world.a.refresh_from_db()
    assert world.a.parent_id == world.county.pk


@pytest.mark.django_db
def test_liaison_cannot_move_a_case_to_a_court_not_theirs(world):
    case = world.objects["cases"].inside
    response = client_for(world.users["liaison"]).patch(
        url("cases", case.pk), {"court": world.court_out.pk}, format="json"
    )
    assert response.status_code == 400
    assert "court" in response.json()
    case.refresh_from_db()
    assert case.court_id == world.court_in.pk


@pytest.mark.django_db
def test_user_without_a_role_is_forbidden(world):
    client = client_for(UserFactory(role="", agency=None))
    for resource in RESOURCES:
        assert client.get(url(resource)).status_code == 403, resource
