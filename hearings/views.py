"""Hearing pages: the list, scheduling, the hearing sheet, the detail and the agencies' filings.

Reads go through hearings.selectors (outside the user's scope is a 404), writes through
hearings.services; the obligation status is read from hearings.obligations, never recomputed here.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from agencies.choices import ROLE_PRECEDENCE
from agencies.models import Position
from agencies.scope import agencies_visible_to, courts_visible_to
from cases.models import Defendant
from cases.permissions import can_view_history
from cases.selectors import cases_visible_to
from cases.views import (
    apply_service_errors,
    form_error_summary,
    history_entries,
    labelled,
    last_change,
    readers_only,
)
from litigation.dates import local_today
from litigation.errors import StaleVersion

from . import services
from .choices import HearingStatus
from .filtersets import HearingFilterSet
from .forms import AbsenceForm, DefendantSheetForm, FilingForm, HearingForm, PersonFormSet, SheetForm
from .models import AbsenceExplanation, Appearance, HeadFiling, Hearing
from .permissions import can_file_for_agency, can_write_hearing
from .selectors import hearing_list as select_hearings
from .selectors import hearing_sheet, hearings_visible_to
from .templatetags.hearings_tags import is_upcoming, person_label

PAGE_SIZE = 50


def _get_hearing(user, pk: int) -> Hearing:
    return get_object_or_404(hearings_visible_to(user).select_related("case", "case__court"), pk=pk)


@readers_only
def hearing_list(request):
    """Upcoming hearings first (soonest first), then past ones (latest first)."""
    today = local_today()
    data = request.GET.copy()
    if data.get("number"):
        data["number"] = data["number"].strip().replace("(", "（").replace(")", "）")
    hearings = (
        select_hearings(user=request.user)
        .annotate(
            past=Case(When(date__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()),
            upcoming_date=Case(When(date__gte=today, then=F("date")), default=None),
        )
        .order_by("past", "upcoming_date", "-date", "time", "id")
    )
    filterset = HearingFilterSet(data or None, queryset=hearings)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_write = can_write_hearing(request.user)
    for hearing in page.object_list:
        hearing.upcoming = is_upcoming(hearing)
    return render(
        request,
        "hearings/list.html",
        {
            "filterset": filterset,
            "page": page,
            "today": today,
            "courts": courts_visible_to(request.user),
            "agencies": agencies_visible_to(request.user).select_related("parent"),
            "statuses": HearingStatus.choices,
            "can_write": can_write,
        },
    )


def _hearing_form_page(request, *, case, hearing: Hearing | None):
    data = request.POST if request.method == "POST" else None
    initial = (
        {name: getattr(hearing, name) for name in services.HEARING_FIELDS} | {"version": hearing.version}
        if hearing
        else {"status": HearingStatus.SCHEDULED}
    )
    form = HearingForm(data, initial=initial)
    summary, stale = [], None
    if data is not None and form.is_valid():
        try:
            if hearing is None:
                saved = services.hearing_create(case=case, **form.service_fields())
            else:
                saved = services.hearing_update(
                    hearing=hearing, version=form.cleaned_data["version"], **form.service_fields()
                )
        except StaleVersion as exc:
            hearing.refresh_from_db()
            summary, stale = [str(exc)], {"latest": last_change(hearing)}
        except ValidationError as exc:
            if hearing is not None:
                hearing.refresh_from_db()
            summary = apply_service_errors(exc, form)
        else:
            messages.success(
                request,
                _("已安排 %(date)s 开庭。") % {"date": saved.date.isoformat()}
                if hearing is None
                else _("开庭信息已保存。"),
            )
            return redirect("hearings:detail", pk=saved.pk)
    elif data is not None:
        summary = form_error_summary(form)
    return render(
        request,
        "hearings/form.html",
        {"case": case, "hearing": hearing, "form": form, "summary": summary, "stale": stale},
        status=409 if stale else (400 if summary else 200),
    )


@login_required
def hearing_create(request, case_pk: int):
    case = get_object_or_404(cases_visible_to(request.user).select_related("court"), pk=case_pk)
    if not can_write_hearing(request.user, case=case):
        raise PermissionDenied
    return _hearing_form_page(request, case=case, hearing=None)


@login_required
def hearing_edit(request, pk: int):
    hearing = _get_hearing(request.user, pk)
    if not can_write_hearing(request.user, hearing):
        raise PermissionDenied
    return _hearing_form_page(request, case=hearing.case, hearing=hearing)


# --- the hearing sheet -------------------------------------------------------------------------


def _precedence(post: Position) -> int:
    return ROLE_PRECEDENCE[post.role]


def _sheet_blocks(hearing: Hearing, sheet: dict, data=None) -> list[SimpleNamespace]:
    """One block per defendant: the officials who held a post in that agency on the hearing date
    (heads first), the people recorded by name, the absence explanation and the filed head."""
    agency_ids = [d.agency_id for d in sheet["obligations"]]
    posts: dict[int, dict[int, Position]] = {pk: {} for pk in agency_ids}
    for post in (
        Position.objects.held_on(hearing.date).filter(agency_id__in=agency_ids).select_related("official")
    ):
        best = posts[post.agency_id].get(post.official_id)
        if best is None or _precedence(post) < _precedence(best):
            posts[post.agency_id][post.official_id] = post
    blocks = []
    for defendant in sheet["obligations"]:
        agency_id = defendant.agency_id
        mine = [a for a in sheet["appearances"] if a.agency_id == agency_id]
        filing = next((f for f in sheet["filings"] if f.agency_id == agency_id), None)
        absence = next((a for a in sheet["absences"] if a.agency_id == agency_id), None)
        rows = [
            SimpleNamespace(
                official=post.official,
                is_head=post.is_head,
                label=person_label(post.official.name, post.role, post.title),
                filed=filing is not None and filing.official_id == post.official_id,
            )
            for post in sorted(posts[agency_id].values(), key=lambda p: (_precedence(p), p.official.name))
        ]
        listed = {row.official.pk for row in rows}
        for appearance in mine:  # recorded earlier, but no post that day (e.g. a post changed since)
            if appearance.official_id and appearance.official_id not in listed:
                listed.add(appearance.official_id)
                rows.append(
                    SimpleNamespace(
                        official=appearance.official,
                        is_head=False,
                        label=person_label(appearance.official.name, appearance.role),
                        filed=False,
                    )
                )
        prefix = f"d{agency_id}"
        form = DefendantSheetForm(
            data,
            prefix=prefix,
            officials={row.official.pk: row.official for row in rows},
            initial={
                "present": [str(a.official_id) for a in mine if a.official_id],
                "spoke": [str(a.official_id) for a in mine if a.official_id and a.spoke],
                "absence_reason": absence.reason if absence else "",
                "explanation_filed": absence.explanation_filed if absence else False,
                "absence_detail": absence.detail if absence else "",
            },
        )
        people = PersonFormSet(
            data,
            prefix=f"{prefix}-p",
            initial=[
                {"person_name": a.person_name, "capacity": a.capacity, "spoke": a.spoke}
                for a in mine
                if not a.official_id
            ],
        )
        present = {str(v) for v in (form["present"].value() or ())}
        spoke = {str(v) for v in (form["spoke"].value() or ())}
        for row in rows:
            row.present = str(row.official.pk) in present
            row.spoke = str(row.official.pk) in spoke
        blocks.append(
            SimpleNamespace(
                defendant=defendant,
                agency=defendant.agency,
                prefix=prefix,
                heads=[r for r in rows if r.is_head],
                others=[r for r in rows if not r.is_head],
                form=form,
                people=people,
                filing=filing,
                filing_label=next((r.label for r in rows if r.filed), None),
                errors=[],
            )
        )
    return blocks


def _sheets(blocks) -> list[services.DefendantSheet]:
    result = []
    for block in blocks:
        data = block.form.cleaned_data
        people = [
            services.PersonInput(official=official, spoke=spoke) for official, spoke in block.form.chosen()
        ]
        people += [
            services.PersonInput(
                person_name=row.cleaned_data["person_name"],
                capacity=row.cleaned_data["capacity"],
                spoke=row.cleaned_data["spoke"],
            )
            for row in block.people.forms
            if row.cleaned_data.get("person_name", "").strip()
        ]
        absence = (
            services.AbsenceInput(
                reason=data["absence_reason"],
                explanation_filed=data["explanation_filed"],
                detail=data["absence_detail"],
            )
            if data["absence_reason"]
            else None
        )
        result.append(services.DefendantSheet(agency=block.agency, people=people, absence=absence))
    return result


def _form_errors(blocks) -> list[str]:
    """The blocks' input errors, beside each block and, naming the agency, for the top."""
    summary = []
    row_label = _("按姓名登记的第%(n)d行")
    for block in blocks:
        lines = form_error_summary(block.form)
        for index, row in enumerate(block.people.forms, start=1):
            lines += [f"{row_label % {'n': index}} {line}" for line in form_error_summary(row)]
        block.errors += lines
        summary += [labelled(block.agency.name, line) for line in lines]
    return summary


