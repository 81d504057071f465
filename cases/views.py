"""Case pages: list and search, create and edit (whole or not at all), detail with its history.

Reads go through cases.selectors (an object outside the user's scope is a 404), writes through
cases.services; who may write is decided in cases.permissions.
"""

from functools import wraps
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.audit import Names, build_entries
from agencies.models import Court
from agencies.scope import agencies_visible_to, courts_visible_to
from litigation.errors import StaleVersion

from . import services
from .case_numbers import parse_case_number
from .filtersets import CaseFilterSet
from .forms import CaseForm, defendant_formset
from .models import Case, Defendant, Domain
from .permissions import can_read_cases, can_view_history, can_write_cases
from .selectors import case_list as select_cases
from .selectors import cases_visible_to

PAGE_SIZE = 50


# --- change history (django-simple-history), shared with the hearing pages -------------------


def history_entries(*sources) -> list:
    """Who changed what and when on one page's objects, newest first (agencies.audit renders the diffs).

    Each source is `(historical queryset, label fields)`: the foreign keys or fields that name an
    object in the list (a defendant by its agency). One query per source and per model named.
    """
    names = Names()
    pairs, labels = [], []
    for queryset, label_fields in sources:
        model = queryset.model.instance_type
        fields = [model._meta.get_field(name) for name in label_fields]
        before: dict[int, object] = {}
        for record in queryset.select_related("history_user").order_by("id", "history_date", "history_id"):
            pairs.append((record, before.get(record.id)))
            before[record.id] = record
            for f in fields:
                if f.many_to_one:
                    names.want(f.related_model, getattr(record, f.attname))
            labels.append((model, fields))
    entries = build_entries(pairs, names)
    shown = []
    for entry, (model, fields) in zip(entries, labels, strict=True):
        if entry.kind == "~" and not entry.changes:
            continue  # a save that changed nothing visible
        values = [
            names.get(f.related_model, getattr(entry.record, f.attname))
            if f.many_to_one
            else getattr(entry.record, f.attname)
            for f in fields
            if getattr(entry.record, f.attname) not in (None, "")
        ]
        entry.source = SimpleNamespace(label=model._meta.verbose_name)
        entry.title = "、".join(str(v) for v in values)
        shown.append(entry)
    shown.sort(key=lambda e: (e.date, e.record.history_id), reverse=True)
    return shown


def last_change(obj) -> dict | None:
    """Who saved `obj` last and when (shown with a stale-version message)."""
    record = obj.history.select_related("history_user").order_by("-history_date").first()
    if record is None:
        return None
    user = record.history_user
    return {
        "who": (user.get_full_name() or user.username) if user else _("系统"),
        "when": record.history_date,
    }


def labelled(label, message) -> str:
    """A message named by what it is about: "案号：…"."""
    return _("%(label)s：%(message)s") % {"label": label, "message": message}


def form_error_summary(form) -> list[str]:
    """Every error of a bound form as "label：message", for the list at the top of the page."""
    return [
        labelled(form.fields[name].label, message) if name in form.fields else message
        for name, messages_ in form.errors.items()
        for message in messages_
    ]


def apply_service_errors(exc: ValidationError, form, extra: dict | None = None) -> list[str]:
    """Put a service's errors next to the fields they name; return every message for the top."""
    extra = extra if extra is not None else {}
    rename = getattr(form, "FIELD_OF_ERROR", {})
    summary = []
    for key, messages_ in exc.message_dict.items():
        name = rename.get(key, key)
        for message in messages_:
            if name in form.fields:
                label = form.fields[name].label
                summary.append(labelled(label, message))
                form.add_error(name, message)
            elif name in extra:
                extra[name].append(message)
                summary.append(message)
            else:
                summary.append(message)
                form.add_error(None, message)
    return summary


# --- pages ---------------------------------------------------------------------------------


def _writable_courts(user):
    return Court.objects.all() if user.is_superuser else user.courts.all()


