"""The lists run a fixed number of queries, however many rows they show."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.choices import AgencyKind, PositionRole
from agencies.services import agency_create, official_create, position_create, position_update
from cases.services import case_update
from hearings.services import hearing_update
from tests.directory.conftest import acting_as


def grow(worked_example, n: int) -> None:
    """n more departments under C, each with a principal and a staff member, and n edits of each kind."""
    for i in range(n):
        dept = agency_create(name=f"C县第{i}局", kind=AgencyKind.DEPARTMENT, parent=worked_example.county)
        unit = agency_create(name=f"C县第{i}局直属队", kind=AgencyKind.OTHER, parent=dept)
        chief = official_create(name=f"局长{i}")
        position_create(
            official=chief, agency=dept, role=PositionRole.PRINCIPAL, start_date=datetime.date(2021, 1, 1)
        )
        staff = position_create(
            official=official_create(name=f"科员{i}"),
            agency=unit,
            role=PositionRole.STAFF,
            start_date=datetime.date(2021, 1, 1),
        )
        position_update(position=staff, title=f"科员{i}")
        case = worked_example.k1
        case_update(case=case, version=case.version, cause=f"行政处罚{i}")
        hearing = worked_example.h1
        hearing_update(hearing=hearing, version=hearing.version, courtroom=f"第{i}法庭")


def count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_lists_do_not_grow_with_the_data(client, officer, worked_example, django_assert_max_num_queries):
    client.force_login(officer)
    pages = [
        (reverse("agencies:list"), None, 5),
        (reverse("agencies:list"), {"name": "局"}, 6),
        (reverse("agencies:official_list"), None, 6),
    ]
    with acting_as(officer):
        grow(worked_example, 2)
    small = [count(client, url, params) for url, params, _limit in pages]
    with acting_as(officer):
        grow(worked_example, 30)
    large = [count(client, url, params) for url, params, _limit in pages]
    assert large == small
    for url, params, limit in pages:
        with django_assert_max_num_queries(limit):
            client.get(url, params or {})


def test_recent_changes_runs_a_bounded_number_of_queries(
    client, officer, worked_example, django_assert_max_num_queries
):
    """Two queries per kind of record on the page and one per model it names, whatever the rows."""
    client.force_login(officer)
    url = reverse("agencies:recent_changes")
    with acting_as(officer):
        grow(worked_example, 2)
    page = client.get(url).context["entries"]
    assert {e.source.key for e in page} == {
        "agencies.position",
        "cases.case",
        "cases.defendant",
        "hearings.hearing",
        "hearings.appearance",
    }
    mixed = count(client, url)
    with acting_as(officer):
        grow(worked_example, 30)
    for params in [{}, {"page": 2}, {"page": 3}, {"kind": "agencies.position"}, {"kind": "hearings.hearing"}]:
        with django_assert_max_num_queries(mixed):
            assert client.get(url, params).status_code == 200
    assert mixed <= 18


def test_the_lists_show_what_they_counted(client, officer, worked_example):
    with acting_as(officer):
        grow(worked_example, 30)
    client.force_login(officer)
    tree = client.get(reverse("agencies:list"))
    assert len(tree.context["rows"]) == 3 + 60
    officials = client.get(reverse("agencies:official_list")).context["page"]
    assert officials.paginator.count == 4 + 60 and len(officials.object_list) == 50
    changes = client.get(reverse("agencies:recent_changes")).context["page"]
    assert len(changes.object_list) == 50 and changes.has_next()
