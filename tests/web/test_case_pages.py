"""Case pages: list and search, create and edit (whole or not at all), detail and its history."""

import datetime

import pytest
from django.urls import reverse

from agencies.choices import UserRole
from agencies.services import court_create
from cases.models import Case
from cases.services import DefendantInput, case_create, case_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def case_form(ex, **overrides):
    """What a browser posts from the case form for a new first-instance case against D1 and D2."""
    data = {
        "number": "(2024)鲁1502行初7号",
        "court": ex.court.pk,
        "filed_on": "2024-02-01",
        "plaintiff_name": "某某公司",
        "plaintiff_kind": "enterprise",
        "cause": "行政许可",
        "challenged_act": "不予许可决定",
        "previous_number": "",
        "concluded_on": "",
        "defendants-TOTAL_FORMS": "2",
        "defendants-INITIAL_FORMS": "0",
        "defendants-MIN_NUM_FORMS": "0",
        "defendants-MAX_NUM_FORMS": "50",
        "defendants-0-agency": ex.d1.pk,
        "defendants-0-capacity": "acted",
        "defendants-0-outcome": "",
        "defendants-1-agency": ex.d2.pk,
        "defendants-1-capacity": "reconsideration",
        "defendants-1-outcome": "",
    }
    data.update(overrides)
    return data


def edit_form(case, **overrides):
    data = {
        "number": case.number,
        "court": case.court_id,
        "filed_on": case.filed_on.isoformat(),
        "plaintiff_name": case.plaintiff_name,
        "plaintiff_kind": case.plaintiff_kind,
        "cause": case.cause,
        "challenged_act": case.challenged_act,
        "previous_number": "",
        "concluded_on": "",
        "version": case.version,
        "defendants-TOTAL_FORMS": str(case.defendants.count()),
        "defendants-INITIAL_FORMS": str(case.defendants.count()),
        "defendants-MIN_NUM_FORMS": "0",
        "defendants-MAX_NUM_FORMS": "50",
    }
    for i, d in enumerate(case.defendants.order_by("id")):
        data[f"defendants-{i}-agency"] = d.agency_id
        data[f"defendants-{i}-capacity"] = d.capacity
        data[f"defendants-{i}-outcome"] = d.outcome or ""
    data.update(overrides)
    return data


# --- list -----------------------------------------------------------------------------------


def test_list_shows_the_cases_at_the_liaisons_courts(client, liaison, other_liaison, worked_example):
    client.force_login(liaison)
    page = client.get(reverse("cases:list")).content.decode()
    for case in (worked_example.k1, worked_example.k2, worked_example.k3):
        assert case.number in page
    client.force_login(other_liaison)
    response = client.get(reverse("cases:list"))
    assert response.context["page"].paginator.count == 0
    assert "没有符合条件的案件。" in response.content.decode()


