"""The directory pages: agency tree, officials and their posts, courts, users, and the audit trail.

Reads go through agencies.scope (an object outside the user's scope is a 404); writes go through
agencies.services, for officers in their government's scope and superusers (anyone else: 403).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from litigation.dates import local_today

from . import audit, services
from .choices import PositionRole, UserRole
from .filtersets import AgencyFilterSet, CourtFilterSet, OfficialFilterSet
from .forms import (
    AgencyForm,
    CourtForm,
    FirstPostForm,
    OfficialForm,
    PositionEndForm,
    PositionForm,
    PrincipalChangeForm,
    UserForm,
    apply_errors,
    tree_order,
)
from .models import Agency, Court, Position, User
from .scope import (
    agencies_visible_to,
    can_manage_courts,
    can_manage_directory,
    courts_visible_to,
    has_directory_access,
    officials_manageable_by,
    officials_visible_to,
    positions_visible_to,
)

PAGE_SIZE = 50
ROLE_ORDER = {role: index for index, role in enumerate(PositionRole.values)}
GET_POST = require_http_methods(["GET", "POST"])


# Who may do what ------------------------------------------------------------------------------


def _require_reader(user) -> None:
    if not has_directory_access(user):
        raise PermissionDenied


def _require_writer(user) -> None:
    """Officers of a government and superusers write the directory; everyone else reads."""
    if not can_manage_directory(user):
        raise PermissionDenied


def _is_auditor(user) -> bool:
    """The audit pages are for officers and superusers only."""
    return user.is_superuser or (user.role == UserRole.OFFICER and user.agency_id is not None)


def _require_auditor(user) -> None:
    if not _is_auditor(user):
        raise PermissionDenied


def _writable_agencies(user):
    """Where the user may write: for an officer their government's scope (= what they see), for a
    superuser everything."""
    return agencies_visible_to(user) if can_manage_directory(user) else Agency.objects.none()


def _officials(user):
    """Officials the user sees; a writer also sees those who hold no post yet, to appoint them."""
    return officials_manageable_by(user) if can_manage_directory(user) else officials_visible_to(user)


def _users_in_scope(user):
    """Accounts an officer manages: their scope's users, but not themselves, and not liaison staff,
    whose court assignments reach beyond any one government (superusers manage those)."""
    if user.is_superuser:
        return User.objects.all()
    return User.objects.filter(agency__path__startswith=user.agency.path, is_superuser=False).exclude(
        Q(pk=user.pk) | Q(role=UserRole.LIAISON)
    )


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _principals_on(day: datetime.date, agencies) -> dict[int, Position]:
    """The principal of each agency on `day`, in one query."""
    posts = (
        Position.objects.filter(role=PositionRole.PRINCIPAL, agency__in=agencies)
        .held_on(day)
        .select_related("official")
    )
    return {p.agency_id: p for p in posts}


# Agencies -------------------------------------------------------------------------------------


@login_required
def agency_list(request):
    """The user's government and everything under it, as a tree; or the agencies matching a search."""
    user = request.user
    _require_reader(user)
    visible = agencies_visible_to(user)
    filterset = AgencyFilterSet(request.GET or None, queryset=visible)
    searching = bool(request.GET.get("name") or request.GET.get("kind"))
    columns = ("id", "name", "kind", "parent_id", "path", "depth", "active_from", "active_until")
    if searching:
        # In tree order: by the ids along the path, numerically ("/1/9/" before "/1/10/").
        agencies = sorted(filterset.qs.only(*columns), key=lambda a: a.ancestor_ids())
        rows = [(a, 0) for a in agencies]
        ancestor_ids = {pk for a in agencies for pk in a.ancestor_ids()[:-1]}
        names = dict(visible.filter(pk__in=ancestor_ids).values_list("pk", "name"))
        for agency in agencies:
            agency.breadcrumb = [names[pk] for pk in agency.ancestor_ids()[:-1] if pk in names]
        principals = _principals_on(local_today(), filterset.qs.values("pk"))
    else:
        rows = tree_order(visible.only(*columns))
        principals = _principals_on(local_today(), visible.values("pk"))
    for agency, _level in rows:
        agency.principal = principals.get(agency.pk)
    return render(
        request,
        "agencies/agency_list.html",
        {
            "rows": rows,
            "filter_form": filterset.form,
            "searching": searching,
            "can_write": can_manage_directory(user),
            "today": local_today(),
        },
    )


