"""The justice bureau's dashboards: home (the 1+3 headline), trends, rankings, missed obligations,
the wall screen, and their Excel exports.

Views only choose the scope and the period and display: figures come from reports.dashboards, which
reads reports.metrics and the stored rankings. Every page is scoped (an agency outside the user's
scope is a 404), works without JavaScript, exports with `?format=xlsx`, and shows in wall-screen mode
with `?wall=1`.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from litigation.dates import local_today

from . import dashboards, exports
from .periods import Period, PeriodKind
from .services import rankings_enqueue

WALL_REFRESH_SECONDS = 300
BASE = "base.html"
WALL_BASE = "reports/base_wall.html"


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _wall(request) -> bool:
    return request.GET.get("wall") in ("1", "true", "on")


def _period(request, default: Period) -> tuple[Period, str]:
    """The period asked for (`?period=`), or the default with a message saying why."""
    text = (request.GET.get("period") or "").strip()
    if not text:
        return default, ""
    try:
        return Period.parse(text), ""
    except ValidationError as exc:
        return default, " ".join(exc.messages) + _("已显示 %(period)s。") % {"period": default.label()}


def _page(request, *, default_period: Period | None = None):
    """The agency (404 outside the user's scope) and the period every dashboard page starts from."""
    agency = dashboards.dashboard_agency(user=request.user, agency_id=request.GET.get("agency"))
    today = local_today()
    period, period_error = _period(request, default_period or dashboards.default_period(today))
    return agency, period, period_error


def _query(agency, period, **extra) -> str:
    params = {"period": str(period)}
    if agency is not None:
        params["agency"] = agency.pk
    params.update({k: v for k, v in extra.items() if v is not None})
    return urlencode(params)


def _common(request, agency, period, period_error, *, page: str) -> dict:
    today = local_today()
    base = dashboards.scope_root_or_default(request.user)
    return {
        "page": page,
        "today": today,
        "agency": agency,
        "period": period,
        "period_error": period_error,
        "period_groups": dashboards.period_choices(period, today),
        "period_complete": dashboards.is_complete(period, today),
        "previous_period": period.previous(),
        "next_period": period.next() if period.next().start <= today else None,
        "quick_periods": [
            (_("上月"), dashboards.last_complete(PeriodKind.MONTH, today)),
            (_("上季度"), dashboards.last_complete(PeriodKind.QUARTER, today)),
            (_("上年度"), dashboards.last_complete(PeriodKind.YEAR, today)),
        ],
        "agency_choices": dashboards.agency_choices(user=request.user, current=agency),
        "is_own_scope": agency is not None and base is not None and agency.pk == base.pk,
        "query": _query(agency, period),
        "wall": _wall(request),
        "base_template": WALL_BASE if _wall(request) else BASE,
        "refresh_seconds": WALL_REFRESH_SECONDS,
    }


def _no_agency(request):
    return render(request, "reports/no_data.html", {"base_template": BASE}, status=200)


# ---- home --------------------------------------------------------------------------------------


@login_required
def home(request):
    """The 1+3 headline of the user's scope; liaison staff first see their coming hearings."""
    user = request.user
    if not dashboards.can_view_dashboards(user):
        return render(request, "home.html", {"no_dashboard": True, "base_template": BASE})
    if _wall(request):
        return wall(request)
    agency, period, period_error = _page(request)
    if agency is None:
        return _no_agency(request)
    head = dashboards.headline(agency, period)
    if _wants_xlsx(request):
        return exports.xlsx_response(f"{agency.name}-{period}-1+3指标.xlsx", exports.headline_sheets(head))
    context = _common(request, agency, period, period_error, page="home")
    context["headline"] = head
    # The badge counts what the missed list will show: for liaison staff, their courts' cases only.
    context["missed_count"] = (
        dashboards.missed_count(user=user, agency=agency, period=period) if user.is_liaison else head.missed
    )
    context["blocks"] = dashboards.ranking_blocks(agency, period)
    context["own_places"] = dashboards.own_places(agency, period)
    if user.is_liaison or user.is_agency_user:
        context["upcoming"] = dashboards.upcoming_hearings(user=user)
        context["upcoming_days"] = dashboards.UPCOMING_DAYS
    return render(request, "home.html", context)


# ---- trends ------------------------------------------------------------------------------------


@login_required
def trends(request):
    """The last 36 months up to the selected period's last month: charts and the same table."""
    agency, period, period_error = _page(request)
    if agency is None:
        return _no_agency(request)
    series = dashboards.trends(agency, period)
    if _wants_xlsx(request):
        return exports.xlsx_response(
            f"{agency.name}-{series[-1].month}-月度趋势.xlsx", [exports.trends_sheet(agency, series)]
        )
    context = _common(request, agency, period, period_error, page="trends")
    context.update(
        series=series,
        table=list(reversed(series)),
        chart=dashboards.trend_chart_data(series),
        chart_labels={
            "attendance_rate": _("出庭应诉率"),
            "principal_share": _("主要负责人出庭占比"),
            "target": _("目标 100%"),
            "cases_filed": _("新收案件数"),
            "loss_rate": _("败诉率"),
            "cases_unit": _("件"),
            "no_data": _("无数据"),
            "obligations": _("应出庭"),
            "concluded": _("审结"),
            "rate_axis": _("比率（%）"),
            "count_axis": _("案件数（件）"),
        },
        first_month=series[0].month,
        last_month=series[-1].month,
    )
    return render(request, "reports/trends.html", context)


# ---- rankings ----------------------------------------------------------------------------------


@login_required
def rankings(request):
    """The stored rankings the agency issued for the period, with the change of rank."""
    agency, period, period_error = _page(request)
    if agency is None:
        return _no_agency(request)
    blocks = dashboards.ranking_blocks(agency, period)
    if _wants_xlsx(request):
        if not blocks:
            messages.error(request, _("本期排名尚未计算，没有可导出的表格。"))
            return redirect(f"{reverse('dashboard-rankings')}?{_query(agency, period)}")
        return exports.xlsx_response(
            f"{agency.name}-{period}-排名.xlsx", exports.ranking_sheets(agency, period, blocks)
        )
    context = _common(request, agency, period, period_error, page="rankings")
    is_government = agency.kind == "government"
    context.update(
        blocks=blocks,
        own_places=dashboards.own_places(agency, period),
        is_government=is_government,
        can_compute=dashboards.can_compute_rankings(request.user),
        pending=dashboards.computation_pending(period) if is_government and not blocks else False,
        any_stale=any(b.table.stale for b in blocks),
    )
    return render(request, "reports/rankings.html", context)


@login_required
@require_POST
def rankings_compute(request):
    """An officer asks for the period's rankings (every issuer); the job runs after commit."""
    if not dashboards.can_compute_rankings(request.user):
        raise PermissionDenied
    agency = dashboards.dashboard_agency(user=request.user, agency_id=request.POST.get("agency"))
    try:
        period = Period.parse(request.POST.get("period", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dashboard-rankings")
    if dashboards.computation_pending(period):
        messages.info(request, _("%(period)s 的排名正在计算，请稍后刷新本页。") % {"period": period.label()})
    else:
        rankings_enqueue(periods=[period], triggered_by=request.user.get_username())
        messages.success(
            request,
            _("已提交 %(period)s 的排名计算。计算在后台进行，通常一分钟内完成，完成后刷新本页即可看到结果。")
            % {"period": period.label()},
        )
    return redirect(f"{reverse('dashboard-rankings')}?{_query(agency, period)}")


# ---- missed obligations ------------------------------------------------------------------------


@login_required
def missed(request):
    """Every obligation of the period that no head attended, in the (filtered) agency's scope."""
    agency, period, period_error = _page(request)
    if agency is None:
        return _no_agency(request)
    lines = dashboards.missed_lines(user=request.user, agency=agency, period=period)
    if _wants_xlsx(request):
        return exports.xlsx_response(
            f"{agency.name}-{period}-未出庭清单.xlsx", [exports.missed_sheet(agency, period, lines)]
        )
    context = _common(request, agency, period, period_error, page="missed")
    base = dashboards.scope_root_or_default(request.user) or agency
    filter_agencies = list(dashboards.missed_filter_agencies(base))
    if all(a.pk != agency.pk for a in filter_agencies):
        filter_agencies.append(agency)
    for a in filter_agencies:
        a.indent = "　" * max(0, a.depth - base.depth)
    context.update(lines=lines, filter_agencies=filter_agencies, filter_base=base)
    return render(request, "reports/missed.html", context)


# ---- the wall screen ---------------------------------------------------------------------------


@login_required
def wall(request):
    """The office screen: the headline, the rankings and the month's misses in large type,
    refreshed every five minutes, without navigation."""
    agency, period, period_error = _page(request)
    if agency is None:
        return _no_agency(request)
    context = _common(request, agency, period, period_error, page="wall")
    context.update(
        wall=True,
        base_template=WALL_BASE,
        headline=dashboards.headline(agency, period),
        blocks=dashboards.ranking_blocks(agency, period),
        missed_count=dashboards.missed_count(user=request.user, agency=agency, period=period),
    )
    return render(request, "reports/wall.html", context)