def _service_errors(exc: ValidationError, sheet_form, blocks) -> list[str]:
    """hearing_record names the agency at the start of each per-defendant message: put each message
    next to its block (and the status error next to the status); every message also goes on top."""
    summary = []
    for key, errors in exc.message_dict.items():
        for error in errors:
            summary.append(error)
            block = next((b for b in blocks if error.startswith(f"{b.agency.name}：")), None)
            if block is not None:
                block.errors.append(error[len(block.agency.name) + 1 :])
            elif key in sheet_form.fields:
                sheet_form.add_error(key, error)
    return summary


@login_required
def hearing_sheet_page(request, pk: int):
    """The hearing sheet: record a hearing as held and who appeared for each defendant, all at once."""
    hearing = _get_hearing(request.user, pk)
    if not can_write_hearing(request.user, hearing):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    status = hearing.status
    if status == HearingStatus.SCHEDULED and hearing.date <= local_today():
        status = HearingStatus.HELD  # on the day, the sheet is filled to record a held hearing
    sheet_form = SheetForm(
        data, initial={"status": status, "head_required": hearing.head_required, "version": hearing.version}
    )
    sheet = hearing_sheet(hearing=hearing)
    blocks = _sheet_blocks(hearing, sheet, data)
    summary, stale = [], None
    if data is not None:
        valid = sheet_form.is_valid()
        for block in blocks:
            valid = block.form.is_valid() & block.people.is_valid() & valid
        if valid:
            try:
                services.hearing_record(
                    hearing=hearing,
                    version=sheet_form.cleaned_data["version"],
                    status=sheet_form.cleaned_data["status"],
                    head_required=sheet_form.cleaned_data["head_required"],
                    sheets=_sheets(blocks),
                )
            except StaleVersion as exc:
                summary, stale = [str(exc)], {"latest": last_change(hearing)}
            except ValidationError as exc:
                summary = _service_errors(exc, sheet_form, blocks)
            else:
                messages.success(request, _("庭审记录已保存。"))
                return redirect("hearings:detail", pk=hearing.pk)
            hearing.refresh_from_db()
        else:
            summary = form_error_summary(sheet_form) + _form_errors(blocks)
    return render(
        request,
        "hearings/sheet.html",
        {
            "hearing": hearing,
            "case": hearing.case,
            "sheet_form": sheet_form,
            "blocks": blocks,
            "summary": summary,
            "stale": stale,
        },
        status=409 if stale else (400 if summary else 200),
    )