def test_search_by_full_number_with_ascii_parentheses_opens_the_case(client, liaison, worked_example):
    client.force_login(liaison)
    # The search form sends its empty filters too.
    response = client.get(reverse("cases:list"), {"number": "(2023)鲁1502行初2号", "court": "", "agency": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[worked_example.k2.pk])
    # With another filter set, the list answers (here: nothing, k2 has no defendant D2).
    response = client.get(
        reverse("cases:list"), {"number": "(2023)鲁1502行初2号", "agency": worked_example.d2.pk}
    )
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0


def test_search_by_part_of_the_number_and_filters(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    response = client.get(reverse("cases:list"), {"number": "(2023)鲁1502行初3"})
    assert list(response.context["page"].object_list) == [ex.k3]
    response = client.get(reverse("cases:list"), {"agency": ex.d2.pk})
    assert set(response.context["page"].object_list) == {ex.k1, ex.k3}
    response = client.get(reverse("cases:list"), {"agency": ex.d2.pk, "number": "行初1"})
    assert list(response.context["page"].object_list) == [ex.k1]


def test_agency_user_sees_only_cases_against_their_scope(client, d1_user, worked_example):
    client.force_login(d1_user)
    response = client.get(reverse("cases:list"))
    assert set(response.context["page"].object_list) == {worked_example.k1, worked_example.k2}
    assert "登记案件" not in response.content.decode()


def test_list_runs_a_fixed_number_of_queries(client, liaison, worked_example, django_assert_max_num_queries):
    ex = worked_example
    client.force_login(liaison)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("cases:list"))
    for n in range(30):
        case_create(
            number=f"（2023）鲁1502行初{100 + n}号",
            court=ex.court,
            filed_on=datetime.date(2023, 5, 1),
            plaintiff_name=f"原告{n}",
            plaintiff_kind="person",
            cause="行政处罚",
            defendants=[DefendantInput(agency=ex.d1), DefendantInput(agency=ex.d2)],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("cases:list"))
    assert response.context["page"].paginator.count == 33


# --- create and edit ------------------------------------------------------------------------


def test_liaison_creates_a_case_with_two_defendants(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    response = client.post(reverse("cases:create"), case_form(ex), follow=True)
    case = Case.objects.get(number="（2024）鲁1502行初7号")
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert "案件 （2024）鲁1502行初7号 已登记。" in response.content.decode()
    assert [(d.agency, d.capacity) for d in case.defendants.order_by("id")] == [
        (ex.d1, "acted"),
        (ex.d2, "reconsideration"),
    ]
    assert case.stage == "first"


def test_a_malformed_number_is_shown_next_to_the_field_and_nothing_is_saved(client, liaison, worked_example):
    client.force_login(liaison)
    response = client.post(
        reverse("cases:create"), case_form(worked_example, number="（2024）鲁1502行初07号")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["number"]
    assert any("案号格式不正确" in e for e in errors)
    assert response.context["form"]["plaintiff_name"].value() == "某某公司"
    assert not Case.objects.filter(plaintiff_name="某某公司").exists()


def test_a_case_is_saved_whole_or_not_at_all(client, liaison, worked_example):
    """A duplicate defendant is refused by the service: neither the case nor its first defendant is kept."""
    ex = worked_example
    client.force_login(liaison)
    response = client.post(reverse("cases:create"), case_form(ex, **{"defendants-1-agency": ex.d1.pk}))
    assert response.status_code == 400
    assert "第2个被告“D1局”重复。" in response.context["defendant_errors"]
    assert "第2个被告“D1局”重复。" in response.content.decode()
    assert not Case.objects.filter(plaintiff_name="某某公司").exists()


def test_a_case_needs_a_defendant(client, liaison, worked_example):
    client.force_login(liaison)
    data = case_form(worked_example, **{"defendants-TOTAL_FORMS": "1", "defendants-0-agency": ""})
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 400
    assert "至少须有一个被告机关。" in response.content.decode()


def test_court_code_that_does_not_match_the_court_is_refused(client, liaison, worked_example):
    client.force_login(liaison)
    response = client.post(reverse("cases:create"), case_form(worked_example, number="（2024）鲁1599行初7号"))
    assert response.status_code == 400
    assert any("法院代字“鲁1599”" in e for e in response.context["form"].errors["number"])


def test_a_liaison_cannot_file_a_case_at_a_court_they_do_not_serve(
    client, liaison, other_liaison, worked_example
):
    client.force_login(liaison)
    court = other_liaison.courts.get()
    response = client.post(
        reverse("cases:create"), case_form(worked_example, court=court.pk, number="（2024）鲁1503行初7号")
    )
    assert response.status_code == 400
    assert "court" in response.context["form"].errors
    assert not Case.objects.filter(number="（2024）鲁1503行初7号").exists()


def test_second_instance_links_its_first_instance_by_number(client, worked_example):
    ex = worked_example
    court = court_create(name="市中级人民法院", level="intermediate", code="鲁15")
    liaison = UserFactory(role=UserRole.LIAISON, courts=[court])
    client.force_login(liaison)
    data = case_form(
        ex,
        number="（2024）鲁15行终3号",
        court=court.pk,
        previous_number="(2023)鲁1502行初1号",
        **{"defendants-TOTAL_FORMS": "1"},
    )
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 302
    appeal = Case.objects.get(number="（2024）鲁15行终3号")
    assert (appeal.stage, appeal.previous_case) == ("second", ex.k1)
    # The previous instance is at a court this liaison does not serve: named, not linked.
    page = client.get(reverse("cases:detail", args=[appeal.pk])).content.decode()
    assert "（2023）鲁1502行初1号" in page
    assert reverse("cases:detail", args=[ex.k1.pk]) not in page


def test_unknown_previous_number_is_refused_next_to_the_field(client, liaison, worked_example):
    client.force_login(liaison)
    data = case_form(worked_example, number="（2024）鲁1502行再1号", previous_number="（2020）鲁1502行初9号")
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 400
    assert any(
        "未找到案号为 （2020）鲁1502行初9号 的案件" in e
        for e in response.context["form"].errors["previous_number"]
    )


def test_edit_changes_the_case_and_its_defendants(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    page = client.get(reverse("cases:edit", args=[ex.k1.pk])).content.decode()
    assert 'value="2023-01-10"' in page and 'value="（2023）鲁1502行初1号"' in page
    data = edit_form(
        ex.k1,
        concluded_on="2023-06-30",
        **{"defendants-0-outcome": "revoked", "defendants-1-DELETE": "on"},
    )
    response = client.post(reverse("cases:edit", args=[ex.k1.pk]), data)
    assert response.status_code == 302
    case = Case.objects.get(pk=ex.k1.pk)
    assert case.concluded_on == datetime.date(2023, 6, 30)
    assert [(d.agency, d.outcome) for d in case.defendants.all()] == [(ex.d1, "revoked")]
    assert case.version == ex.k1.version + 1


def test_an_outcome_without_a_conclusion_date_is_refused(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    response = client.post(
        reverse("cases:edit", args=[ex.k2.pk]), edit_form(ex.k2, **{"defendants-0-outcome": "revoked"})
    )
    assert response.status_code == 400
    assert "第1个被告已填写裁判结果，须同时填写结案日期。" in response.content.decode()
    assert Case.objects.get(pk=ex.k2.pk).defendants.get().outcome is None


def test_stale_edit_overwrites_nothing_and_says_who_changed_it(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    form = edit_form(ex.k2, cause="我的修改")
    case_update(case=Case.objects.get(pk=ex.k2.pk), version=ex.k2.version, cause="他人的修改")
    response = client.post(reverse("cases:edit", args=[ex.k2.pk]), form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "该记录已被他人修改" in page
    assert "放弃我的修改，载入最新内容" in page
    assert response.context["form"]["cause"].value() == "我的修改"
    assert Case.objects.get(pk=ex.k2.pk).cause == "他人的修改"


def test_agency_user_and_officer_cannot_write_cases(client, d1_user, officer, worked_example):
    ex = worked_example
    for user in (d1_user, officer):
        client.force_login(user)
        detail = client.get(reverse("cases:detail", args=[ex.k1.pk])).content.decode()
        assert reverse("cases:edit", args=[ex.k1.pk]) not in detail
        assert client.get(reverse("cases:create")).status_code == 403
        assert client.post(reverse("cases:create"), case_form(ex)).status_code == 403
        assert client.get(reverse("cases:edit", args=[ex.k1.pk])).status_code == 403
        assert (
            client.post(reverse("cases:edit", args=[ex.k1.pk]), edit_form(ex.k1, cause="x")).status_code
            == 403
        )
    assert not Case.objects.filter(plaintiff_name="某某公司").exists()
    assert Case.objects.get(pk=ex.k1.pk).cause == "行政处罚"


def test_liaison_at_another_court_gets_404(client, other_liaison, worked_example):
    ex = worked_example
    client.force_login(other_liaison)
    assert client.get(reverse("cases:detail", args=[ex.k1.pk])).status_code == 404
    assert client.get(reverse("cases:edit", args=[ex.k1.pk])).status_code == 404
    assert client.post(reverse("cases:edit", args=[ex.k1.pk]), edit_form(ex.k1, cause="x")).status_code == 404


# --- detail ---------------------------------------------------------------------------------


def test_detail_shows_defendants_obligations_and_hearings(client, liaison, worked_example):
    ex = worked_example
    client.force_login(liaison)
    response = client.get(reverse("cases:detail", args=[ex.k1.pk]))
    page = response.content.decode()
    defendants = response.context["defendants"]
    assert [(d.agency, d.head_attended, d.principal_attended, d.spoke) for d in defendants] == [
        (ex.d1, True, True, True),
        (ex.d2, False, False, False),
    ]
    assert "✓ 负责人已出庭" in page and "✗ 负责人未出庭" in page
    assert "张局长（主要负责人）" in page and "赵科员（工作人员）" in page
    assert reverse("hearings:sheet", args=[ex.h1.pk]) in page
    assert reverse("cases:edit", args=[ex.k1.pk]) in page
    assert "修改记录" not in page, "the change history is for officers"


def test_agency_user_gets_404_for_a_case_against_another_agency(client, d1_user, worked_example):
    client.force_login(d1_user)
    assert client.get(reverse("cases:detail", args=[worked_example.k3.pk])).status_code == 404


def test_officer_sees_who_changed_what(client, liaison, officer, worked_example):
    ex = worked_example
    client.force_login(liaison)
    client.post(reverse("cases:edit", args=[ex.k2.pk]), edit_form(ex.k2, cause="行政强制"))
    client.force_login(officer)
    response = client.get(reverse("cases:detail", args=[ex.k2.pk]))
    page = response.content.decode()
    assert "修改记录" in page
    latest = response.context["history"][0]
    assert latest.user == liaison
    assert [(c.field, c.old, c.new) for c in latest.changes] == [("案由", "行政处罚", "行政强制")]


def test_api_clients_do_not_browse_cases_or_hearings(client, worked_example):
    api_client = UserFactory(role=UserRole.API_CLIENT, agency=worked_example.county)
    client.force_login(api_client)
    assert client.get(reverse("cases:list")).status_code == 403
    assert client.get(reverse("hearings:list")).status_code == 403
    assert client.get(reverse("cases:detail", args=[worked_example.k1.pk])).status_code == 403
