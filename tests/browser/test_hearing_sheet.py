"""A liaison officer records a held hearing on the hearing sheet in a real browser."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from agencies.choices import UserRole
from hearings.choices import ExternalCapacity, HearingStatus
from hearings.models import Hearing
from hearings.services import head_filing_set, hearing_create
from litigation.dates import local_today
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_records_a_head_appearance_and_sees_the_obligation_met(
    page, live_server, log_in, screenshot, liaison, worked_example
):
    ex = worked_example
    # k3 (defendant D2) had only a cancelled hearing: no obligation yet. Today it is heard.
    hearing = hearing_create(case=ex.k3, date=local_today(), time=datetime.time(9, 30), courtroom="第一法庭")

    log_in(liaison)
    page.goto(f"{live_server.url}/cases/")
    search = page.get_by_label("案号")
    expect(search).to_be_focused()
    search.fill("(2023)鲁1502行初3号")  # ASCII parentheses, as typed on most keyboards
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("（2023）鲁1502行初3号")
    expect(page.get_by_text("尚无已开庭的庭审")).to_be_visible()
    screenshot("cases-detail-before-hearing")

    page.get_by_role("row", name=re.compile(local_today().isoformat())).get_by_role(
        "link", name="填写庭审记录"
    ).click()
    expect(page.locator("h1")).to_contain_text("庭审记录单")
    expect(page.get_by_label("已开庭")).to_be_checked()  # on the day, the sheet records a held hearing
    screenshot("hearings-sheet-on-the-day")

    # The first head of the first defendant has the focus: tick "present" and "spoke" by keyboard.
    principal = page.locator(f"#d{ex.d2.pk}-present-{ex.d2_principal.pk}")
    expect(principal).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator(f"#d{ex.d2.pk}-spoke-{ex.d2_principal.pk}")).to_be_checked()
    # Add a lawyer on a new row without the mouse: the new row takes the focus.
    block = page.locator(f"#block-{ex.d2.pk}")
    block.locator("input[name$='-0-person_name']").fill("周律师")
    block.locator("select[name$='-0-capacity']").select_option(ExternalCapacity.LAWYER)
    block.get_by_role("button", name="添加一行").focus()
    page.keyboard.press("Enter")
    expect(block.locator("input[name$='-1-person_name']")).to_be_focused()
    page.keyboard.type("吴干事")
    # A written explanation ticked without a reason is refused, with the input kept.
    block.get_by_label("已提交加盖公章的书面情况说明").check()
    block.locator("input[name$='-1-person_name']").press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("D2局：负责人未出庭事由：填写情况说明时，请选择负责人未出庭的事由。")
    expect(summary).to_be_focused()
    expect(block.locator(".block-errors")).to_contain_text("请选择负责人未出庭的事由")
    expect(principal).to_be_checked()
    expect(block.locator("input[name$='-1-person_name']")).to_have_value("吴干事")
    screenshot("hearings-sheet-refused")
    assert Hearing.objects.get(pk=hearing.pk).status == HearingStatus.SCHEDULED

    block.get_by_label("已提交加盖公章的书面情况说明").uncheck()
    principal.focus()
    page.keyboard.press("Enter")  # Enter saves from a checkbox as from a text field

    expect(page.get_by_text("庭审记录已保存。")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("D2局"))
    expect(row).to_contain_text("王局长（主要负责人）")
    expect(row).to_contain_text("周律师（律师）")
    expect(row).to_contain_text("吴干事（工作人员）")
    expect(row).to_contain_text("✓ 负责人已出庭")
    expect(row).to_contain_text("✓ 主要负责人出庭")
    expect(row).to_contain_text("✓ 出庭出声")
    screenshot("hearings-detail-after-sheet")

    page.get_by_role("link", name="（2023）鲁1502行初3号").first.click()
    defendants = page.get_by_role("region", name="被告与出庭应诉义务")
    expect(defendants.get_by_role("row", name=re.compile("D2局"))).to_contain_text("✓ 负责人已出庭")
    screenshot("cases-detail-after-hearing")

    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    assert {(a.official, a.person_name, a.capacity, a.spoke) for a in hearing.appearances.all()} == {
        (ex.d2_principal, "", "", True),
        (None, "周律师", ExternalCapacity.LAWYER, False),
        (None, "吴干事", ExternalCapacity.STAFF, False),
    }
    assert page.console_errors == []


def test_every_case_and_hearing_page_renders(page, live_server, log_in, screenshot, liaison, worked_example):
    """Each page a user of these screens opens, in the browser, for a screenshot to look at."""
    ex = worked_example
    upcoming = hearing_create(
        case=ex.k1,
        date=local_today() + datetime.timedelta(days=3),
        time=datetime.time(14, 0),
        courtroom="第二法庭",
    )
    head_filing_set(hearing=upcoming, agency=ex.d1, official=ex.d1_principal)
    url = live_server.url
    log_in(liaison)
    pages = [
        ("cases-list", "/cases/", "案件"),
        ("cases-create", "/cases/new/", "登记案件"),
        ("cases-edit", f"/cases/{ex.k1.pk}/edit/", "修改案件"),
        ("cases-detail", f"/cases/{ex.k1.pk}/", ex.k1.number),
        ("hearings-list", "/hearings/", "庭审"),
        ("hearings-schedule", f"/cases/{ex.k1.pk}/hearings/new/", "安排开庭"),
        ("hearings-edit", f"/hearings/{upcoming.pk}/edit/", "修改开庭信息"),
        ("hearings-sheet-two-defendants", f"/hearings/{ex.h1.pk}/sheet/", "庭审记录单"),
        ("hearings-detail", f"/hearings/{ex.h1.pk}/", "庭审"),
    ]
    for name, path, heading in pages:
        page.goto(url + path)
        expect(page.locator("h1")).to_contain_text(heading)
        screenshot(f"{name}-liaison")

    # A case form refused: each message stands next to its field; a second defendant row is added
    # from the keyboard.
    page.goto(url + "/cases/new/")
    number = page.locator("#id_number")
    expect(number).to_be_focused()
    page.get_by_role("button", name="添加被告").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#id_defendants-1-agency")).to_be_focused()
    expect(page.locator("#id_defendants-TOTAL_FORMS")).to_have_value("2")
    number.fill("（2024）鲁1502行初07号")
    number.press("Enter")
    expect(page.locator("#error-summary")).to_contain_text("案号格式不正确")
    screenshot("cases-create-refused")

    officer = UserFactory(role=UserRole.OFFICER, agency=ex.county)
    log_in(officer)
    page.goto(f"{url}/hearings/{ex.h1.pk}/")
    expect(page.get_by_role("heading", name="修改记录")).to_be_visible()
    screenshot("hearings-detail-officer-history")
    page.goto(f"{url}/cases/{ex.k1.pk}/")
    expect(page.get_by_role("heading", name="修改记录")).to_be_visible()
    screenshot("cases-detail-officer-history")

    agency_user = UserFactory(role=UserRole.AGENCY, agency=ex.d1)
    log_in(agency_user)
    page.goto(f"{url}/hearings/")
    expect(page.get_by_role("link", name="填写庭审记录")).to_have_count(0)
    screenshot("hearings-list-agency")
    page.goto(f"{url}/hearings/{upcoming.pk}/")
    page.get_by_role("link", name="备案出庭负责人 / 提交情况说明").click()
    expect(page.locator("h1")).to_contain_text("出庭备案与情况说明")
    page.get_by_label("拟出庭负责人").select_option(str(ex.d1_deputy.pk))
    page.get_by_role("button", name="更改备案").click()
    expect(page.get_by_text("出庭负责人已备案。")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("D1局"))).to_contain_text("备案出庭负责人：李副局长")
    screenshot("hearings-detail-agency-filed")
    page.goto(f"{url}/hearings/{upcoming.pk}/agencies/{ex.d1.pk}/filing/")
    screenshot("hearings-filing-agency")
    assert page.console_errors == []
