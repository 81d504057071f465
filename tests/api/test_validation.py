"""Bad input answers 400 naming the field (API.md), and nothing is half-saved."""

import datetime

import pytest
from django.db import IntegrityError
from rest_framework.test import APIClient

from agencies.models import Position
from cases import services as case_services
from cases.models import Case, Defendant
from hearings.models import Appearance, Hearing
from litigation.dates import local_today
from tests.api.conftest import client_for
from tests.factories import OfficialFactory, UserFactory


def new_case(world, **overrides):
    payload = {
        "number": "（2023）鲁1501行初77号",
        "court": world.court_in.pk,
        "filed_on": "2023-02-01",
        "plaintiff_name": "王某",
        "plaintiff_kind": "person",
        "cause": "行政处罚",
        "defendants": [{"agency": world.a.pk, "outcome": None, "head_waived": False}],
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def liaison(world):
    return client_for(world.users["liaison"])


@pytest.fixture
def officer(world):
    return client_for(world.users["officer"])


def assert_rejected(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body, body
    assert all(isinstance(m, str) and m for m in body[field]), body


@pytest.mark.django_db
def test_appearance_of_an_official_without_a_post_in_that_agency_on_the_day(world, liaison):
    hearing = world.objects["hearings"].inside
    response = liaison.post(
        "/api/v1/appearances/",
        {"hearing": hearing.pk, "agency": world.a.pk, "official": world.official_out.pk, "spoke": True},
        format="json",
    )
    assert_rejected(response, "official")
    assert world.official_out.name in response.json()["official"][0]
    assert not Appearance.objects.filter(official=world.official_out, agency=world.a).exists()


@pytest.mark.django_db
def test_appearance_after_the_officials_post_ended(world, liaison):
    hearing = world.objects["hearings"].inside
    Position.objects.filter(official=world.official_in, agency=world.a).update(
        end_date=hearing.date - datetime.timedelta(days=1)
    )
    Appearance.objects.filter(hearing=hearing).delete()
    response = liaison.post(
        "/api/v1/appearances/",
        {"hearing": hearing.pk, "agency": world.a.pk, "official": world.official_in.pk},
        format="json",
    )
    assert_rejected(response, "official")


@pytest.mark.django_db
def test_appearance_for_an_agency_that_is_not_a_defendant(world, liaison):
    hearing = world.objects["hearings"].inside
    response = liaison.post(
        "/api/v1/appearances/",
        {"hearing": hearing.pk, "agency": world.b.pk, "person_name": "钱律师", "capacity": "lawyer"},
        format="json",
    )
    assert_rejected(response, "agency")
    assert world.b.name in response.json()["agency"][0]
    assert not Appearance.objects.filter(hearing=hearing, agency=world.b).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"official": "OFFICIAL", "person_name": "钱律师"}, "person_name"),
        ({}, "official"),
        ({"person_name": "钱律师", "capacity": "judge"}, "capacity"),
    ],
)
def test_appearance_names_exactly_one_person(world, liaison, payload, field):
    hearing = world.objects["hearings"].inside
    if payload.get("official") == "OFFICIAL":
        payload["official"] = world.official_in.pk
    before = Appearance.objects.count()
    response = liaison.post(
        "/api/v1/appearances/", {"hearing": hearing.pk, "agency": world.a.pk, **payload}, format="json"
    )
    assert_rejected(response, field)
    assert Appearance.objects.count() == before


