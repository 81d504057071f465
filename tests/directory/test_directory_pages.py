"""Officials and their posts, courts and users, as an officer manages them."""

import datetime

from django.test import Client
from django.urls import reverse

from agencies.choices import UserRole
from agencies.models import Court, Official, Position, User


def test_officer_creates_an_official_with_a_first_post(client, officer, worked_example):
    client.force_login(officer)
    response = client.post(
        reverse("agencies:official_create"),
        {
            "name": "钱副局长",
            "phone": "0635-7654321",
            "post-agency": worked_example.d2.pk,
            "post-role": "deputy",
            "post-title": "副局长",
            "post-start_date": "2023-02-01",
        },
    )
    official = Official.objects.get(name="钱副局长")
    assert response["Location"] == reverse("agencies:official_detail", args=[official.pk])
    post = Position.objects.get(official=official)
    assert (post.agency, post.role, post.start_date) == (
        worked_example.d2,
        "deputy",
        datetime.date(2023, 2, 1),
    )
    assert client.get(response["Location"]).status_code == 200


def test_a_refused_first_post_saves_no_official(client, officer, worked_example):
    """A second principal as the first post: the error shows by 角色 and no official is left behind."""
    client.force_login(officer)
    response = client.post(
        reverse("agencies:official_create"),
        {
            "name": "多余局长",
            "post-agency": worked_example.d1.pk,
            "post-role": "principal",
            "post-start_date": "2023-02-01",
        },
    )
    assert response.status_code == 200
    assert "同一机关同一天只能有一名主要负责人" in str(response.context["post_form"].errors["role"])
    assert not Official.objects.filter(name="多余局长").exists()


def test_official_list_search_and_current_posts(client, officer, worked_example):
    client.force_login(officer)
    response = client.get(reverse("agencies:official_list"), {"name": "局长"})
    names = [o.name for o in response.context["page"]]
    assert names == sorted(names) and set(names) == {"张局长", "李副局长", "王局长"}
    html = response.content.decode()
    assert "D1局 · 局长" in html


def test_official_detail_lists_all_posts_in_scope(client, officer, worked_example, other):
    from agencies.services import position_create

    # 张局长 also served in E county (outside C): the officer of C sees only the posts in C.
    position_create(
        official=worked_example.d1_principal,
        agency=other.dept,
        role="deputy",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    client.force_login(officer)
    posts = client.get(reverse("agencies:official_detail", args=[worked_example.d1_principal.pk])).context[
        "posts"
    ]
    assert [p.agency.name for p in posts] == ["D1局"]


def test_courts_list_create_edit(client, officer, liaison, worked_example):
    client.force_login(officer)
    response = client.post(
        reverse("agencies:court_create"), {"name": "C市中级人民法院", "level": "intermediate", "code": "鲁15"}
    )
    assert response.status_code == 302
    court = Court.objects.get(name="C市中级人民法院")
    client.post(
        reverse("agencies:court_edit", args=[court.pk]),
        {"name": "C市中级人民法院", "level": "intermediate", "code": "鲁15"},
    )
    html = client.get(reverse("agencies:court_list")).content.decode()
    assert "C市中级人民法院" in html and "中级人民法院" in html
    duplicate = client.post(reverse("agencies:court_create"), {"name": "C市中级人民法院", "level": "basic"})
    assert duplicate.status_code == 200 and duplicate.context["form"].errors["name"]
    client.force_login(liaison)
    assert "新增法院" not in client.get(reverse("agencies:court_list")).content.decode()


def test_superuser_creates_a_liaison_user_who_can_log_in(client, superuser, worked_example):
    client.force_login(superuser)
    response = client.post(
        reverse("agencies:user_create"),
        {
            "username": "new_liaison",
            "first_name": "陈联络",
            "new_password": "Kx9-qwerty-2024",
            "role": UserRole.LIAISON,
            "agency": worked_example.county.pk,
            "courts": [worked_example.court.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_liaison")
    assert list(user.courts.all()) == [worked_example.court]
    assert not user.is_staff and not user.is_superuser
    signed_in = Client().post(reverse("login"), {"username": "new_liaison", "password": "Kx9-qwerty-2024"})
    assert signed_in.status_code == 302 and signed_in.wsgi_request.user == user


def test_user_form_errors(client, officer, worked_example, other):
    client.force_login(officer)
    url = reverse("agencies:user_create")
    base = {
        "username": "x1",
        "new_password": "Kx9-qwerty-2024",
        "role": UserRole.LIAISON,
        "agency": worked_example.county.pk,
    }
    response = client.post(url, base)
    assert response.context["form"].errors["role"]  # liaison accounts are the superusers' to issue
    response = client.post(url, {**base, "role": UserRole.AGENCY, "new_password": "12345678"})
    assert response.context["form"].errors["new_password"]
    response = client.post(url, {**base, "role": UserRole.AGENCY, "agency": other.dept.pk})
    assert response.context["form"].errors["agency"]  # outside the officer's scope
    assert not User.objects.filter(username="x1").exists()


def test_officer_edits_and_deactivates_a_user_keeping_the_password(
    client, officer, agency_user, worked_example
):
    client.force_login(officer)
    response = client.post(
        reverse("agencies:user_edit", args=[agency_user.pk]),
        {
            "username": agency_user.username,
            "first_name": "改名",
            "role": UserRole.AGENCY,
            "agency": worked_example.d2.pk,
        },
    )
    assert response.status_code == 302
    agency_user.refresh_from_db()
    assert (agency_user.first_name, agency_user.agency, agency_user.is_active) == (
        "改名",
        worked_example.d2,
        False,
    )
    assert agency_user.check_password("pw-123456")


def test_user_list_is_the_officers_scope(client, officer, agency_user, other, superuser):
    client.force_login(officer)
    names = {u.username for u in client.get(reverse("agencies:user_list")).context["page"]}
    assert names == {"d1_user"}, "not themselves, not another government's users, not superusers"
    assert client.get(reverse("agencies:user_edit", args=[superuser.pk])).status_code == 404
