"""Users, stored rankings and a small HTML reader for the dashboard tests."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.utils import timezone

from agencies.choices import AgencyKind, UserRole
from agencies.services import agency_create
from reports.models import RankingRow, RankingTable
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The ranking jobs keep their locks in the cache: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def other_county(worked_example):
    """A second county under the city: outside county C's officer's scope."""
    return agency_create(name="E县人民政府", kind=AgencyKind.GOVERNMENT, parent=worked_example.city)


@pytest.fixture
def city_officer(worked_example):
    return UserFactory(role=UserRole.OFFICER, agency=worked_example.city, username="city_officer")


@pytest.fixture
def d1_user(worked_example):
    return UserFactory(role=UserRole.AGENCY, agency=worked_example.d1, username="d1user")


@pytest.fixture
def api_client_user(worked_example):
    return UserFactory(role=UserRole.API_CLIENT, agency=worked_example.city, username="api")


def store_ranking(issuer, period: str, kind: str, ranks: dict, *, stale: bool = False, named=()):
    """A stored ranking table with the given ranks ({agency: rank or None}), as the job stores it."""
    from reports.periods import Period

    p = Period.parse(period)
    table = RankingTable.objects.create(
        period=period,
        period_kind=p.kind.value,
        period_start=p.start,
        period_end=p.end,
        issuer=issuer,
        member_kind=kind,
        computed_at=timezone.make_aware(datetime.datetime(p.end.year, p.end.month, p.end.day, 23, 0)),
        stale=stale,
        summary={"obligations": 10, "head_attended": 9, "attendance_rate": "9/10"},
    )
    ordered = sorted(ranks.items(), key=lambda item: (item[1] is None, item[1] or 0, item[0].name))
    for position, (agency, rank) in enumerate(ordered, start=1):
        attended = 1 if rank is not None and agency not in named else 0
        RankingRow.objects.create(
            table=table,
            agency=agency,
            position=position,
            rank=rank,
            obligations=1 if rank is not None else 0,
            named=agency in named,
            figures={
                "obligations": 1 if rank is not None else 0,
                "head_attended": attended,
                "attendance_rate": (f"{attended}/1" if rank is not None else None),
            },
        )
    return table


class _Collector(HTMLParser):
    def __init__(self, tag: str, css_class: str):
        super().__init__()
        self.tag, self.css_class = tag, css_class
        self.found: list[dict] = []
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for item in self._open:
            if tag == item["tag"]:
                item["depth"] += 1
        if tag == self.tag and self.css_class in (attrs.get("class") or "").split():
            item = {"tag": tag, "depth": 1, "text": [], "attrs": attrs, "html": []}
            self._open.append(item)
            self.found.append(item)

    def handle_endtag(self, tag):
        for item in list(self._open):
            if tag == item["tag"]:
                item["depth"] -= 1
                if item["depth"] == 0:
                    self._open.remove(item)

    def handle_data(self, data):
        for item in self._open:
            item["text"].append(data)


def elements(html: str, tag: str, css_class: str) -> list[dict]:
    """Every `tag` with the CSS class: {"text": its text, whitespace collapsed; "attrs": ...}."""
    parser = _Collector(tag, css_class)
    parser.feed(html)
    return [{"text": " ".join("".join(e["text"]).split()), "attrs": e["attrs"]} for e in parser.found]


def element_with(html: str, tag: str, css_class: str, containing: str) -> dict:
    matches = [e for e in elements(html, tag, css_class) if containing in e["text"]]
    assert matches, f"no <{tag} class={css_class}> containing {containing!r}"
    return matches[0]