@pytest.mark.django_db
def test_appearance_role_is_the_post_on_the_hearing_date_or_external(world, liaison):
    hearing = world.objects["hearings"].inside
    response = liaison.post(
        "/api/v1/appearances/",
        {"hearing": hearing.pk, "agency": world.a.pk, "person_name": " 钱律师 ", "capacity": "lawyer"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json() | {"id": None} == {
        "id": None,
        "hearing": hearing.pk,
        "agency": world.a.pk,
        "official": None,
        "person_name": "钱律师",
        "capacity": "lawyer",
        "spoke": False,
        "role": "external",
    }
    principal = world.objects["appearances"].inside
    assert liaison.get(f"/api/v1/appearances/{principal.pk}/").json()["role"] == "principal"


@pytest.mark.django_db
def test_a_future_hearing_cannot_be_held(world, liaison):
    case = world.objects["cases"].inside
    future = (local_today() + datetime.timedelta(days=7)).isoformat()
    before = Hearing.objects.count()
    response = liaison.post(
        "/api/v1/hearings/", {"case": case.pk, "date": future, "status": "held"}, format="json"
    )
    assert_rejected(response, "status")
    assert Hearing.objects.count() == before
    hearing = world.objects["hearings"].inside
    response = liaison.patch(f"/api/v1/hearings/{hearing.pk}/", {"date": future}, format="json")
    assert_rejected(response, "status")
    hearing.refresh_from_db()
    assert (hearing.date, hearing.version) == (datetime.date(2023, 3, 10), 1)


@pytest.mark.django_db
def test_a_hearing_stays_with_its_case(world, liaison):
    hearing = world.objects["hearings"].inside
    other_case = Case.objects.create(
        number="（2023）鲁1501行初2号",
        year=2023,
        court_code="鲁1501",
        case_type="行初",
        sequence=2,
        stage="first",
        court=world.court_in,
        filed_on=datetime.date(2023, 1, 5),
        plaintiff_name="甲",
        plaintiff_kind="person",
        cause="乙",
    )
    response = liaison.patch(f"/api/v1/hearings/{hearing.pk}/", {"case": other_case.pk}, format="json")
    assert_rejected(response, "case")
    hearing.refresh_from_db()
    assert hearing.case_id == world.objects["cases"].inside.pk


@pytest.mark.django_db
def test_a_case_cannot_conclude_before_it_was_filed(world, liaison):
    response = liaison.post(
        "/api/v1/cases/", new_case(world, filed_on="2023-05-01", concluded_on="2023-04-30"), format="json"
    )
    assert_rejected(response, "concluded_on")
    assert not Case.objects.filter(number="（2023）鲁1501行初77号").exists()


@pytest.mark.django_db
def test_two_principals_of_one_agency_on_the_same_day(world, officer):
    newcomer = OfficialFactory(name="赵新任")
    before = Position.objects.count()
    response = officer.post(
        "/api/v1/positions/",
        {"official": newcomer.pk, "agency": world.a.pk, "role": "principal", "start_date": "2023-06-01"},
        format="json",
    )
    assert_rejected(response, "role")
    assert world.official_in.name in response.json()["role"][0]
    assert Position.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number",
    [
        "2023鲁1501行初77号",  # no parentheses
        "（2023）鲁1501行初077号",  # leading zero
        "（2023）鲁1501行政77号",  # unknown type
        "（2023）鲁1501行初77",  # no 号
        "（23）鲁1501行初77号",  # two-digit year
        "",
    ],
)
def test_malformed_case_number(world, liaison, number):
    before = Case.objects.count()
    response = liaison.post("/api/v1/cases/", new_case(world, number=number), format="json")
    assert_rejected(response, "number")
    assert Case.objects.count() == before


@pytest.mark.django_db
def test_case_number_is_normalised_and_gives_the_stage(world, liaison):
    response = liaison.post(
        "/api/v1/cases/", new_case(world, number="(2023)鲁1501行终77号", stage="first"), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["stage"]) == ("（2023）鲁1501行终77号", "second")
    duplicate = liaison.post(
        "/api/v1/cases/", new_case(world, number="（2023）鲁1501行终77号"), format="json"
    )
    assert_rejected(duplicate, "number")
    assert Case.objects.filter(number__contains="行终77号").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "second",
    [
        {"agency": "A"},  # the same agency twice
        {"agency": "B", "outcome": "revoked"},  # an outcome on an open case
        {"agency": "B", "outcome": "won"},  # not an outcome
        {"agency": 999999},  # no such agency
        {"outcome": None},  # no agency
    ],
)
def test_a_case_is_saved_whole_or_not_at_all(world, liaison, second):
    second = {k: {"A": world.a.pk, "B": world.b.pk}.get(v, v) for k, v in second.items()}
    cases, defendants = Case.objects.count(), Defendant.objects.count()
    payload = new_case(world, defendants=[{"agency": world.a.pk}, second])
    response = liaison.post("/api/v1/cases/", payload, format="json")
    assert response.status_code == 400
    assert "defendants" in response.json()
    assert (Case.objects.count(), Defendant.objects.count()) == (cases, defendants)


