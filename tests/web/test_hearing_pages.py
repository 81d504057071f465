"""Hearing pages: the list, scheduling and editing, the detail, and the agencies' filings."""

import datetime

import pytest
from django.urls import reverse

from agencies.choices import UserRole
from cases.services import DefendantInput, case_create
from hearings.choices import AbsenceReason, HearingStatus
from hearings.models import AbsenceExplanation, HeadFiling, Hearing
from hearings.services import hearing_create, hearing_update
from litigation.dates import local_today
from tests.factories import UserFactory

from .conftest import sheet_post

pytestmark = pytest.mark.django_db


def hearing_form(**overrides):
    data = {"date": "", "time": "", "courtroom": "", "status": "scheduled", "notes": ""}
    data.update(overrides)
    return data


# --- list -----------------------------------------------------------------------------------


def test_list_puts_upcoming_hearings_first(client, liaison, worked_example, today_hearing, next_week_hearing):
    ex = worked_example
    client.force_login(liaison)
    response = client.get(reverse("hearings:list"))
    assert list(response.context["page"].object_list) == [
        today_hearing,
        next_week_hearing,
        ex.h3,
        ex.h4,
        ex.h2,
        ex.h1,
    ]
    page = response.content.decode()
    assert "今天" in page
    assert reverse("hearings:sheet", args=[today_hearing.pk]) in page


def test_list_filters(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    response = client.get(reverse("hearings:list"), {"status": "cancelled"})
    assert list(response.context["page"].object_list) == [ex.h4]
    response = client.get(reverse("hearings:list"), {"number": "(2023)鲁1502行初2号"})
    assert list(response.context["page"].object_list) == [ex.h3, ex.h2]
    response = client.get(reverse("hearings:list"), {"date_after": "2023-03-12", "date_before": "2023-03-20"})
    assert list(response.context["page"].object_list) == [ex.h4, ex.h2]


def test_list_is_scoped(client, other_liaison, d1_user, worked_example):
    ex = worked_example
    client.force_login(other_liaison)
    assert client.get(reverse("hearings:list")).context["page"].paginator.count == 0
    client.force_login(d1_user)
    response = client.get(reverse("hearings:list"))
    assert set(response.context["page"].object_list) == {ex.h1, ex.h2, ex.h3}
    assert reverse("hearings:sheet", args=[ex.h1.pk]) not in response.content.decode()


def test_list_runs_a_fixed_number_of_queries(client, liaison, worked_example, django_assert_max_num_queries):
    ex = worked_example
    client.force_login(liaison)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("hearings:list"))
    for n in range(20):
        case = case_create(
            number=f"（2023）鲁1502行初{200 + n}号",
            court=ex.court,
            filed_on=datetime.date(2023, 5, 1),
            plaintiff_name=f"原告{n}",
            plaintiff_kind="person",
            cause="行政处罚",
            defendants=[DefendantInput(agency=ex.d1), DefendantInput(agency=ex.d2)],
        )
        hearing_create(case=case, date=datetime.date(2023, 6, 1), status=HearingStatus.HELD)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("hearings:list"))
    assert response.context["page"].paginator.count == 24


# --- schedule and edit ----------------------------------------------------------------------


