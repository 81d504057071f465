"""The hearing sheet: one page records a held hearing and who appeared for each defendant."""

import datetime

import pytest
from django.urls import reverse

from agencies.choices import PositionRole
from agencies.services import official_create, position_create, position_update
from hearings.choices import AbsenceReason, ExternalCapacity, HearingStatus
from hearings.models import AbsenceExplanation, Appearance, Hearing
from hearings.services import head_filing_set, hearing_create, hearing_record
from litigation.dates import local_today

from .conftest import sheet_post

pytestmark = pytest.mark.django_db


def sheet_url(hearing):
    return reverse("hearings:sheet", args=[hearing.pk])


def test_sheet_offers_each_defendants_officials_with_their_post(
    client, liaison, worked_example, today_hearing
):
    ex = worked_example
    client.force_login(liaison)
    response = client.get(sheet_url(today_hearing))
    assert response.status_code == 200
    page = response.content.decode()
    assert "张局长（局长·主要负责人）" in page
    assert "李副局长（副局长·副职负责人）" in page
    assert "王局长（局长·主要负责人）" in page
    assert "赵科员（科员·工作人员）" in page
    # Each block offers only that agency's officials: D2's head is not a choice for D1.
    d1_block = response.context["blocks"][0]
    assert d1_block.agency == ex.d1
    assert {row.official for row in d1_block.heads} == {ex.d1_principal, ex.d1_deputy}
    d2_block = response.context["blocks"][1]
    assert [row.official for row in d2_block.heads] == [ex.d2_principal]
    assert [row.official for row in d2_block.others] == [ex.d2_staff]
    # On the day, a scheduled hearing is offered as held.
    assert response.context["sheet_form"]["status"].value() == HearingStatus.HELD


def test_official_whose_post_ended_before_the_hearing_is_not_offered(
    client, liaison, worked_example, today_hearing
):
    ex = worked_example
    position_update(
        position=ex.d1_deputy.positions.get(), end_date=local_today() - datetime.timedelta(days=1)
    )
    client.force_login(liaison)
    page = client.get(sheet_url(today_hearing)).content.decode()
    assert "李副局长" not in page
    assert "张局长（局长·主要负责人）" in page


