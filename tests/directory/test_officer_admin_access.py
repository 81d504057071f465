"""Officers configure the portal in the admin (domains, courts, schedules); other roles cannot."""

import pytest

from agencies.choices import AgencyKind, UserRole
from agencies.services import agency_create, court_create, user_create, user_update


@pytest.fixture
def city(db):
    return agency_create(name="市人民政府", kind=AgencyKind.GOVERNMENT)


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_officer_reaches_the_configuration_pages(client, city):
    officer = user_create(username="o1", password="Demo-pass-123", role=UserRole.OFFICER, agency=city)
    login(client, officer)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/cases/domain/").status_code == 200
    assert client.get("/admin/cases/domain/add/").status_code == 200
    assert client.get("/admin/django_celery_beat/periodictask/").status_code == 200
    # Facts are recorded through the portal's pages, not the admin.
    assert client.get("/admin/cases/case/").status_code == 403


@pytest.mark.django_db
def test_other_roles_have_no_admin(client, city):
    court = court_create(name="市中级人民法院", level="intermediate", code="鲁15")
    liaison = user_create(
        username="l1", password="Demo-pass-123", role=UserRole.LIAISON, agency=city, courts=[court]
    )
    login(client, liaison)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_user_who_stops_being_an_officer_loses_admin_access(client, city):
    officer = user_create(username="o2", password="Demo-pass-123", role=UserRole.OFFICER, agency=city)
    user_update(user=officer, role=UserRole.AGENCY)
    officer.refresh_from_db()
    assert not officer.is_staff
    assert not officer.groups.exists()
    login(client, officer)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_an_officer_cannot_reach_other_governments_webhooks_in_the_admin(client, city):
    officer = user_create(username="o3", password="Demo-pass-123", role=UserRole.OFFICER, agency=city)
    login(client, officer)
    assert client.get("/admin/reports/webhookendpoint/").status_code == 403
    assert client.get("/admin/reports/rankingtable/").status_code == 403


@pytest.mark.django_db
def test_an_officer_can_neither_create_liaison_accounts_nor_edit_their_own(client, city):
    court = court_create(name="某区人民法院", level="basic", code="鲁1599")
    officer = user_create(username="o4", password="Demo-pass-123", role=UserRole.OFFICER, agency=city)
    login(client, officer)
    response = client.post(
        "/users/new/",
        {
            "username": "sneaky",
            "new_password": "Demo-pass-123",
            "role": "liaison",
            "agency": city.pk,
            "courts": [court.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 200, "the form is shown again with the role refused"
    assert not type(officer).objects.filter(username="sneaky").exists()
    assert client.get(f"/users/{officer.pk}/edit/").status_code == 404
