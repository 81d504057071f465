"""The admin serves configuration and enforces the same rules as the pages."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import Agency, Position
from cases.models import Case, Domain
from hearings.models import Hearing


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "agencies.agency",
        "agencies.official",
        "agencies.position",
        "agencies.court",
        "agencies.user",
        "cases.domain",
        "cases.case",
        "cases.defendant",
        "cases.dispute",
        "hearings.hearing",
        "hearings.appearance",
        "hearings.absenceexplanation",
        "hearings.headfiling",
        "hearings.event",
    ],
)
def test_every_model_has_a_working_changelist(admin_client, worked_example, model):
    app, name = model.split(".")
    assert admin_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200


def test_admin_refuses_a_second_principal(admin_client, worked_example):
    response = admin_client.post(
        reverse("admin:agencies_position_add"),
        {
            "official": worked_example.d1_deputy.pk,
            "agency": worked_example.d1.pk,
            "role": "principal",
            "title": "局长",
            "start_date": "2023-01-01",
        },
    )
    assert response.status_code == 200
    assert "同一机关同一天只能有一名主要负责人" in response.content.decode()
    assert Position.objects.filter(agency=worked_example.d1, role="principal").count() == 1


def test_admin_saves_a_post_with_history_user(admin_client, superuser, worked_example):
    post = Position.objects.get(official=worked_example.d1_deputy)
    response = admin_client.post(
        reverse("admin:agencies_position_change", args=[post.pk]),
        {
            "official": worked_example.d1_deputy.pk,
            "agency": worked_example.d1.pk,
            "role": "deputy",
            "title": "副局长",
            "start_date": "2020-01-01",
            "end_date": "2023-06-30",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end_date == datetime.date(2023, 6, 30)
    assert post.history.first().history_user == superuser


def test_admin_move_keeps_paths(admin_client, worked_example):
    child = Agency.objects.create(name="D1局下属", kind="other", parent=worked_example.d1)
    response = admin_client.post(
        reverse("admin:agencies_agency_change", args=[worked_example.d1.pk]),
        {
            "name": "D1局",
            "kind": "department",
            "parent": worked_example.d2.pk,
            "positions-TOTAL_FORMS": "0",
            "positions-INITIAL_FORMS": "0",
            "positions-MIN_NUM_FORMS": "0",
            "positions-MAX_NUM_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert child.path.startswith(worked_example.d2.path)


def test_cases_and_hearings_are_read_only_in_admin(admin_client, worked_example):
    case = worked_example.k1
    change = admin_client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert (
        admin_client.post(reverse("admin:cases_case_change", args=[case.pk]), {"cause": "x"}).status_code
        == 403
    )
    assert admin_client.get(reverse("admin:cases_case_add")).status_code == 403
    hearing = worked_example.h1
    assert (
        admin_client.post(reverse("admin:hearings_hearing_change", args=[hearing.pk]), {}).status_code == 403
    )
    assert (
        admin_client.post(
            reverse("admin:hearings_hearing_delete", args=[hearing.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Hearing.objects.filter(pk=hearing.pk).exists()


def test_no_revert_through_history_of_a_read_only_case(admin_client, worked_example):
    from cases.services import case_update

    case = worked_example.k1
    first = case.history.earliest()
    case_update(case=case, version=case.version, cause="行政许可")
    url = reverse("admin:cases_case_simple_history", args=[case.pk, first.history_id])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"cause": "行政处罚"}).status_code == 403
    case.refresh_from_db()
    assert case.cause == "行政许可" and case.version == 2
    assert Case.objects.count() == 3


def test_an_officer_with_admin_access_maintains_domains(client, worked_example):
    from tests.factories import UserFactory

    officer = UserFactory(role="officer", agency=worked_example.county, is_staff=True)
    client.force_login(officer)
    response = client.post(
        reverse("admin:cases_domain_add"), {"name": "自然资源", "order": "2", "is_active": "on"}
    )
    assert response.status_code == 302
    assert Domain.objects.filter(name="自然资源").exists()
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 403
