"""The agency tree page, creating and moving agencies."""

import datetime

from django.urls import reverse

from agencies.choices import AgencyKind
from agencies.models import Agency
from agencies.services import agency_create


def test_moving_an_agency_keeps_its_descendants_paths(client, officer, worked_example):
    """D1 (with a section and a sub-section under it) moves under D2: every path follows."""
    section = agency_create(name="D1局法制科", kind=AgencyKind.OTHER, parent=worked_example.d1)
    subsection = agency_create(name="D1局法制科一组", kind=AgencyKind.OTHER, parent=section)
    client.force_login(officer)
    response = client.post(
        reverse("agencies:edit", args=[worked_example.d1.pk]),
        {"name": "D1局", "kind": "department", "parent": worked_example.d2.pk},
    )
    assert response.status_code == 302
    d2 = worked_example.d2
    for agency in (worked_example.d1, section, subsection):
        agency.refresh_from_db()
    assert worked_example.d1.path == f"{d2.path}{worked_example.d1.pk}/"
    assert section.path == f"{worked_example.d1.path}{section.pk}/"
    assert subsection.path == f"{section.path}{subsection.pk}/"
    assert subsection.depth == d2.depth + 3
    assert set(Agency.objects.in_scope_of(d2).values_list("name", flat=True)) == {
        "D2局",
        "D1局",
        "D1局法制科",
        "D1局法制科一组",
    }


def test_an_agency_cannot_move_under_its_own_descendant(client, officer, worked_example):
    section = agency_create(name="D1局法制科", kind=AgencyKind.OTHER, parent=worked_example.d1)
    client.force_login(officer)
    response = client.post(
        reverse("agencies:edit", args=[worked_example.d1.pk]),
        {"name": "D1局", "kind": "department", "parent": section.pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    worked_example.d1.refresh_from_db()
    assert worked_example.d1.parent_id == worked_example.county.pk


def test_officer_creates_an_agency_under_their_government(client, officer, worked_example):
    client.force_login(officer)
    response = client.post(
        reverse("agencies:create"),
        {
            "name": "C县司法局",
            "kind": "department",
            "parent": worked_example.county.pk,
            "active_from": "2019-01-01",
            "circular_prefix": "C司通",
            "email": "sfj@example.cn",
        },
    )
    agency = Agency.objects.get(name="C县司法局")
    assert response["Location"] == reverse("agencies:detail", args=[agency.pk])
    assert agency.is_in_scope_of(worked_example.county)
    assert agency.circular_prefix == "C司通" and agency.active_from == datetime.date(2019, 1, 1)


def test_officer_must_choose_a_parent(client, officer):
    client.force_login(officer)
    response = client.post(reverse("agencies:create"), {"name": "无上级局", "kind": "department"})
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert not Agency.objects.filter(name="无上级局").exists()


def test_officer_edits_their_government_but_not_its_parent(client, officer, worked_example):
    client.force_login(officer)
    url = reverse("agencies:edit", args=[worked_example.county.pk])
    assert client.get(url).context["form"].fields["parent"].disabled
    client.post(url, {"name": "C县人民政府", "kind": "government", "circular_prefix": "C政通"})
    worked_example.county.refresh_from_db()
    assert worked_example.county.circular_prefix == "C政通"
    assert worked_example.county.parent_id == worked_example.city.pk


def test_dates_are_checked(client, officer, worked_example):
    client.force_login(officer)
    response = client.post(
        reverse("agencies:edit", args=[worked_example.d1.pk]),
        {
            "name": "D1局",
            "kind": "department",
            "parent": worked_example.county.pk,
            "active_from": "2020-01-01",
            "active_until": "2019-01-01",
        },
    )
    assert "撤销日期不能早于设立日期" in response.content.decode()


def test_tree_is_indented_and_shows_principal(client, officer, worked_example):
    client.force_login(officer)
    html = client.get(reverse("agencies:list")).content.decode()
    county_at, d1_at, d2_at = html.index("C县人民政府"), html.index("D1局"), html.index("D2局")
    assert county_at < d1_at < d2_at
    assert 'style="--level: 1"' in html
    assert "张局长" in html and "王局长" in html


def test_search_by_name_shows_the_path(client, officer, worked_example):
    client.force_login(officer)
    html = client.get(reverse("agencies:list"), {"name": "D2"}).content.decode()
    assert "D2局" in html and "D1局" not in html
    assert "C县人民政府 › " in html


def test_detail_lists_heads_staff_past_posts_and_children(client, officer, worked_example):
    from agencies.models import Position
    from agencies.services import position_end

    post = Position.objects.get(official=worked_example.d2_staff)
    position_end(position=post, end_date=datetime.date(2022, 12, 31))
    client.force_login(officer)
    response = client.get(reverse("agencies:detail", args=[worked_example.d2.pk]))
    assert [p.official.name for p in response.context["heads"]] == ["王局长"]
    assert response.context["staff"] == []
    assert [p.official.name for p in response.context["past"]] == ["赵科员"]
    county = client.get(reverse("agencies:detail", args=[worked_example.county.pk]))
    assert [c.name for c in county.context["children"]] == ["D1局", "D2局"]