@pytest.mark.django_db
def test_changing_defendants_is_all_or_nothing(world, liaison):
    case = world.objects["cases"].inside
    response = liaison.patch(
        f"/api/v1/cases/{case.pk}/",
        {"cause": "改后案由", "defendants": [{"agency": world.b.pk}, {"agency": world.b.pk}]},
        format="json",
    )
    assert response.status_code == 400
    assert "defendants" in response.json()
    case.refresh_from_db()
    assert (case.cause, case.version) == ("行政处罚", 1)
    assert list(case.defendants.values_list("agency_id", flat=True)) == [world.a.pk]
    response = liaison.patch(
        f"/api/v1/cases/{case.pk}/",
        {"defendants": [{"agency": world.a.pk}, {"agency": world.b.pk, "capacity": "reconsideration"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert [(d["agency"], d["capacity"]) for d in response.json()["defendants"]] == [
        (world.a.pk, "acted"),
        (world.b.pk, "reconsideration"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("hearings", {"case": "CASE", "date": "2023-04-01", "status": "finished"}, "status"),
        ("hearings", {"case": "CASE", "date": "not a date"}, "date"),
        ("cases", {"plaintiff_kind": "alien"}, "plaintiff_kind"),
        ("events", {"kind": "party", "date": "2023-01-01", "title": "x", "agencies": []}, "kind"),
    ],
)
def test_unknown_choices_and_bad_dates(world, liaison, officer, path, payload, field):
    client = officer if path == "events" else liaison
    if payload.get("case") == "CASE":
        payload["case"] = world.objects["cases"].inside.pk
    if path == "cases":
        payload = new_case(world, **payload)
    assert_rejected(client.post(f"/api/v1/{path}/", payload, format="json"), field)


@pytest.mark.django_db
def test_malformed_json_is_a_400_not_a_500(world, liaison):
    response = liaison.post("/api/v1/cases/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


@pytest.mark.django_db
def test_officer_event_needs_an_agency(world, officer):
    response = officer.post(
        "/api/v1/events/", {"kind": "training", "date": "2023-03-01", "title": "无人参加"}, format="json"
    )
    assert_rejected(response, "agencies")


@pytest.mark.django_db
def test_appearance_can_switch_from_an_official_to_a_named_person(world, liaison):
    appearance = world.objects["appearances"].inside
    response = liaison.patch(
        f"/api/v1/appearances/{appearance.pk}/", {"person_name": "孙科员"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["official"], body["person_name"], body["capacity"], body["role"]) == (
        None,
        "孙科员",
        "staff",
        "external",
    )


@pytest.mark.django_db
def test_a_write_that_loses_a_race_to_a_constraint_is_a_409(world, liaison, monkeypatch):
    def collide(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(case_services, "case_create", collide)
    response = liaison.post("/api/v1/cases/", new_case(world), format="json")
    assert response.status_code == 409
    assert "detail" in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["case=99999999999999999999999", "case=abc", "court=0"])
def test_an_impossible_id_in_a_filter_is_a_400_not_a_500(query):
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True, role=""))
    response = client.get(f"/api/v1/hearings/?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {query.split("=")[0]}
