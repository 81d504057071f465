"""The rankings page: stored tables, change of rank, stale and never-computed tables, drill-down."""

import pytest
from django.urls import reverse

from agencies.choices import AgencyKind, UserRole
from agencies.services import agency_create
from reports.models import RankingTable
from tests.factories import UserFactory

from .conftest import elements, store_ranking

pytestmark = pytest.mark.django_db


def rankings(client, **params):
    response = client.get(reverse("dashboard-rankings"), params)
    return response, response.content.decode()


def row_text(html: str, name: str) -> str:
    rows = [r for r in html.split("<tr") if f">{name}</a>" in r]
    assert rows, f"no ranking row for {name}"
    return " ".join(rows[0].replace("<", " <").split())


@pytest.fixture
def county_g():
    """Government G with departments A–F, and an officer of G."""
    g = agency_create(name="G县人民政府", kind=AgencyKind.GOVERNMENT)
    members = {n: agency_create(name=f"{n}局", kind=AgencyKind.DEPARTMENT, parent=g) for n in "ABCDEF"}
    officer = UserFactory(role=UserRole.OFFICER, agency=g, username="g_officer")
    return g, members, officer


def test_rank_changes_against_the_previous_period(client, county_g):
    g, m, officer = county_g
    store_ranking(g, "2023-02", "department", {m["A"]: 1, m["B"]: 2, m["C"]: 3, m["D"]: None})
    store_ranking(
        g,
        "2023-03",
        "department",
        {m["C"]: 1, m["A"]: 2, m["B"]: 2, m["D"]: 4, m["E"]: 5, m["F"]: None},
        named={m["E"]},
    )
    client.force_login(officer)
    _response, html = rankings(client, period="2023-03")
    changes = {
        name: [e for e in elements(row_text(html, f"{name}局"), "span", "change")][0] for name in "ABCDE"
    }
    assert changes["C"]["text"] == "↑2" and "上升 2 名" in changes["C"]["attrs"]["title"]
    assert changes["A"]["text"] == "↓1" and "下降 1 名" in changes["A"]["attrs"]["title"]
    assert changes["B"]["text"] == "—" and "名次相同" in changes["B"]["attrs"]["title"]
    assert changes["D"]["text"] == "新" and "上期未参与排名" in changes["D"]["attrs"]["title"]
    assert changes["E"]["text"] == "新" and "上期不在本排名中" in changes["E"]["attrs"]["title"]
    assert "通报" in row_text(html, "E局")
    assert "通报" not in row_text(html, "C局")
    # F had no obligations: not ranked, listed under the table
    unranked = elements(html, "p", "unranked-list")[0]["text"]
    assert "F局" in unranked and "（1 个）" in unranked
    named = elements(html, "p", "named-list")[0]["text"]
    assert "E局" in named and "A局" not in named


def test_without_a_previous_computation_the_change_is_a_dash(client, county_g):
    g, m, officer = county_g
    store_ranking(g, "2023-03", "department", {m["A"]: 1, m["B"]: 2})
    client.force_login(officer)
    _response, html = rankings(client, period="2023-03")
    change = elements(row_text(html, "A局"), "span", "change")[0]
    assert change["text"] == "—" and "上期排名尚未计算" in change["attrs"]["title"]
    assert "2023年2月排名未计算" in html


def test_stale_tables_carry_a_badge_and_their_computation_time(client, county_g):
    g, m, officer = county_g
    store_ranking(g, "2023-03", "department", {m["A"]: 1}, stale=True)
    client.force_login(officer)
    _response, html = rankings(client, period="2023-03")
    assert "待重新计算" in html and "计算于 2023-03-31 23:00" in html
    assert "立即重新计算" in html


def test_never_computed_an_officer_computes_it(
    client, officer, worked_example, django_capture_on_commit_callbacks
):
    ex = worked_example
    client.force_login(officer)
    _response, html = rankings(client, period="2023-03")
    assert "2023年3月的排名尚未计算" in html
    assert "立即计算2023年3月排名" in html
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("dashboard-rankings-compute"), {"period": "2023-03", "agency": ex.county.pk}
        )
        # The job is only sent once the request's transaction commits.
        assert not RankingTable.objects.exists()
    assert len(callbacks) == 1
    assert response["Location"] == f"{reverse('dashboard-rankings')}?period=2023-03&agency={ex.county.pk}"
    assert RankingTable.objects.filter(period="2023-03", issuer=ex.county).exists()
    response = client.get(response["Location"])
    html = response.content.decode()
    assert "已提交 2023年3月 的排名计算" in html
    # The worked example's ranking: D1 first at 100%, D2 second at 0% and named.
    d1, d2 = row_text(html, "D1局"), row_text(html, "D2局")
    assert elements(d1, "td", "rank")[0]["text"] == "1" and "100%" in d1 and "通报" not in d1
    assert elements(d2, "td", "rank")[0]["text"] == "2" and "0%" in d2 and "通报" in d2
    lines = response.context["blocks"][0].lines
    assert [(line.agency, line.row.rank, line.row.named) for line in lines] == [
        (ex.d1, 1, False),
        (ex.d2, 2, True),
    ]


def test_agency_users_and_liaison_cannot_trigger_a_computation(client, d1_user, liaison, worked_example):
    for user in (d1_user, liaison):
        client.force_login(user)
        response = client.post(reverse("dashboard-rankings-compute"), {"period": "2023-03"})
        assert response.status_code == 403
    assert not RankingTable.objects.exists()
    client.force_login(liaison)
    _response, html = rankings(client, period="2023-03")
    assert "尚未计算" in html and "立即计算" not in html


def test_drill_down_to_a_members_own_ranking_and_its_misses(client, city_officer, worked_example):
    from reports.periods import Period
    from reports.services import rankings_compute

    ex = worked_example
    rankings_compute(period=Period.parse("2023-03"))
    client.force_login(city_officer)
    _response, html = rankings(client, period="2023-03")
    county_row = row_text(html, "C县人民政府")
    # C issues its own department ranking in this period: a link down to it, and to its one miss
    assert f"?agency={ex.county.pk}&amp;period=2023-03" in county_row and "下属排名" in county_row
    assert "未出庭 1 件" in county_row
    assert f"{reverse('dashboard-missed')}?agency={ex.county.pk}&amp;period=2023-03" in county_row
    _response, html = rankings(client, period="2023-03", agency=ex.county.pk)
    assert "D1局" in html and "D2局" in html and "返回本级排名" in html
    own = elements(html, "p", "own-place")[0]["text"]
    assert "市人民政府" in own and "第 1 名（共 1 个）" in own
    # and the D2 row leads on to the missed list, which leads to the case and the hearing
    response = client.get(reverse("dashboard-missed"), {"agency": ex.d2.pk, "period": "2023-03"})
    html = response.content.decode()
    assert reverse("cases:detail", args=[ex.k1.pk]) in html
    assert reverse("hearings:detail", args=[ex.h1.pk]) in html


def test_a_department_has_no_ranking_of_its_own(client, d1_user, worked_example):
    client.force_login(d1_user)
    _response, html = rankings(client, period="2023-03")
    assert "不是人民政府，没有下属单位的排名" in html
    assert "立即计算" not in html


def test_out_of_scope_issuer_is_404(client, officer, worked_example):
    client.force_login(officer)
    assert client.get(reverse("dashboard-rankings"), {"agency": worked_example.city.pk}).status_code == 404
    response = client.post(
        reverse("dashboard-rankings-compute"), {"period": "2023-03", "agency": worked_example.city.pk}
    )
    assert response.status_code == 404