@login_required
def agency_detail(request, pk: int):
    user = request.user
    _require_reader(user)
    visible = agencies_visible_to(user)
    agency = get_object_or_404(visible.select_related("parent"), pk=pk)
    today = local_today()
    ancestors = list(visible.filter(pk__in=agency.ancestor_ids()[:-1]).order_by("depth"))
    children = [a for a, level in tree_order(agency.children.all()) if level == 0]
    principals = _principals_on(today, [c.pk for c in children])
    for child in children:
        child.principal = principals.get(child.pk)
    posts = sorted(
        agency.positions.select_related("official"),
        key=lambda p: (ROLE_ORDER.get(p.role, 9), p.start_date, p.pk),
    )
    current = [p for p in posts if p.end_date is None or p.end_date >= today]
    past = sorted(
        (p for p in posts if p.end_date is not None and p.end_date < today),
        key=lambda p: p.end_date,
        reverse=True,
    )
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "ancestors": ancestors,
            "children": children,
            "heads": [p for p in current if p.is_head],
            "staff": [p for p in current if not p.is_head],
            "past": past,
            "today": today,
            "can_write": can_manage_directory(user, agency),
            "can_audit": _is_auditor(user),
        },
    )


def _agency_form(request, user, agency: Agency | None):
    parents = _writable_agencies(user)
    locked = bool(agency and not user.is_superuser and agency.pk == user.agency_id)
    kwargs = {"parents": parents, "parent_required": not user.is_superuser, "parent_locked": locked}
    if request.method == "POST":
        return AgencyForm(request.POST, instance=agency, **kwargs)
    initial = {}
    if agency is None and request.GET.get("parent"):
        initial["parent"] = request.GET["parent"]
    return AgencyForm(instance=agency, initial=initial, **kwargs)