# --- detail and the agencies' filings ----------------------------------------------------------


@readers_only
def hearing_detail(request, pk: int):
    user = request.user
    hearing = _get_hearing(user, pk)
    sheet = hearing_sheet(hearing=hearing)
    blocks = [
        SimpleNamespace(
            defendant=d,
            agency=d.agency,
            appearances=[a for a in sheet["appearances"] if a.agency_id == d.agency_id],
            absence=next((a for a in sheet["absences"] if a.agency_id == d.agency_id), None),
            filing=next((f for f in sheet["filings"] if f.agency_id == d.agency_id), None),
            can_file=can_file_for_agency(user, d.agency),
        )
        for d in sheet["obligations"]
    ]
    history = None
    if can_view_history(user):
        history = history_entries(
            (Hearing.history.filter(id=hearing.pk), ()),
            (Appearance.history.filter(hearing_id=hearing.pk), ("agency", "official", "person_name")),
            (AbsenceExplanation.history.filter(hearing_id=hearing.pk), ("agency",)),
            (HeadFiling.history.filter(hearing_id=hearing.pk), ("agency",)),
        )
    return render(
        request,
        "hearings/detail.html",
        {
            "hearing": hearing,
            "case": hearing.case,
            "blocks": blocks,
            "others": hearings_visible_to(user).filter(case_id=hearing.case_id).exclude(pk=hearing.pk),
            "upcoming": is_upcoming(hearing),
            "can_write": can_write_hearing(user, hearing),
            "history": history,
        },
    )