def readers_only(view):
    """Signed-in users whose role reads cases (API clients do not); the querysets do the scoping."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_read_cases(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@readers_only
def case_list(request):
    cases = select_cases(user=request.user)
    number = request.GET.get("number", "").strip()
    if number:
        # A complete 案号 of a case the user may see opens it directly.
        try:
            exact = str(parse_case_number(number))
        except ValidationError:
            exact = None
        if exact:
            hit = cases_visible_to(request.user).filter(number=exact).values_list("pk", flat=True).first()
            other_filters = any(value for key, value in request.GET.items() if key != "number")
            if hit and not other_filters:
                return redirect("cases:detail", pk=hit)
    filterset = CaseFilterSet(request.GET or None, queryset=cases)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cases/list.html",
        {
            "filterset": filterset,
            "page": page,
            "courts": courts_visible_to(request.user),
            "domains": Domain.objects.all(),
            "agencies": agencies_visible_to(request.user).select_related("parent"),
            "can_create": can_write_cases(request.user),
        },
    )


def _case_form_page(request, *, case: Case | None):
    user = request.user
    courts = _writable_courts(user)
    agencies = agencies_visible_to(user)
    data = request.POST if request.method == "POST" else None
    if case is None:
        initial = {"court": courts.first()} if courts.count() == 1 else {}
        form = CaseForm(data, courts=courts, initial=initial)
        formset = defendant_formset(data=data, agencies=agencies)
    else:
        initial = {
            **{name: getattr(case, name) for name in services.CASE_FIELDS if name != "previous_case"},
            "previous_number": case.previous_case.number if case.previous_case_id else "",
            "version": case.version,
        }
        form = CaseForm(data, courts=courts, instance=case, initial=initial)
        formset = defendant_formset(data=data, agencies=agencies, defendants=case.defendants.order_by("id"))
    summary: list[str] = []
    errors = {"defendants": []}
    stale = None
    if data is not None:
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if form_ok and formset_ok:
            try:
                if case is None:
                    saved = services.case_create(**form.service_fields(), defendants=formset.inputs())
                else:
                    saved = services.case_update(
                        case=case,
                        version=form.cleaned_data["version"],
                        defendants=formset.inputs(),
                        **form.service_fields(),
                    )
            except StaleVersion as exc:
                case.refresh_from_db()
                summary.append(str(exc))
                stale = {"latest": last_change(case)}
            except ValidationError as exc:
                if case is not None:
                    case.refresh_from_db()
                summary = apply_service_errors(exc, form, errors)
            else:
                messages.success(
                    request,
                    (_("案件 %(number)s 已登记。") if case is None else _("案件 %(number)s 已保存。"))
                    % {"number": saved.number},
                )
                return redirect("cases:detail", pk=saved.pk)
        else:
            summary = form_error_summary(form) + list(formset.non_form_errors())
            for index, row in enumerate(formset.forms, start=1):
                label = _("第%(n)d个被告") % {"n": index}
                summary += [f"{label} {line}" for line in form_error_summary(row)]
    return render(
        request,
        "cases/form.html",
        {
            "case": case,
            "form": form,
            "formset": formset,
            "summary": summary,
            "defendant_errors": errors["defendants"],
            "stale": stale,
        },
        status=409 if stale else (400 if summary else 200),
    )


@login_required
def case_create(request):
    if not can_write_cases(request.user):
        raise PermissionDenied
    return _case_form_page(request, case=None)


@login_required
def case_edit(request, pk: int):
    case = get_object_or_404(cases_visible_to(request.user).select_related("previous_case"), pk=pk)
    if not can_write_cases(request.user, court=case.court):
        raise PermissionDenied
    return _case_form_page(request, case=case)


@readers_only
def case_detail(request, pk: int):
    user = request.user
    case = get_object_or_404(cases_visible_to(user).select_related("court", "domain", "previous_case"), pk=pk)
    later = list(Case.objects.filter(previous_case=case).order_by("filed_on", "id"))
    linked_ids = [c.pk for c in later] + ([case.previous_case_id] if case.previous_case_id else [])
    visible = set(cases_visible_to(user).filter(pk__in=linked_ids).values_list("pk", flat=True))
    history = None
    if can_view_history(user):
        history = history_entries(
            (Case.history.filter(id=case.pk), ()),
            (Defendant.history.filter(case_id=case.pk), ("agency",)),
        )
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "later": later,
            "visible_ids": visible,
            "can_edit": can_write_cases(user, court=case.court),
            "history": history,
            "edit_url": reverse("cases:edit", args=[case.pk]),
        },
    )
