"""Hearing panels and labels for other apps' pages (the case page shows its hearings and obligations
through these tags, so that `cases` itself imports nothing from `hearings`)."""

from collections import defaultdict

from django import template
from django.utils.translation import gettext_lazy as _

from agencies.choices import HEAD_ROLES, PositionRole
from litigation.dates import local_today

from ..choices import APPEARANCE_EXTERNAL_ROLE, ExternalCapacity, HearingStatus
from ..models import Appearance
from ..obligations import annotate_appearance_role, obligations_of_case
from ..permissions import can_file_for_agency, can_write_hearing
from ..selectors import hearings_visible_to

register = template.Library()

ROLE_LABELS = {
    PositionRole.PRINCIPAL: _("主要负责人"),
    PositionRole.DEPUTY: _("副职负责人"),
    PositionRole.OTHER_HEAD: _("分管负责人"),
    PositionRole.STAFF: _("工作人员"),
}


def role_label(role: str | None, capacity: str = "") -> str:
    """The short label of a post role, of an outsider's capacity, or of no post at all."""
    if role == APPEARANCE_EXTERNAL_ROLE:
        return (
            str(ExternalCapacity(capacity).label) if capacity in ExternalCapacity.values else str(_("其他"))
        )
    if role in ROLE_LABELS:
        return str(ROLE_LABELS[role])
    return str(_("当日未在该机关任职"))


def person_label(name: str, role: str | None, title: str = "", capacity: str = "") -> str:
    """E.g. "张三（局长·主要负责人）", "钱律师（律师）"."""
    role_text = role_label(role, capacity)
    parts = [title, role_text] if title and title != role_text else [role_text]
    return f"{name}（{'·'.join(parts)}）"


@register.filter
def appearance_label(appearance) -> str:
    """An appearance annotated by `annotate_appearance_role`, labelled with its role."""
    name = appearance.official.name if appearance.official_id else appearance.person_name
    return person_label(name, appearance.role, capacity=appearance.capacity)


@register.filter
def is_head_role(role) -> bool:
    return role in HEAD_ROLES


@register.simple_tag
def case_obligations(case):
    """The case's defendants annotated with the METRICS.md obligation (hearings.obligations)."""
    return list(obligations_of_case(case.pk))


def is_upcoming(hearing) -> bool:
    return hearing.status == HearingStatus.SCHEDULED and hearing.date >= local_today()


@register.inclusion_tag("hearings/_case_hearings.html", takes_context=True)
def case_hearings(context, case):
    """The hearings of a case with who appeared for each defendant, in a fixed number of queries."""
    user = context["request"].user
    hearings = list(hearings_visible_to(user).filter(case_id=case.pk).order_by("date", "time", "id"))
    defendants = list(case.defendants.select_related("agency").order_by("id"))
    order = {d.agency_id: index for index, d in enumerate(defendants)}
    appearances = annotate_appearance_role(
        Appearance.objects.filter(hearing__case_id=case.pk).select_related("agency", "official")
    )
    by_hearing = defaultdict(list)
    for appearance in sorted(appearances, key=lambda a: (order.get(a.agency_id, len(order)), a.pk)):
        by_hearing[appearance.hearing_id].append(appearance)
    can_write = can_write_hearing(user, case=case)
    for hearing in hearings:
        hearing.appearance_list = by_hearing.get(hearing.pk, [])
        hearing.upcoming = is_upcoming(hearing)
    filing_agencies = [d.agency for d in defendants if can_file_for_agency(user, d.agency)]
    return {
        "case": case,
        "hearings": hearings,
        "can_write": can_write,
        "filing_agencies": filing_agencies,
        "request": context["request"],
    }