@login_required
def hearing_filing(request, pk: int, agency_pk: int):
    """An agency files the head who will appear and/or explains why no head can appear."""
    hearing = _get_hearing(request.user, pk)
    defendant = get_object_or_404(
        Defendant.objects.select_related("agency"), case_id=hearing.case_id, agency_id=agency_pk
    )
    agency = defendant.agency
    if not can_file_for_agency(request.user, agency):
        raise PermissionDenied
    posts = sorted(
        Position.objects.held_on(hearing.date).heads().filter(agency=agency).select_related("official"),
        key=lambda p: (_precedence(p), p.official.name),
    )
    heads: dict[int, str] = {}
    for post in posts:  # an official with two head posts is offered once, with the higher one
        heads.setdefault(post.official_id, person_label(post.official.name, post.role, post.title))
    filing = HeadFiling.objects.filter(hearing=hearing, agency=agency).select_related("official").first()
    absence = AbsenceExplanation.objects.filter(hearing=hearing, agency=agency).first()
    can_file_head = is_upcoming(hearing)
    can_explain = hearing.status != HearingStatus.CANCELLED
    action = request.POST.get("action") if request.method == "POST" else None
    filing_form = FilingForm(
        request.POST if action == "filing" else None,
        heads=list(heads.items()),
        initial={"official": filing.official_id if filing else None},
    )
    absence_form = AbsenceForm(
        request.POST if action == "absence" else None,
        initial={
            "reason": absence.reason,
            "explanation_filed": absence.explanation_filed,
            "detail": absence.detail,
        }
        if absence
        else None,
    )
    summary = []
    if action == "filing" and not can_file_head:
        summary = [_("该庭审不是待开庭状态或开庭日期已过，不能再备案出庭负责人。")]
    elif action == "absence" and not can_explain:
        summary = [_("该庭审已取消，无需提交情况说明。")]
    elif action in ("filing", "absence"):
        form = filing_form if action == "filing" else absence_form
        if form.is_valid():
            officials = {p.official_id: p.official for p in posts}
            try:
                if action == "filing":
                    services.head_filing_set(
                        hearing=hearing, agency=agency, official=officials[form.cleaned_data["official"]]
                    )
                else:
                    services.absence_set(hearing=hearing, agency=agency, **form.cleaned_data)
            except ValidationError as exc:
                summary = apply_service_errors(exc, form)
            else:
                messages.success(
                    request, _("出庭负责人已备案。") if action == "filing" else _("情况说明已提交。")
                )
                return redirect("hearings:detail", pk=hearing.pk)
        else:
            summary = form_error_summary(form)
    elif action is not None:
        summary = [_("无法识别的操作。")]
    return render(
        request,
        "hearings/filing.html",
        {
            "hearing": hearing,
            "case": hearing.case,
            "agency": agency,
            "filing": filing,
            "absence": absence,
            "filing_form": filing_form,
            "absence_form": absence_form,
            "can_file_head": can_file_head,
            "can_explain": can_explain,
            "summary": summary,
        },
        status=400 if summary else 200,
    )