def test_saving_a_head_appearance_shows_the_obligation_as_head_attended(
    client, liaison, worked_example, today_hearing
):
    ex = worked_example
    client.force_login(liaison)
    data = sheet_post(
        today_hearing,
        blocks={
            ex.d1: {
                "present": [ex.d1_deputy],
                "spoke": [ex.d1_deputy],
                "people": [("钱律师", "lawyer", False)],
            },
            ex.d2: {
                "people": [("孙干事", "staff", True)],
                "absence_reason": AbsenceReason.OFFICIAL_DUTY,
                "explanation_filed": True,
                "absence_detail": "参加省政府会议",
            },
        },
    )
    response = client.post(sheet_url(today_hearing), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("hearings:detail", args=[today_hearing.pk])
    page = response.content.decode()
    assert "庭审记录已保存。" in page
    assert "李副局长（副职负责人）" in page
    assert "钱律师（律师）" in page
    assert "需要履行他人不能代替的公务" in page
    hearing = Hearing.objects.get(pk=today_hearing.pk)
    assert hearing.status == HearingStatus.HELD
    assert hearing.version == today_hearing.version + 1
    saved = {(a.agency, a.official, a.person_name, a.capacity, a.spoke) for a in hearing.appearances.all()}
    assert saved == {
        (ex.d1, ex.d1_deputy, "", "", True),
        (ex.d1, None, "钱律师", ExternalCapacity.LAWYER, False),
        (ex.d2, None, "孙干事", ExternalCapacity.STAFF, True),
    }
    absence = AbsenceExplanation.objects.get(hearing=hearing, agency=ex.d2)
    assert (absence.reason, absence.explanation_filed, absence.detail) == (
        AbsenceReason.OFFICIAL_DUTY,
        True,
        "参加省政府会议",
    )
    obligations = {block.agency: block.defendant for block in response.context["blocks"]}
    # k1 was already head-attended by D1 (h1); D2 still had no head.
    assert obligations[ex.d1].head_attended is True
    assert obligations[ex.d2].head_attended is False


def test_required_head_without_a_head_shows_the_obligation_as_missed(client, liaison, worked_example):
    """Art. 7: k2 was head-attended (h3); a later held hearing where the court required the head and
    only a lawyer came makes it not head-attended."""
    ex = worked_example
    hearing = hearing_create(case=ex.k2, date=local_today(), status=HearingStatus.SCHEDULED)
    client.force_login(liaison)
    data = sheet_post(hearing, head_required=True, blocks={ex.d1: {"people": [("钱律师", "lawyer", True)]}})
    response = client.post(sheet_url(hearing), data, follow=True)
    page = response.content.decode()
    assert "第七条：要求负责人出庭" in page
    assert "✗ 负责人未出庭" in page


def test_editing_the_sheet_again_shows_what_was_recorded_and_replaces_it(
    client, liaison, worked_example, today_hearing
):
    ex = worked_example
    hearing_record(
        hearing=today_hearing,
        version=today_hearing.version,
        status=HearingStatus.HELD,
        head_required=False,
        sheets=[],
    )
    client.force_login(liaison)
    first = sheet_post(
        Hearing.objects.get(pk=today_hearing.pk),
        blocks={ex.d1: {"present": [ex.d1_principal], "people": [("钱律师", "lawyer", False)]}},
    )
    assert client.post(sheet_url(today_hearing), first).status_code == 302
    response = client.get(sheet_url(today_hearing))
    d1_block = response.context["blocks"][0]
    assert [row.official for row in d1_block.heads if row.present] == [ex.d1_principal]
    assert d1_block.people.forms[0]["person_name"].value() == "钱律师"
    hearing = Hearing.objects.get(pk=today_hearing.pk)
    second = sheet_post(hearing, blocks={ex.d1: {"present": [ex.d1_deputy]}})
    assert client.post(sheet_url(hearing), second).status_code == 302
    assert [(a.official, a.person_name) for a in hearing.appearances.all()] == [(ex.d1_deputy, "")]


def test_held_in_the_future_is_refused_next_to_the_status_and_nothing_is_saved(
    client, liaison, worked_example, next_week_hearing
):
    ex = worked_example
    client.force_login(liaison)
    data = sheet_post(next_week_hearing, blocks={ex.d1: {"present": [ex.d1_principal]}})
    response = client.post(sheet_url(next_week_hearing), data)
    assert response.status_code == 400
    message = f"开庭日期 {next_week_hearing.date.isoformat()} 尚未到来，不能标记为已开庭。"
    assert message in response.context["summary"]
    assert message in response.context["sheet_form"].errors["status"]
    hearing = Hearing.objects.get(pk=next_week_hearing.pk)
    assert (hearing.status, hearing.version, hearing.appearances.count()) == (
        HearingStatus.SCHEDULED,
        next_week_hearing.version,
        0,
    )
    # The user's input is still there.
    assert [row.official for row in response.context["blocks"][0].heads if row.present] == [ex.d1_principal]


def test_refused_appearance_is_named_in_its_block_and_nothing_is_half_saved(
    client, liaison, worked_example, today_hearing
):
    """The deputy was recorded, then the post was corrected to end the day before: changing their row
    is refused with the service's message beside D1, and D2's valid rows are not saved."""
    ex = worked_example
    hearing_record(
        hearing=today_hearing,
        version=today_hearing.version,
        status=HearingStatus.HELD,
        head_required=False,
        sheets=[],
    )
    Appearance.objects.create(hearing=today_hearing, agency=ex.d1, official=ex.d1_deputy)
    position_update(
        position=ex.d1_deputy.positions.get(), end_date=local_today() - datetime.timedelta(days=1)
    )
    hearing = Hearing.objects.get(pk=today_hearing.pk)
    client.force_login(liaison)
    page = client.get(sheet_url(hearing)).content.decode()
    assert "李副局长（当日未在该机关任职）" in page

    data = sheet_post(
        hearing,
        blocks={
            ex.d1: {"present": [ex.d1_deputy], "spoke": [ex.d1_deputy]},
            ex.d2: {"present": [ex.d2_principal], "spoke": [ex.d2_principal]},
        },
    )
    response = client.post(sheet_url(hearing), data)
    assert response.status_code == 400
    d1_block, d2_block = response.context["blocks"]
    assert any("李副局长" in e and "未在“D1局”任职" in e for e in d1_block.errors)
    assert d2_block.errors == []
    assert any(m.startswith("D1局：李副局长") for m in response.context["summary"])
    page = response.content.decode()
    assert "请以工作人员、律师或其他身份填写姓名记录" in page
    assert list(hearing.appearances.values_list("official", flat=True)) == [ex.d1_deputy.pk]
    assert Hearing.objects.get(pk=hearing.pk).version == hearing.version
    # D2's input is kept for the next try.
    assert [row.official for row in d2_block.heads if row.present and row.spoke] == [ex.d2_principal]


def test_spoke_without_present_and_an_explanation_without_reason_are_refused(
    client, liaison, worked_example, today_hearing
):
    ex = worked_example
    client.force_login(liaison)
    data = sheet_post(
        today_hearing,
        blocks={
            ex.d1: {"spoke": [ex.d1_principal]},
            ex.d2: {"explanation_filed": True},
        },
    )
    response = client.post(sheet_url(today_hearing), data)
    assert response.status_code == 400
    summary = response.context["summary"]
    assert "D1局：出声：张局长 勾选了“出声”但未勾选“出庭”。" in summary
    assert "D2局：负责人未出庭事由：填写情况说明时，请选择负责人未出庭的事由。" in summary
    assert Hearing.objects.get(pk=today_hearing.pk).status == HearingStatus.SCHEDULED


def test_stale_version_changes_nothing_and_says_so(client, liaison, worked_example, today_hearing):
    ex = worked_example
    client.force_login(liaison)
    data = sheet_post(today_hearing, blocks={ex.d1: {"present": [ex.d1_principal]}})
    # Someone else saves the hearing after this user opened the sheet.
    hearing_record(
        hearing=today_hearing,
        version=today_hearing.version,
        status=HearingStatus.HELD,
        head_required=False,
        sheets=[],
    )
    response = client.post(sheet_url(today_hearing), data)
    assert response.status_code == 409
    assert "该记录已被他人修改" in response.content.decode()
    assert today_hearing.appearances.count() == 0


def test_the_agencys_filed_head_is_shown(client, liaison, worked_example, next_week_hearing):
    ex = worked_example
    head_filing_set(hearing=next_week_hearing, agency=ex.d1, official=ex.d1_deputy)
    client.force_login(liaison)
    page = client.get(sheet_url(next_week_hearing)).content.decode()
    assert "机关备案的出庭负责人" in page
    assert "李副局长（副局长·副职负责人）" in page
    assert "已备案" in page


@pytest.mark.parametrize("who", ["d1_user", "officer"])
def test_only_liaison_staff_of_the_court_record(client, request, who, today_hearing, worked_example):
    client.force_login(request.getfixturevalue(who))
    assert client.get(sheet_url(today_hearing)).status_code == 403
    data = sheet_post(today_hearing, blocks={worked_example.d1: {"present": [worked_example.d1_principal]}})
    assert client.post(sheet_url(today_hearing), data).status_code == 403
    assert today_hearing.appearances.count() == 0


def test_liaison_at_another_court_gets_404(client, other_liaison, today_hearing):
    client.force_login(other_liaison)
    assert client.get(sheet_url(today_hearing)).status_code == 404
    assert client.post(sheet_url(today_hearing), {}).status_code == 404


def test_anonymous_is_sent_to_login(client, today_hearing):
    response = client.get(sheet_url(today_hearing))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sheet_runs_a_fixed_number_of_queries(
    client, liaison, worked_example, today_hearing, django_assert_max_num_queries
):
    ex = worked_example
    client.force_login(liaison)
    with django_assert_max_num_queries(20) as small:
        client.get(sheet_url(today_hearing))
    for n in range(12):
        official = official_create(name=f"新任{n}")
        position_create(
            official=official,
            agency=ex.d1 if n % 2 else ex.d2,
            role=PositionRole.OTHER_HEAD if n % 3 else PositionRole.STAFF,
            start_date=datetime.date(2021, 1, 1),
        )
        Appearance.objects.create(
            hearing=today_hearing, agency=ex.d2, person_name=f"律师{n}", capacity="lawyer"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(sheet_url(today_hearing))
    assert "新任11" in response.content.decode()