def test_liaison_schedules_a_hearing(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    day = local_today() + datetime.timedelta(days=10)
    response = client.post(
        reverse("hearings:create", args=[ex.k3.pk]),
        hearing_form(date=day.isoformat(), time="14:30", courtroom="第一法庭", head_required="on"),
    )
    hearing = Hearing.objects.get(case=ex.k3, date=day)
    assert response["Location"] == reverse("hearings:detail", args=[hearing.pk])
    assert (hearing.time, hearing.courtroom, hearing.head_required) == (
        datetime.time(14, 30),
        "第一法庭",
        True,
    )


def test_a_hearing_before_filing_is_refused_next_to_the_date(client, liaison, worked_example):
    client.force_login(liaison)
    response = client.post(
        reverse("hearings:create", args=[worked_example.k3.pk]), hearing_form(date="2022-12-01")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["date"] == ["开庭日期不能早于立案日期 2023-01-10。"]
    assert worked_example.k3.hearings.count() == 1


def test_stale_hearing_edit_overwrites_nothing(client, liaison, worked_example, next_week_hearing):
    client.force_login(liaison)
    form = hearing_form(
        date=next_week_hearing.date.isoformat(), courtroom="第二法庭", version=next_week_hearing.version
    )
    hearing_update(hearing=next_week_hearing, version=next_week_hearing.version, courtroom="第五法庭")
    response = client.post(reverse("hearings:edit", args=[next_week_hearing.pk]), form)
    assert response.status_code == 409
    assert "该记录已被他人修改" in response.content.decode()
    assert Hearing.objects.get(pk=next_week_hearing.pk).courtroom == "第五法庭"


def test_edit_saves_with_the_current_version(client, liaison, next_week_hearing):
    client.force_login(liaison)
    page = client.get(reverse("hearings:edit", args=[next_week_hearing.pk])).content.decode()
    assert f'value="{next_week_hearing.date.isoformat()}"' in page, "the date input shows the current date"
    assert 'value="09:30"' in page
    form = hearing_form(
        date=next_week_hearing.date.isoformat(), courtroom="第二法庭", version=next_week_hearing.version
    )
    assert client.post(reverse("hearings:edit", args=[next_week_hearing.pk]), form).status_code == 302
    assert Hearing.objects.get(pk=next_week_hearing.pk).courtroom == "第二法庭"


def test_schedule_and_edit_permissions(client, d1_user, other_liaison, worked_example, next_week_hearing):
    ex = worked_example
    form = hearing_form(
        date=next_week_hearing.date.isoformat(), courtroom="X", version=next_week_hearing.version
    )
    client.force_login(d1_user)
    assert client.get(reverse("hearings:create", args=[ex.k1.pk])).status_code == 403
    assert client.post(reverse("hearings:create", args=[ex.k1.pk]), form).status_code == 403
    assert client.post(reverse("hearings:edit", args=[next_week_hearing.pk]), form).status_code == 403
    client.force_login(other_liaison)
    assert client.get(reverse("hearings:create", args=[ex.k1.pk])).status_code == 404
    assert client.post(reverse("hearings:edit", args=[next_week_hearing.pk]), form).status_code == 404
    assert Hearing.objects.get(pk=next_week_hearing.pk).courtroom == "第三法庭"
    assert ex.k1.hearings.count() == 2


# --- detail ---------------------------------------------------------------------------------


def test_detail_shows_appearances_with_their_roles(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    page = client.get(reverse("hearings:detail", args=[ex.h1.pk])).content.decode()
    assert "张局长（主要负责人）" in page
    assert "赵科员（工作人员）" in page
    page = client.get(reverse("hearings:detail", args=[ex.h2.pk])).content.decode()
    assert "钱律师（律师）" in page
    assert "修改记录" not in page


def test_officer_sees_the_hearing_history(client, liaison, officer, worked_example, today_hearing):
    ex = worked_example
    client.force_login(liaison)
    client.post(
        reverse("hearings:sheet", args=[today_hearing.pk]),
        sheet_post(today_hearing, blocks={ex.d1: {"present": [ex.d1_principal], "spoke": [ex.d1_principal]}}),
    )
    client.force_login(officer)
    response = client.get(reverse("hearings:detail", args=[today_hearing.pk]))
    history = response.context["history"]
    appearance = next(e for e in history if e.source.label == "出庭记录")
    assert appearance.user == liaison and appearance.kind == "+"
    assert "张局长" in appearance.title
    status = next(e for e in history if e.source.label == "庭审" and e.kind == "~")
    assert [(c.field, c.old, c.new) for c in status.changes] == [("状态", "待开庭", "已开庭")]


def test_detail_404_outside_scope(client, other_liaison, d1_user, worked_example):
    client.force_login(other_liaison)
    assert client.get(reverse("hearings:detail", args=[worked_example.h1.pk])).status_code == 404
    client.force_login(d1_user)
    assert client.get(reverse("hearings:detail", args=[worked_example.h4.pk])).status_code == 404


# --- the agencies' filings ------------------------------------------------------------------


def filing_url(hearing, agency):
    return reverse("hearings:filing", args=[hearing.pk, agency.pk])


def test_agency_user_files_the_head_who_will_appear(client, d1_user, worked_example, next_week_hearing):
    ex = worked_example
    client.force_login(d1_user)
    detail = client.get(reverse("hearings:detail", args=[next_week_hearing.pk])).content.decode()
    assert filing_url(next_week_hearing, ex.d1) in detail
    assert filing_url(next_week_hearing, ex.d2) not in detail
    assert reverse("hearings:sheet", args=[next_week_hearing.pk]) not in detail
    page = client.get(filing_url(next_week_hearing, ex.d1)).content.decode()
    assert "张局长（局长·主要负责人）" in page and "李副局长（副局长·副职负责人）" in page
    response = client.post(
        filing_url(next_week_hearing, ex.d1), {"action": "filing", "official": ex.d1_deputy.pk}
    )
    assert response["Location"] == reverse("hearings:detail", args=[next_week_hearing.pk])
    assert HeadFiling.objects.get(hearing=next_week_hearing, agency=ex.d1).official == ex.d1_deputy


def test_only_a_head_of_the_agency_can_be_filed(client, d1_user, worked_example, next_week_hearing):
    ex = worked_example
    client.force_login(d1_user)
    response = client.post(
        filing_url(next_week_hearing, ex.d1), {"action": "filing", "official": ex.d2_principal.pk}
    )
    assert response.status_code == 400
    assert "official" in response.context["filing_form"].errors
    assert not HeadFiling.objects.exists()


def test_agency_user_explains_an_absence(client, d1_user, worked_example, next_week_hearing):
    ex = worked_example
    client.force_login(d1_user)
    response = client.post(
        filing_url(next_week_hearing, ex.d1),
        {
            "action": "absence",
            "reason": AbsenceReason.ACCIDENT,
            "explanation_filed": "on",
            "detail": "交通事故",
        },
    )
    assert response.status_code == 302
    absence = AbsenceExplanation.objects.get(hearing=next_week_hearing, agency=ex.d1)
    assert (absence.reason, absence.explanation_filed, absence.detail) == (
        AbsenceReason.ACCIDENT,
        True,
        "交通事故",
    )
    response = client.post(filing_url(next_week_hearing, ex.d1), {"action": "absence", "reason": ""})
    assert response.status_code == 400
    assert response.context["absence_form"].errors["reason"]


def test_filing_a_head_after_the_hearing_is_refused(client, d1_user, worked_example):
    ex = worked_example
    client.force_login(d1_user)
    response = client.post(filing_url(ex.h1, ex.d1), {"action": "filing", "official": ex.d1_principal.pk})
    assert response.status_code == 400
    assert "不能再备案出庭负责人" in response.content.decode()
    assert not HeadFiling.objects.exists()


def test_filing_permissions(client, d1_user, liaison, worked_example, next_week_hearing):
    ex = worked_example
    client.force_login(d1_user)
    # D2 is a co-defendant outside D1's scope; D1 is no defendant of k3's hearing (404, not visible).
    assert client.get(filing_url(next_week_hearing, ex.d2)).status_code == 403
    assert (
        client.post(
            filing_url(next_week_hearing, ex.d2), {"action": "filing", "official": ex.d2_principal.pk}
        ).status_code
        == 403
    )
    assert client.get(filing_url(ex.h4, ex.d2)).status_code == 404
    county_user = UserFactory(role=UserRole.AGENCY, agency=ex.county)
    client.force_login(county_user)
    assert client.get(filing_url(next_week_hearing, ex.d2)).status_code == 200, "D2 is in the county's scope"
    client.force_login(liaison)
    assert client.get(filing_url(next_week_hearing, ex.d1)).status_code == 403
    assert not HeadFiling.objects.exists()
