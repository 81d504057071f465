"""Ranking order, ties, the unranked and the named (METRICS.md "Rankings"), as pure functions."""

import datetime
from dataclasses import dataclass
from fractions import Fraction as F

from reports.rankings import (
    Member,
    Missed,
    Post,
    figure_value,
    figures_for_api,
    figures_to_json,
    interview_entry,
    rank_members,
)


@dataclass(frozen=True)
class Figures:
    """The figures a ranking reads (the real Metrics has more; these functions read only these)."""

    obligations: int
    attendance_rate: F | None
    principal_share: F | None = None
    loss_rate: F | None = None


def member(agency_id, name, obligations, rate, share=None, loss=None):
    return Member(agency_id, name, Figures(obligations, rate, share, loss))


def listing(placed):
    return [(p.member.name, p.rank, p.named) for p in placed]


def test_order_by_rate_then_principal_share_then_loss_rate_then_name():
    placed = rank_members(
        [
            member(1, "A局", 4, F(3, 4), F(1, 2), F(1, 10)),
            member(2, "B局", 4, F(3, 4), F(1, 2), F(1, 20)),  # lower loss rate first
            member(3, "E局", 2, F(1), F(0), None),
            member(4, "D局", 4, F(3, 4), F(2, 3), None),  # higher principal share first
            member(5, "C局", 4, F(3, 4), F(1, 2), None),  # loss rate null: after every number
        ],
        target=F(1),
    )
    assert [p.member.name for p in placed] == ["E局", "D局", "B局", "A局", "C局"]
    assert [p.rank for p in placed] == [1, 2, 3, 4, 5]
    assert [p.named for p in placed] == [False, True, True, True, True]


def test_competition_ranking_1_2_2_4_with_name_order_inside_a_tie():
    placed = rank_members(
        [
            member(1, "B局", 3, F(2, 3), F(1, 2), F(0)),
            member(2, "A局", 6, F(4, 6), F(2, 4), F(0)),  # equal on all three figures (exact fractions)
            member(3, "C局", 1, F(1), F(1), F(0)),
            member(4, "D局", 5, F(1, 5), None, None),
        ],
        target=F(1),
    )
    assert listing(placed) == [("C局", 1, False), ("A局", 2, True), ("B局", 2, True), ("D局", 4, True)]
    assert [p.position for p in placed] == [1, 2, 3, 4]


def test_members_without_obligations_are_last_unranked_and_never_named():
    placed = rank_members(
        [
            member(1, "B局", 0, None),
            member(2, "A局", 0, None),
            member(3, "C局", 2, F(0), None, None),
        ],
        target=F(1),
    )
    assert listing(placed) == [("C局", 1, True), ("A局", None, False), ("B局", None, False)]


def test_the_target_is_configurable(settings):
    members = [member(1, "甲", 10, F(9, 10)), member(2, "乙", 10, F(8, 10))]
    assert [p.named for p in rank_members(members, target=F(9, 10))] == [False, True]
    settings.RANKINGS_NAMED_TARGET = "0.8"
    assert [p.named for p in rank_members(members)] == [False, False]


def test_figures_keep_exact_fractions_and_round_half_to_even_for_display():
    @dataclass(frozen=True)
    class Some:
        obligations: int
        attendance_rate: F | None
        loss_rate: F | None

    stored = figures_to_json(Some(3, F(2, 3), None))
    assert stored == {"obligations": 3, "attendance_rate": "2/3", "loss_rate": None}
    assert figure_value(stored["attendance_rate"]) == F(2, 3)
    shown = figures_for_api(
        {"a": "2/3", "b": "12345/100000", "c": "12355/100000", "d": "1", "e": None, "n": 3}
    )
    assert shown == {"a": 0.6667, "b": 0.1234, "c": 0.1236, "d": 1.0, "e": None, "n": 3}, "half to even"


def test_interview_entry_names_the_principal_and_the_head_responsible_for_each_miss():
    d = datetime.date
    posts = [
        Post(agency_id=10, official_id=1, name="旧局长", start=d(2020, 1, 1), end=d(2023, 2, 14)),
        Post(agency_id=10, official_id=2, name="新局长", start=d(2023, 2, 15), end=None),
    ]
    missed = [
        Missed(
            case_id=7,
            case_number="（2023）鲁1502行初7号",
            agency_id=10,
            agency_name="D局",
            date=d(2023, 3, 2),
        ),
        Missed(
            case_id=5,
            case_number="（2023）鲁1502行初5号",
            agency_id=10,
            agency_name="D局",
            date=d(2023, 2, 1),
        ),
        Missed(
            case_id=6,
            case_number="（2023）鲁1502行初6号",
            agency_id=10,
            agency_name="D局",
            date=d(2023, 3, 1),
            filed_official_id=9,
            filed_name="副局长",
        ),
    ]
    entry = interview_entry(member_id=10, period_end=d(2023, 3, 31), missed=missed, principal_posts=posts)
    assert entry["principal"] == {"official": 2, "name": "新局长", "basis": "principal"}
    assert [(m["case"], m["head"]["name"], m["head"]["basis"]) for m in entry["missed"]] == [
        (5, "旧局长", "principal"),  # the principal on the obligation's date, not today's
        (6, "副局长", "filed"),  # the head filed to appear answers for it
        (7, "新局长", "principal"),
    ]
