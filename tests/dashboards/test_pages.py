"""The dashboards as each kind of user sees them: scope, period, the worked example's headline."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from agencies.choices import UserRole
from hearings.choices import AbsenceReason, HearingStatus
from hearings.services import absence_set, hearing_create
from litigation.dates import local_today
from tests.factories import UserFactory

from .conftest import element_with, elements

pytestmark = pytest.mark.django_db

PAGES = ["home", "dashboard-trends", "dashboard-rankings", "dashboard-missed", "dashboard-wall"]


def page(client, name, **params):
    response = client.get(reverse(name), params)
    return response, response.content.decode()


# --- who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_each_page_opens_for_officer_agency_user_and_liaison(client, officer, d1_user, liaison, name):
    for user in (officer, d1_user, liaison):
        client.force_login(user)
        response = client.get(reverse(name), {"period": "2023-03"})
        assert response.status_code == 200, (user.username, name)


@pytest.mark.parametrize("name", PAGES[1:])
def test_api_clients_have_no_dashboards(client, api_client_user, name):
    client.force_login(api_client_user)
    assert client.get(reverse(name)).status_code == 403


def test_api_client_home_says_there_is_nothing_to_see(client, api_client_user):
    client.force_login(api_client_user)
    response, html = page(client, "home")
    assert response.status_code == 200
    assert "没有可查看的工作概览" in html


@pytest.mark.parametrize("name", PAGES)
def test_a_government_outside_the_officers_scope_is_404(client, officer, worked_example, other_county, name):
    client.force_login(officer)  # county C's officer
    for agency in (worked_example.city, other_county):
        assert client.get(reverse(name), {"agency": agency.pk}).status_code == 404
    assert client.get(reverse(name), {"agency": 999999}).status_code == 404
    assert client.get(reverse(name), {"agency": worked_example.d1.pk}).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_an_agency_user_cannot_look_above_their_agency(client, d1_user, worked_example, name):
    client.force_login(d1_user)
    assert client.get(reverse(name), {"agency": worked_example.county.pk}).status_code == 404
    assert client.get(reverse(name), {"agency": worked_example.d2.pk}).status_code == 404


def test_government_choices_stay_in_scope(client, officer, city_officer, worked_example, other_county):
    client.force_login(city_officer)
    _response, html = page(client, "home")
    options = html.split('name="agency"')[1].split("</select>")[0]
    assert "C县人民政府" in options and "E县人民政府" in options and "市人民政府" in options
    client.force_login(officer)
    _response, html = page(client, "home")
    assert "E县人民政府" not in html


# --- the headline -------------------------------------------------------------------------------


def test_home_shows_the_worked_example_headline(client, officer):
    client.force_login(officer)
    response, html = page(client, "home", period="2023-03")
    assert response.status_code == 200
    assert "C县人民政府" in html and "2023年3月" in html
    attendance = element_with(html, "article", "kpi", "出庭应诉率")
    assert "66.67%" in attendance["text"]
    assert "负责人出庭 2 件 / 应出庭 3 件" in attendance["text"]
    assert "kpi-bad" in attendance["attrs"]["class"]  # red: below the 100% target
    assert "未达标" in attendance["text"]
    coverage = element_with(html, "article", "kpi", "主要负责人出庭全覆盖")
    assert "50%" in coverage["text"] and "kpi-bad" in coverage["attrs"]["class"]
    assert "主要负责人出过庭 1 个 / 有出庭义务的机关 2 个" in coverage["text"]
    share = element_with(html, "article", "mini", "主要负责人出庭占比")
    assert "50%" in share["text"]
    spoke = element_with(html, "article", "mini", "出庭出声率")
    assert "50%" in spoke["text"]
    streak = elements(html, "section", "streak")[0]
    assert "本期未达 100%" in streak["text"]
    assert "streak-bad" in streak["attrs"]["class"]


def test_a_scope_at_target_is_green_with_its_streak(client, d1_user):
    client.force_login(d1_user)
    _response, html = page(client, "home", period="2023-03")
    attendance = element_with(html, "article", "kpi", "出庭应诉率")
    assert "100%" in attendance["text"] and "kpi-ok" in attendance["attrs"]["class"]
    assert "达标" in attendance["text"] and "未达标" not in attendance["text"]
    assert "连续 1 个月 100%" in elements(html, "section", "streak")[0]["text"]


def test_null_rates_show_a_dash_that_says_why(client, officer):
    client.force_login(officer)
    _response, html = page(client, "home", period="2023-05")
    attendance = element_with(html, "article", "kpi", "出庭应诉率")
    assert "—" in attendance["text"] and "%" not in attendance["text"].split("目标")[0]
    assert 'title="本期没有应出庭的案件（分母为 0）"' in html
    loss = element_with(html, "article", "mini", "败诉率")
    assert "本期没有审结的案件" in loss["text"]


def test_default_period_is_the_last_complete_month(client, officer):
    client.force_login(officer)
    with time_machine.travel(datetime.datetime(2023, 4, 15, 10, 0, tzinfo=datetime.UTC)):
        _response, html = page(client, "home")
    assert "2023年3月" in html
    assert "66.67%" in element_with(html, "article", "kpi", "出庭应诉率")["text"]


def test_quarter_and_year_periods(client, officer):
    client.force_login(officer)
    for period, label in (("2023-Q1", "2023年第一季度"), ("2023", "2023年度")):
        _response, html = page(client, "home", period=period)
        assert label in html
        assert "66.67%" in element_with(html, "article", "kpi", "出庭应诉率")["text"]


def test_a_malformed_period_says_so_and_shows_the_default(client, officer):
    client.force_login(officer)
    response, html = page(client, "home", period="2023-13")
    assert response.status_code == 200
    assert "无效的期间" in html and "2023-13" in html


def test_superuser_starts_at_the_root_and_may_choose_any_government(client, worked_example, other_county):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True, role="")
    client.force_login(admin)
    _response, html = page(client, "home", period="2023-03")
    assert "<h1>市人民政府" in html
    _response, html = page(client, "home", period="2023-03", agency=other_county.pk)
    assert "<h1>E县人民政府" in html


# --- the liaison's home -------------------------------------------------------------------------


def test_liaison_home_lists_the_next_14_days_hearings_with_the_sheet(
    client, liaison, worked_example, other_county
):
    ex = worked_example
    soon = hearing_create(case=ex.k1, date=local_today() + datetime.timedelta(days=3), courtroom="第一法庭")
    later = hearing_create(case=ex.k2, date=local_today() + datetime.timedelta(days=20))
    client.force_login(liaison)
    _response, html = page(client, "home")
    upcoming = elements(html, "section", "upcoming-card")[0]
    assert ex.k1.number in upcoming["text"] and "第一法庭" in upcoming["text"]
    assert ex.k2.number not in upcoming["text"]
    assert reverse("hearings:sheet", args=[soon.pk]) in html
    assert reverse("hearings:detail", args=[soon.pk]) in html
    assert reverse("hearings:detail", args=[later.pk]) not in html
    # and the city's headline, read-only
    assert "<h1>市人民政府" in html
    assert "出庭应诉率" in html


def test_liaison_at_another_court_sees_none_of_these_hearings(client, worked_example):
    from agencies.services import court_create

    other = UserFactory(
        role=UserRole.LIAISON,
        username="liaison9",
        courts=[court_create(name="某法院", level="basic", code="鲁9")],
    )
    hearing_create(case=worked_example.k1, date=local_today() + datetime.timedelta(days=2))
    client.force_login(other)
    _response, html = page(client, "home")
    assert worked_example.k1.number not in html
    assert "未来 14 日没有安排开庭" in html


# --- trends -------------------------------------------------------------------------------------


def test_trends_table_has_36_months_with_the_figures(client, officer):
    client.force_login(officer)
    response, html = page(client, "dashboard-trends", period="2023-06")
    months = response.context["table"]
    assert len(months) == 36 and str(months[0].month) == "2023-06" and str(months[-1].month) == "2020-07"
    row = [r for r in html.split("<tr>") if "2023年3月" in r][0]
    assert "66.67%" in row and "50%" in row
    chart = response.context["chart"]
    assert chart["labels"][-1] == "2023-06" and len(chart["labels"]) == 36
    assert chart["attendance_rate"][chart["labels"].index("2023-03")] == 66.67
    assert chart["attendance_rate"][chart["labels"].index("2023-04")] is None
    assert 'id="trend-data"' in html
    assert "vendor/chart.js/chart.umd.min.js" in html


# --- missed obligations -------------------------------------------------------------------------


def test_missed_lists_the_obligation_no_head_attended(client, officer, worked_example):
    ex = worked_example
    absence_set(
        hearing=ex.h1,
        agency=ex.d2,
        reason=AbsenceReason.OFFICIAL_DUTY,
        explanation_filed=True,
        detail="参加防汛",
    )
    client.force_login(officer)
    response, html = page(client, "dashboard-missed", period="2023-03")
    lines = response.context["lines"]
    assert [(line.case, line.agency) for line in lines] == [(ex.k1, ex.d2)]
    rows = elements(html, "table", "missed-table")[0]["text"]
    assert ex.k1.number in rows and "D2局" in rows and "C县人民法院" in rows and "2023-03-10" in rows
    assert "赵科员（工作人员）" in rows
    assert "需要履行他人不能代替的公务" in rows and "已交书面说明" in rows and "参加防汛" in rows
    assert reverse("cases:detail", args=[ex.k1.pk]) in html
    assert reverse("hearings:detail", args=[ex.h1.pk]) in html
    assert "共 1 件" in html


def test_missed_filters_by_agency(client, officer, worked_example):
    client.force_login(officer)
    response, html = page(client, "dashboard-missed", period="2023-03", agency=worked_example.d1.pk)
    assert response.context["lines"] == []
    assert "没有负责人未出庭的案件" in html


def test_missed_shows_who_came_instead_of_the_head(client, officer, worked_example):
    ex = worked_example
    hearing_create(case=ex.k2, date=datetime.date(2023, 4, 3), status=HearingStatus.HELD, head_required=True)
    client.force_login(officer)
    response, html = page(client, "dashboard-missed", period="2023-03")
    # The court required D1's head at a later hearing where none came: (k2, D1) is now missed.
    d1_line = next(line for line in response.context["lines"] if line.agency == ex.d1)
    assert d1_line.stand_ins == ["钱律师（律师）", "李副局长（副职负责人）"]
    assert "要求" in elements(html, "table", "missed-table")[0]["text"]


def test_missed_is_limited_to_the_cases_a_liaison_may_see(client, worked_example):
    from agencies.services import court_create

    other = UserFactory(
        role=UserRole.LIAISON,
        username="liaison8",
        courts=[court_create(name="某法院", level="basic", code="鲁8")],
    )
    client.force_login(other)
    response, html = page(client, "dashboard-missed", period="2023-03")
    assert response.context["lines"] == []
    assert "仅列出您所在法院审理的案件" in html
    # The home page's badge counts what that list shows, though the figures cover every case.
    home, home_html = page(client, "home", period="2023-03", agency=worked_example.county.pk)
    assert home.context["headline"].missed == 1 and home.context["missed_count"] == 0
    assert 'class="count-bad"' not in home_html


# --- the wall screen ----------------------------------------------------------------------------


def test_wall_is_dark_large_and_refreshes_without_navigation(client, officer):
    client.force_login(officer)
    for response in (
        client.get(reverse("dashboard-wall"), {"period": "2023-03"}),
        client.get(reverse("home"), {"period": "2023-03", "wall": "1"}),
    ):
        html = response.content.decode()
        assert '<meta http-equiv="refresh" content="300">' in html
        assert 'class="wall-mode' in html
        assert "mainnav" not in html and reverse("logout") not in html
        assert "66.67%" in element_with(html, "article", "kpi", "出庭应诉率")["text"]
        assert "件负责人未出庭" in html


@pytest.mark.parametrize("name", ["dashboard-trends", "dashboard-rankings", "dashboard-missed"])
def test_every_page_has_a_wall_mode(client, officer, name):
    client.force_login(officer)
    html = client.get(reverse(name), {"period": "2023-03", "wall": "1"}).content.decode()
    assert '<meta http-equiv="refresh" content="300">' in html and "mainnav" not in html


def test_nav_links_the_dashboards(client, officer):
    client.force_login(officer)
    nav = elements(page(client, "home")[1], "nav", "mainnav")[0]["text"]
    for label in ("排名", "未出庭清单", "趋势", "案件", "庭审"):
        assert label in nav


def test_agency_users_file_the_appearing_head_from_their_home(client, d1_user, worked_example):
    ex = worked_example
    soon = hearing_create(case=ex.k1, date=local_today() + datetime.timedelta(days=5))
    client.force_login(d1_user)
    _response, html = page(client, "home")
    assert reverse("hearings:filing", args=[soon.pk, ex.d1.pk]) in html
    assert reverse("hearings:filing", args=[soon.pk, ex.d2.pk]) not in html  # D2 is not theirs
    assert reverse("hearings:sheet", args=[soon.pk]) not in html  # the sheet is the court's


def test_a_department_sees_its_place_in_its_governments_ranking(client, d1_user, worked_example):
    from reports.periods import Period
    from reports.services import rankings_compute

    rankings_compute(period=Period.parse("2023-03"))
    client.force_login(d1_user)
    _response, html = page(client, "home", period="2023-03")
    own = elements(html, "p", "own-place")[0]["text"]
    assert "在C县人民政府的部门排名中" in own and "第 1 名（共 2 个）" in own and "通报" not in own
