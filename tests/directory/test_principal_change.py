"""更换主要负责人: the sitting principal's post ends the day before, the new one starts; all or nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.choices import PositionRole
from agencies.models import Position
from agencies.services import official_create, position_create, principal_change

D = datetime.date


def principals(agency):
    return list(
        Position.objects.filter(agency=agency, role=PositionRole.PRINCIPAL)
        .order_by("start_date")
        .values_list("official__name", "start_date", "end_date", "title")
    )


def test_old_post_ends_the_day_before_and_the_new_one_starts(worked_example):
    new = official_create(name="周局长")
    post = principal_change(agency=worked_example.d1, official=new, date=D(2024, 3, 1), title="")
    assert principals(worked_example.d1) == [
        ("张局长", D(2020, 1, 1), D(2024, 2, 29), "局长"),
        ("周局长", D(2024, 3, 1), None, "局长"),  # a blank title takes the predecessor's
    ]
    assert post.role == PositionRole.PRINCIPAL
    on_the_day = Position.objects.filter(agency=worked_example.d1, role=PositionRole.PRINCIPAL)
    assert [p.official.name for p in on_the_day.held_on(D(2024, 2, 29))] == ["张局长"]
    assert [p.official.name for p in on_the_day.held_on(D(2024, 3, 1))] == ["周局长"]


def test_deputy_promoted_keeps_a_given_title(worked_example):
    principal_change(
        agency=worked_example.d1,
        official=worked_example.d1_deputy,
        date=D(2024, 1, 1),
        title="局长（主持工作）",
    )
    assert principals(worked_example.d1)[-1] == ("李副局长", D(2024, 1, 1), None, "局长（主持工作）")


def test_agency_without_a_principal_just_gets_one(db):
    from agencies.services import agency_create

    agency = agency_create(name="新设局", kind="department")
    chief = official_create(name="吴局长")
    principal_change(agency=agency, official=chief, date=D(2024, 5, 6), title="局长")
    assert principals(agency) == [("吴局长", D(2024, 5, 6), None, "局长")]


def test_a_later_principal_is_refused_with_a_clear_message(worked_example):
    """A principal post already starting after the date would overlap the new open-ended one."""
    later = official_create(name="郑局长")
    principal_change(agency=worked_example.d1, official=later, date=D(2024, 6, 1), title="局长")
    before = principals(worked_example.d1)
    other = official_create(name="冯局长")
    with pytest.raises(ValidationError) as exc:
        principal_change(agency=worked_example.d1, official=other, date=D(2024, 3, 1), title="局长")
    message = " ".join(exc.value.message_dict["date"])
    assert "同一机关同一天只能有一名主要负责人" in message and "郑局长" in message and "2024-06-01" in message
    assert principals(worked_example.d1) == before


def test_the_sitting_principal_cannot_be_named_again(worked_example):
    with pytest.raises(ValidationError) as exc:
        principal_change(agency=worked_example.d1, official=worked_example.d1_principal, date=D(2024, 3, 1))
    assert "已是D1局主要负责人" in exc.value.message_dict["official"][0]


def test_the_date_must_follow_the_sitting_principals_first_day(worked_example):
    new = official_create(name="周局长")
    with pytest.raises(ValidationError) as exc:
        principal_change(agency=worked_example.d1, official=new, date=D(2020, 1, 1))
    assert "2020-01-01" in exc.value.message_dict["date"][0]
    assert len(principals(worked_example.d1)) == 1


def test_nothing_is_half_saved(worked_example):
    """The new post fails after the old one was ended in the same transaction: both are rolled back."""
    new = official_create(name="周局长")
    with pytest.raises(ValidationError) as exc:
        principal_change(agency=worked_example.d1, official=new, date=D(2024, 3, 1), title="长" * 101)
    assert "title" in exc.value.message_dict
    assert principals(worked_example.d1) == [("张局长", D(2020, 1, 1), None, "局长")]


def test_the_form_changes_the_principal(client, officer, worked_example):
    new = official_create(name="周局长")
    position_create(official=new, agency=worked_example.d1, role=PositionRole.STAFF, start_date=D(2021, 1, 1))
    client.force_login(officer)
    url = reverse("agencies:principal_change")
    page = client.get(url, {"agency": worked_example.d1.pk}).content.decode()
    assert "张局长" in page  # the sitting principal whose post will end
    response = client.post(
        url,
        {"agency": worked_example.d1.pk, "official": new.pk, "date": "2024-03-01", "title": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("agencies:detail", args=[worked_example.d1.pk])
    assert "周局长 自 2024-03-01 起任D1局主要负责人" in response.content.decode()
    assert principals(worked_example.d1)[0][2] == D(2024, 2, 29)


def test_the_form_shows_the_clash_next_to_the_date(client, officer, worked_example):
    later = official_create(name="郑局长")
    principal_change(agency=worked_example.d1, official=later, date=D(2024, 6, 1), title="局长")
    client.force_login(officer)
    response = client.post(
        reverse("agencies:principal_change"),
        {"agency": worked_example.d1.pk, "official": worked_example.d1_deputy.pk, "date": "2024-03-01"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    error_list = html.split('id="id_date_error"', 1)[1].split("</ul>", 1)[0]
    assert "同一机关同一天只能有一名主要负责人" in error_list and "郑局长" in error_list


def test_adding_a_second_principal_by_hand_is_refused_next_to_the_role(client, officer, worked_example):
    client.force_login(officer)
    response = client.post(
        reverse("agencies:position_create"),
        {
            "official": worked_example.d1_deputy.pk,
            "agency": worked_example.d1.pk,
            "role": PositionRole.PRINCIPAL,
            "title": "局长",
            "start_date": "2023-01-01",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    error_list = html.split('id="id_role_error"', 1)[1].split("</ul>", 1)[0]
    assert "同一机关同一天只能有一名主要负责人" in error_list and "张局长" in error_list
    assert len(principals(worked_example.d1)) == 1


def test_officer_ends_a_post(client, officer, worked_example):
    post = Position.objects.get(official=worked_example.d1_deputy)
    client.force_login(officer)
    response = client.post(reverse("agencies:position_end", args=[post.pk]), {"end_date": "2023-12-31"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end_date == D(2023, 12, 31)
    response = client.post(reverse("agencies:position_end", args=[post.pk]), {"end_date": "2019-12-31"})
    assert "离任日期不能早于任职日期" in response.content.decode()
