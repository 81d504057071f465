"""List conventions (pagination, filters named after the fields, inclusive date ranges) and the
obligations a hearing shows, on METRICS.md's worked example."""

import datetime

import pytest

from agencies.models import Court
from hearings.choices import HearingStatus
from tests.api.conftest import client_for
from tests.factories import HearingFactory, UserFactory


@pytest.mark.django_db
def test_pagination_defaults_to_50_and_caps_at_500(world):
    Court.objects.bulk_create(Court(name=f"法院{i}", level="basic") for i in range(520))
    client = client_for(world.users["officer"])
    page = client.get("/api/v1/courts/").json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert (page["count"], len(page["results"]), page["previous"]) == (522, 50, None)
    assert "page=2" in page["next"]
    assert len(client.get("/api/v1/courts/", {"page_size": 10_000}).json()["results"]) == 500
    last = client.get("/api/v1/courts/", {"page_size": 100, "page": 6}).json()
    assert (len(last["results"]), last["next"]) == (22, None)


@pytest.mark.django_db
def test_hearing_filters_and_inclusive_date_range(world):
    case = world.objects["cases"].inside
    for day, status in [(9, HearingStatus.HELD), (11, HearingStatus.HELD), (10, HearingStatus.CANCELLED)]:
        HearingFactory(case=case, date=datetime.date(2023, 3, day), status=status)
    client = client_for(world.users["liaison"])

    def dates(**params):
        rows = client.get("/api/v1/hearings/", params).json()["results"]
        return sorted((row["date"], row["status"]) for row in rows)

    assert dates(status="held", date_after="2023-03-10", date_before="2023-03-11") == [
        ("2023-03-10", "held"),
        ("2023-03-11", "held"),
    ]
    assert dates(date_before="2023-03-09") == [("2023-03-09", "held")]
    assert dates(court=world.court_out.pk) == [], "filters never widen the caller's scope"
    assert client.get("/api/v1/hearings/", {"status": "finished"}).status_code == 400
    assert client.get("/api/v1/hearings/", {"date_after": "not-a-date"}).status_code == 400


@pytest.mark.django_db
def test_case_filters(world):
    client = client_for(world.users["superuser"])

    def numbers(**params):
        return [row["number"] for row in client.get("/api/v1/cases/", params).json()["results"]]

    assert numbers(number="(2023)鲁1502") == ["（2023）鲁1502行初1号"], "ASCII parentheses match"
    assert numbers(agency=world.a.pk) == ["（2023）鲁1501行初1号"]
    assert numbers(court=world.court_out.pk, filed_on_after="2023-01-05", filed_on_before="2023-01-05") == [
        "（2023）鲁1502行初1号"
    ]
    assert numbers(filed_on_after="2023-01-06") == []


@pytest.mark.django_db
def test_directory_filters(world):
    client = client_for(world.users["superuser"])
    agencies = client.get("/api/v1/agencies/", {"within": world.county.pk}).json()["results"]
    assert {row["id"] for row in agencies} == {world.county.pk, world.a.pk}
    held = client.get("/api/v1/positions/", {"held_on": "2019-12-31"}).json()["results"]
    assert held == []
    assert client.get("/api/v1/positions/", {"agency": world.a.pk, "role": "principal"}).json()["count"] == 1


@pytest.mark.django_db
def test_hearing_shows_the_worked_example_obligations(worked_example):
    ex = worked_example
    client = client_for(UserFactory(role="", is_superuser=True))

    def obligations(hearing):
        rows = client.get(f"/api/v1/hearings/{hearing.pk}/").json()["obligations"]
        return {row.pop("agency"): row for row in rows}

    k1 = obligations(ex.h1)
    assert k1[ex.d1.pk] == {
        "obligation_date": "2023-03-10",
        "head_attended": True,
        "principal_attended": True,
        "spoke": True,
        "waived": False,
    }
    assert (k1[ex.d2.pk]["head_attended"], k1[ex.d2.pk]["principal_attended"]) == (False, False)
    k2 = obligations(ex.h2)[ex.d1.pk]
    assert (k2["obligation_date"], k2["head_attended"], k2["principal_attended"], k2["spoke"]) == (
        "2023-03-15",
        True,
        False,
        False,
    )
    assert obligations(ex.h4)[ex.d2.pk]["obligation_date"] is None, "a cancelled hearing makes no obligation"

    # The court requires D1's head at h2 (art. 7): (k2, D1) is no longer head-attended.
    response = client.patch(f"/api/v1/hearings/{ex.h2.pk}/", {"head_required": True}, format="json")
    assert response.status_code == 200
    assert response.json()["obligations"][0]["head_attended"] is False


@pytest.mark.django_db
def test_appearance_roles_on_the_worked_example(worked_example):
    ex = worked_example
    client = client_for(UserFactory(role="", is_superuser=True))
    rows = client.get(
        "/api/v1/appearances/", {"date_after": "2023-03-01", "date_before": "2023-03-31"}
    ).json()
    roles = {(row["hearing"], row["agency"]): row["role"] for row in rows["results"]}
    assert roles == {
        (ex.h1.pk, ex.d1.pk): "principal",
        (ex.h1.pk, ex.d2.pk): "staff",
        (ex.h2.pk, ex.d1.pk): "external",
        (ex.h3.pk, ex.d1.pk): "deputy",
    }
