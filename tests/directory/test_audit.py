"""变更记录: who changed what and when, before → after; the officers' recent-changes page."""

import datetime

from django.urls import reverse
from django.utils import timezone

from agencies.models import Position
from agencies.services import position_update
from cases.services import case_update
from hearings.services import hearing_update
from tests.directory.conftest import acting_as
from tests.factories import UserFactory


def test_position_history_shows_who_when_before_and_after(client, officer, worked_example):
    post = Position.objects.get(official=worked_example.d1_deputy)
    client.force_login(officer)
    # The change goes through the page, i.e. through agencies.services, as an officer would make it.
    client.post(
        reverse("agencies:position_edit", args=[post.pk]),
        {
            "official": worked_example.d1_deputy.pk,
            "agency": worked_example.d1.pk,
            "role": "deputy",
            "title": "常务副局长",
            "start_date": "2020-01-01",
            "end_date": "2024-05-31",
        },
    )
    response = client.get(reverse("agencies:position_history", args=[post.pk]))
    entries = response.context["entries"]
    assert [e.kind for e in entries] == ["~", "+"]
    latest = entries[0]
    assert latest.user == officer
    assert timezone.now() - latest.date < datetime.timedelta(minutes=1)
    changes = {c.field: (c.old, c.new) for c in latest.changes}
    assert changes == {"职务": ("副局长", "常务副局长"), "离任日期": ("—", "2024-05-31")}
    html = response.content.decode()
    assert (
        "officer" in html
        and latest.date.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") in html
    )
    assert "<del>副局长</del> → <ins>常务副局长</ins>" in html
    # The first record, written by the worked example outside any request, is the system's.
    assert entries[1].user is None and "系统" in html


def test_agency_history_names_the_parent(client, officer, worked_example):
    client.force_login(officer)
    client.post(
        reverse("agencies:edit", args=[worked_example.d1.pk]),
        {"name": "D1局", "kind": "department", "parent": worked_example.d2.pk, "email": "d1@example.cn"},
    )
    entry = client.get(reverse("agencies:history", args=[worked_example.d1.pk])).context["entries"][0]
    changes = {c.field: (c.old, c.new) for c in entry.changes}
    assert changes["上级机关"] == ("C县人民政府", "D2局")
    assert changes["联系邮箱"] == ("—", "d1@example.cn")
    assert entry.user == officer


def test_official_history(client, officer, worked_example):
    client.force_login(officer)
    client.post(
        reverse("agencies:official_edit", args=[worked_example.d1_principal.pk]),
        {"name": "张局长", "phone": "0635-1234567"},
    )
    entry = client.get(reverse("agencies:official_history", args=[worked_example.d1_principal.pk])).context[
        "entries"
    ][0]
    assert [(c.field, c.old, c.new) for c in entry.changes] == [("联系电话", "—", "0635-1234567")]


def test_recent_changes_lists_cases_hearings_appearances_and_posts_in_scope(
    client, officer, liaison, worked_example, other
):
    from agencies.services import position_update as update_post

    with acting_as(liaison):
        case_update(case=worked_example.k1, version=worked_example.k1.version, cause="行政许可")
        hearing_update(hearing=worked_example.h1, version=worked_example.h1.version, courtroom="第三法庭")
    with acting_as(officer):
        update_post(position=other.post, title="局长（已调整）")  # outside C's scope
    client.force_login(officer)
    response = client.get(reverse("agencies:recent_changes"))
    entries = response.context["entries"]
    assert entries[0].source.key == "hearings.hearing" and entries[0].user == liaison
    assert [(c.field, c.old, c.new) for c in entries[0].changes] == [("法庭", "—", "第三法庭")]
    assert entries[1].source.key == "cases.case"
    assert [(c.field, c.old, c.new) for c in entries[1].changes] == [("案由", "行政处罚", "行政许可")]
    assert entries[1].title == worked_example.k1.number
    kinds = {e.source.key for e in entries}
    assert kinds == {
        "hearings.hearing",
        "cases.case",
        "cases.defendant",
        "hearings.appearance",
        "agencies.position",
    }
    titles = " ".join(e.title for e in entries)
    assert "E县公安局" not in titles and "孙局长" not in titles
    html = response.content.decode()
    assert "第三法庭" in html and "liaison" in html

    # A superuser sees the change outside C too.
    root = UserFactory(username="root", role="", is_superuser=True)
    client.force_login(root)
    titles = " ".join(e.title for e in client.get(reverse("agencies:recent_changes")).context["entries"])
    assert "孙局长" in titles


def test_recent_changes_filter_by_kind(client, officer, worked_example):
    client.force_login(officer)
    entries = client.get(reverse("agencies:recent_changes"), {"kind": "agencies.position"}).context["entries"]
    assert entries and {e.source.key for e in entries} == {"agencies.position"}


def test_deleted_case_stays_in_the_log(client, officer, worked_example):
    from cases.services import case_delete

    number = worked_example.k3.number
    case_delete(case=worked_example.k3)
    client.force_login(officer)
    entries = client.get(reverse("agencies:recent_changes"), {"kind": "cases.case"}).context["entries"]
    deleted = [e for e in entries if e.kind == "-"]
    assert [e.title for e in deleted] == [number]
    assert deleted[0].url is None


def test_post_changes_made_in_a_service_are_attributed(client, officer, worked_example):
    post = Position.objects.get(official=worked_example.d2_staff)
    with acting_as(officer):
        position_update(position=post, title="一级科员")
    client.force_login(officer)
    entry = client.get(reverse("agencies:position_history", args=[post.pk])).context["entries"][0]
    assert entry.user == officer and [(c.old, c.new) for c in entry.changes] == [("科员", "一级科员")]
