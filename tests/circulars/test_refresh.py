"""The ranking job creates or refreshes each issuer's draft: figures change, edited texts stay,
published circulars are never touched."""

import datetime
from fractions import Fraction

from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.services import agency_update
from hearings.services import appearance_create
from reports.circular_models import Circular, CircularStatus
from reports.circulars import circular_content, circular_revise, circular_update_texts, circulars_refresh
from reports.documents import circular_html
from reports.services import rankings_compute
from tests.factories import AgencyFactory, GovernmentFactory

from .conftest import MARCH


def _rate(circular, name="attendance_rate"):
    return Fraction(circular_content(circular)["summary"][name])


def _fix_d2(example):
    """Late data: D2's principal did appear at h1 and spoke, so every obligation is head-attended."""
    appearance_create(hearing=example.h1, agency=example.d2, official=example.d2_principal, spoke=True)


def test_the_ranking_job_creates_a_draft_per_issuer(computed):
    drafts = {c.issuer_id: c for c in Circular.objects.filter(period="2023-03")}
    assert set(drafts) == {computed.city.pk, computed.county.pk}
    county = drafts[computed.county.pk]
    assert county.status == CircularStatus.DRAFT and county.kind == "monthly" and county.revision == 1
    assert county.title == "C县人民政府关于2023年3月份行政机关负责人出庭应诉情况的通报"
    assert county.mark == "C县人民政府文件" and county.signature == "C县人民政府"
    assert county.addressee == "县政府各部门："
    assert _rate(county) == Fraction(2, 3)
    shown = circular_content(county)  # a draft's content is read when it is shown
    assert [n["agency_name"] for n in shown["named"]] == ["D2局"]
    missed = shown["missed"]
    assert [m["case_number"] for m in missed] == [computed.k1.number]
    assert missed[0]["appeared"][0]["name"] == "赵科员"
    assert shown["interviews"] == []  # monthly: no interview list
    assert [r["agency_name"] for r in shown["rankings"][0]["rows"]] == ["D1局", "D2局"]


def test_refresh_updates_figures_and_keeps_edited_texts(computed, draft, officer):
    circular_update_texts(
        circular=draft,
        user=officer,
        opening="经研究，现将有关情况通报如下：",
        requirements="（一）立即整改。",
    )
    _fix_d2(computed)
    rankings_compute(period=MARCH)

    draft.refresh_from_db()
    assert _rate(draft) == 1
    assert circular_content(draft)["named"] == [] and circular_content(draft)["missed"] == []
    assert draft.opening == "经研究，现将有关情况通报如下：" and draft.requirements == "（一）立即整改。"
    assert draft.edited_by == officer
    assert Circular.objects.filter(issuer=computed.county, period="2023-03").count() == 1


def test_refresh_never_touches_a_published_circular(computed, draft, publish):
    published = publish(draft)
    before = Circular.objects.values().get(pk=published.pk)
    _fix_d2(computed)
    rankings_compute(period=MARCH)

    assert Circular.objects.values().get(pk=published.pk) == before
    # No new draft either: a correction is the officer's decision.
    assert list(Circular.objects.filter(issuer=computed.county, period="2023-03")) == [published]


def test_a_correction_draft_is_refreshed_too(computed, draft, publish, officer):
    correction = circular_revise(circular=publish(draft), user=officer)
    _fix_d2(computed)
    rankings_compute(period=MARCH)
    correction.refresh_from_db()
    assert _rate(correction) == 1 and correction.revision == 2


def _queries(period) -> tuple[list[str], dict]:
    with CaptureQueriesContext(connection) as captured:
        counts = circulars_refresh(period=period)
    return [q["sql"] for q in captured], counts


def _reads(sql: list[str]) -> int:
    return sum(1 for q in sql if q.startswith("SELECT") and "LIMIT 1" not in q)


def test_refresh_runs_a_constant_number_of_queries(computed):
    few, counts = _queries(MARCH)
    assert counts == {"drafts_created": 0, "drafts_refreshed": 2, "drafts_removed": 0}
    for i in range(4):
        county = GovernmentFactory(name=f"新{i}县人民政府", parent=computed.city)
        AgencyFactory(name=f"新{i}县公安局", parent=county)
    rankings_compute(period=MARCH)
    many, counts = _queries(MARCH)
    assert counts["drafts_refreshed"] == 6
    assert _reads(many) == _reads(few), "reading does not grow with the number of issuers"
    assert len(many) == len(few), "one write for all the drafts"
    assert all(c.content == {} for c in Circular.objects.filter(period=str(MARCH))), "drafts copy nothing"


def test_a_draft_lists_the_missed_obligations_of_the_live_data(computed, draft):
    assert [m["case_number"] for m in circular_content(draft)["missed"]] == [computed.k1.number]
    _fix_d2(computed)  # before any recomputation: the preview already shows what publishing would freeze
    assert circular_content(draft)["missed"] == []


def test_a_published_circular_keeps_the_missed_obligations_it_was_published_with(computed, draft, publish):
    published = publish(draft)
    _fix_d2(computed)
    published.refresh_from_db()
    assert [m["case_number"] for m in circular_content(published)["missed"]] == [computed.k1.number]


def test_every_draft_of_the_period_is_stamped_by_a_recomputation(computed, draft):
    before = (draft.updated_at, draft.computed_at)
    rankings_compute(period=MARCH)
    draft.refresh_from_db()
    assert draft.updated_at > before[0] and draft.computed_at > before[1]


def test_a_correction_whose_issuer_has_no_ranking_any_more_says_so(computed, draft, publish, officer):
    correction = circular_revise(circular=publish(draft), user=officer)
    for department in (computed.d1, computed.d2):
        agency_update(agency=department, active_until=datetime.date(2023, 2, 28))
    rankings_compute(period=MARCH)  # the county has no active department in March any more

    correction.refresh_from_db()
    assert correction.computed_at is None
    shown = circular_content(correction)
    assert shown["rankings"] == [] and shown["missed"] == []
    text = circular_html(correction)
    assert "本期尚无排名数据" in text
    assert "无被通报批评单位" not in text and "本期无负责人未出庭应诉案件" not in text