@login_required
@GET_POST
def agency_create(request):
    user = request.user
    _require_writer(user)
    form = _agency_form(request, user, None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增机关“%(name)s”。") % {"name": agency.name})
            return HttpResponseRedirect(reverse("agencies:detail", args=[agency.pk]))
    return render(request, "agencies/agency_form.html", {"form": form, "agency": None})


@login_required
@GET_POST
def agency_edit(request, pk: int):
    user = request.user
    _require_writer(user)
    agency = get_object_or_404(_writable_agencies(user), pk=pk)
    form = _agency_form(request, user, agency)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            # Agency.save() keeps the materialized path of the agency and its descendants right.
            services.agency_update(agency=agency, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存机关“%(name)s”。") % {"name": agency.name})
            return HttpResponseRedirect(reverse("agencies:detail", args=[agency.pk]))
    return render(request, "agencies/agency_form.html", {"form": form, "agency": agency})


# Officials and posts --------------------------------------------------------------------------


@login_required
def official_list(request):
    user = request.user
    _require_reader(user)
    today = local_today()
    current = positions_visible_to(user).held_on(today).select_related("agency").order_by("agency__path")
    filterset = OfficialFilterSet(request.GET or None, queryset=_officials(user))
    officials = filterset.qs.order_by("name", "id").prefetch_related(
        Prefetch("positions", queryset=current, to_attr="current_posts")
    )
    return render(
        request,
        "agencies/official_list.html",
        {
            "page": _page(request, officials),
            "filter_form": filterset.form,
            "can_write": can_manage_directory(user),
        },
    )


@login_required
def official_detail(request, pk: int):
    user = request.user
    _require_reader(user)
    official = get_object_or_404(_officials(user), pk=pk)
    posts = list(
        positions_visible_to(user)
        .filter(official=official)
        .select_related("agency")
        .order_by("-start_date", "-id")
    )
    today = local_today()
    for post in posts:
        post.current = post.start_date <= today and (post.end_date is None or post.end_date >= today)
        post.can_write = can_manage_directory(user, post.agency)
    return render(
        request,
        "agencies/official_detail.html",
        {
            "official": official,
            "posts": posts,
            "can_write": can_manage_directory(user),
            "can_audit": _is_auditor(user),
        },
    )


@login_required
@GET_POST
def official_create(request):
    """A new official together with the first post, so that they are in the officer's scope at once."""
    user = request.user
    _require_writer(user)
    agencies = _writable_agencies(user)
    data = request.POST if request.method == "POST" else None
    initial = {"agency": request.GET.get("agency")} if request.GET.get("agency") else {}
    form = OfficialForm(data)
    post_form = FirstPostForm(data, prefix="post", agencies=agencies, initial=initial)
    if data is not None and form.is_valid() and post_form.is_valid():
        try:
            with transaction.atomic():
                official = services.official_create(**form.cleaned_data)
                services.position_create(official=official, **post_form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                post_form.add_error(None, exc)
            for key, errors in getattr(exc, "error_dict", {}).items():
                apply_errors(form if key in form.fields else post_form, ValidationError({key: errors}))
        else:
            messages.success(request, _("已新增人员“%(name)s”。") % {"name": official.name})
            return HttpResponseRedirect(reverse("agencies:official_detail", args=[official.pk]))
    return render(
        request, "agencies/official_form.html", {"form": form, "post_form": post_form, "official": None}
    )


@login_required
@GET_POST
def official_edit(request, pk: int):
    user = request.user
    _require_writer(user)
    official = get_object_or_404(officials_manageable_by(user), pk=pk)
    form = OfficialForm(request.POST or None, instance=official)
    if request.method == "POST" and form.is_valid():
        try:
            services.official_update(official=official, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存人员“%(name)s”。") % {"name": official.name})
            return HttpResponseRedirect(reverse("agencies:official_detail", args=[official.pk]))
    return render(request, "agencies/official_form.html", {"form": form, "official": official})


def _post_saved(request, position: Position, message: str):
    messages.success(request, message)
    return HttpResponseRedirect(reverse("agencies:detail", args=[position.agency_id]))


@login_required
@GET_POST
def position_create(request):
    user = request.user
    _require_writer(user)
    kwargs = {"officials": officials_manageable_by(user), "agencies": _writable_agencies(user)}
    if request.method == "POST":
        form = PositionForm(request.POST, **kwargs)
    else:
        initial = {k: request.GET[k] for k in ("official", "agency", "role") if request.GET.get(k)}
        form = PositionForm(initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(**form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _post_saved(request, position, _("已新增任职：%(post)s。") % {"post": position})
    return render(request, "agencies/position_form.html", {"form": form, "position": None})


@login_required
@GET_POST
def position_edit(request, pk: int):
    user = request.user
    _require_writer(user)
    position = get_object_or_404(positions_visible_to(user).select_related("agency", "official"), pk=pk)
    kwargs = {"officials": officials_manageable_by(user), "agencies": _writable_agencies(user)}
    form = PositionForm(request.POST or None, instance=position, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_update(position=position, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _post_saved(request, position, _("已保存任职：%(post)s。") % {"post": position})
    return render(request, "agencies/position_form.html", {"form": form, "position": position})


@login_required
@GET_POST
def position_end(request, pk: int):
    user = request.user
    _require_writer(user)
    position = get_object_or_404(positions_visible_to(user).select_related("agency", "official"), pk=pk)
    initial = {"end_date": position.end_date or local_today()}
    form = PositionEndForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_end(position=position, end_date=form.cleaned_data["end_date"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _post_saved(
                request,
                position,
                _("%(post)s 的任职截至 %(date)s。")
                % {"post": position, "date": position.end_date.isoformat()},
            )
    return render(request, "agencies/position_end.html", {"form": form, "position": position})


@login_required
@GET_POST
def principal_change(request):
    """更换主要负责人: one form for the usual job, agency + new principal + first day."""
    user = request.user
    _require_writer(user)
    agencies = _writable_agencies(user)
    kwargs = {"agencies": agencies, "officials": officials_manageable_by(user)}
    if request.method == "POST":
        form = PrincipalChangeForm(request.POST, **kwargs)
    else:
        form = PrincipalChangeForm(
            initial={"agency": request.GET.get("agency"), "date": local_today()}, **kwargs
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            position = services.principal_change(**data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s 自 %(date)s 起任%(agency)s主要负责人。")
                % {
                    "name": position.official.name,
                    "date": position.start_date.isoformat(),
                    "agency": position.agency.name,
                },
            )
            return HttpResponseRedirect(reverse("agencies:detail", args=[position.agency_id]))
    # Show who is principal now in the chosen agency, so the officer sees whose post will end.
    chosen = (
        agencies.filter(pk=form["agency"].value()).first()
        if str(form["agency"].value() or "").isdigit()
        else None
    )
    sitting = _principals_on(local_today(), [chosen.pk]).get(chosen.pk) if chosen else None
    return render(
        request, "agencies/principal_change.html", {"form": form, "chosen": chosen, "sitting": sitting}
    )


# Courts ---------------------------------------------------------------------------------------


@login_required
def court_list(request):
    user = request.user
    _require_reader(user)
    filterset = CourtFilterSet(request.GET or None, queryset=courts_visible_to(user))
    return render(
        request,
        "agencies/court_list.html",
        {
            "page": _page(request, filterset.qs.order_by("level", "name")),
            "filter_form": filterset.form,
            "can_write": can_manage_courts(user),
        },
    )


def _court_form(request, court: Court | None):
    form = CourtForm(request.POST or None, instance=court)
    if request.method == "POST" and form.is_valid():
        try:
            if court is None:
                court = services.court_create(**form.cleaned_data)
            else:
                services.court_update(court=court, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存法院“%(name)s”。") % {"name": court.name})
            return HttpResponseRedirect(reverse("agencies:court_list"))
    return render(request, "agencies/court_form.html", {"form": form, "court": court})


@login_required
@GET_POST
def court_create(request):
    if not can_manage_courts(request.user):
        raise PermissionDenied
    return _court_form(request, None)


@login_required
@GET_POST
def court_edit(request, pk: int):
    if not can_manage_courts(request.user):
        raise PermissionDenied
    return _court_form(request, get_object_or_404(courts_visible_to(request.user), pk=pk))


# Users ----------------------------------------------------------------------------------------


@login_required
def user_list(request):
    user = request.user
    _require_writer(user)
    users = _users_in_scope(user).select_related("agency").prefetch_related("courts").order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    role = request.GET.get("role", "")
    if role in UserRole.values:
        users = users.filter(role=role)
    return render(
        request,
        "agencies/user_list.html",
        {"page": _page(request, users), "q": q, "role": role, "roles": UserRole.choices},
    )


def _user_form(request, account: User | None):
    user = request.user
    form = UserForm(
        request.POST or None,
        instance=account,
        agencies=_writable_agencies(user),
        agency_required=not user.is_superuser,
        may_assign_courts=user.is_superuser,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("new_password") or None
        try:
            if account is None:
                account = services.user_create(password=password, **data)
            else:
                services.user_update(user=account, password=password, **data)
        except ValidationError as exc:
            apply_errors(form, exc, rename={"password": "new_password"})
        else:
            messages.success(request, _("已保存用户“%(name)s”。") % {"name": account.username})
            return HttpResponseRedirect(reverse("agencies:user_list"))
    return render(request, "agencies/user_form.html", {"form": form, "account": account})


@login_required
@GET_POST
def user_create(request):
    _require_writer(request.user)
    return _user_form(request, None)


@login_required
@GET_POST
def user_edit(request, pk: int):
    _require_writer(request.user)
    return _user_form(request, get_object_or_404(_users_in_scope(request.user), pk=pk))


# Audit ----------------------------------------------------------------------------------------


def _history_page(request, obj, title: str, back_url: str):
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    entries, has_next = audit.object_history(obj, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return render(
        request,
        "agencies/history.html",
        {
            "object": obj,
            "title": title,
            "back_url": back_url,
            "entries": entries,
            "number": number,
            "has_next": has_next,
        },
    )


@login_required
def agency_history(request, pk: int):
    _require_auditor(request.user)
    agency = get_object_or_404(agencies_visible_to(request.user), pk=pk)
    return _history_page(
        request,
        agency,
        _("%(name)s 的变更记录") % {"name": agency.name},
        reverse("agencies:detail", args=[pk]),
    )


@login_required
def official_history(request, pk: int):
    _require_auditor(request.user)
    official = get_object_or_404(_officials(request.user), pk=pk)
    return _history_page(
        request,
        official,
        _("%(name)s 的变更记录") % {"name": official.name},
        reverse("agencies:official_detail", args=[pk]),
    )


@login_required
def position_history(request, pk: int):
    _require_auditor(request.user)
    position = get_object_or_404(
        positions_visible_to(request.user).select_related("agency", "official"), pk=pk
    )
    return _history_page(
        request,
        position,
        _("任职“%(post)s”的变更记录") % {"post": position},
        reverse("agencies:detail", args=[position.agency_id]),
    )


@login_required
def recent_changes(request):
    """The latest changes to cases, defendants, hearings, appearances and posts in the user's scope."""
    user = request.user
    _require_auditor(user)
    sources = audit.feed_sources()
    kind = request.GET.get("kind", "")
    chosen = [s for s in sources if s.key == kind] or sources
    root = None if user.is_superuser else user.agency
    page = _page(request, audit.feed(root, chosen))
    return render(
        request,
        "agencies/recent_changes.html",
        {
            "page": page,
            "entries": audit.feed_entries(page.object_list, chosen),
            "sources": sources,
            "kind": kind if len(chosen) == 1 else "",
        },
    )
