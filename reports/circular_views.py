"""Circular pages (通报): list, preview, covering texts, publication, correction, downloads; the
user's notices and subscription; the officers' webhook endpoints and delivery log.

Reads go through reports.circular_selectors (a circular the user may not see is a 404), writes
through reports.circulars. A write refused because the circular is published answers 409 with the
reason on the page, as the API does.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.models import Agency

from . import circulars as services
from .circular_filtersets import CircularFilterSet
from .circular_forms import CircularTextsForm, WebhookEndpointForm
from .circular_models import (
    Circular,
    CircularImmutable,
    CircularKind,
    CircularRegister,
    CircularStatus,
    CircularSubscription,
    Notice,
    WebhookDelivery,
    WebhookEndpoint,
)
from .circular_selectors import (
    can_manage_circular,
    can_manage_circulars,
    can_read_circulars,
    circulars_visible_to,
)
from .documents import circular_html, circular_pdf, circular_xlsx, document_context, document_filename
from .models import RankingTable

PAGE_SIZE = 50
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reader(request) -> None:
    if not can_read_circulars(request.user):
        raise PermissionDenied(_("您的角色不能查看通报。"))


def _visible(request, pk: int) -> Circular:
    _reader(request)
    try:
        return circulars_visible_to(request.user).get(pk=pk)
    except Circular.DoesNotExist:
        raise Http404 from None


def _managed(request, pk: int) -> Circular:
    circular = _visible(request, pk)
    if not can_manage_circular(request.user, circular):
        raise PermissionDenied(_("只有发文机关的司法局工作人员可以编辑、发布或更正通报。"))
    return circular


def _conflict(request, circular: Circular, message: str) -> HttpResponse:
    """The page's answer to a write on a published circular: the circular, the reason, 409."""
    messages.error(request, message)
    return render(request, "reports/circulars/detail.html", _detail_context(request, circular), status=409)


# ---- list and preview ---------------------------------------------------------------------------


@login_required
def circular_list(request):
    _reader(request)
    visible = circulars_visible_to(request.user)
    filterset = CircularFilterSet(request.GET or None, queryset=visible)
    circulars = filterset.qs if filterset.is_bound and filterset.is_valid() else visible
    if filterset.is_bound and not filterset.is_valid():
        circulars = visible.none()
    circulars = circulars.order_by("-period_end", "-period_start", "issuer__path", "-revision", "-id")
    page = Paginator(circulars, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "reports/circulars/list.html",
        {
            "filterset": filterset,
            "page": page,
            "issuers": Agency.objects.filter(pk__in=visible.values("issuer_id")).order_by("path"),
            "kinds": CircularKind.choices,
            "statuses": CircularStatus.choices,
            "can_manage": can_manage_circulars(user),
            "unread": Notice.objects.filter(user=user, read_at__isnull=True).count(),
            "subscription": CircularSubscription.objects.filter(user=user).first(),
        },
    )


def _detail_context(request, circular: Circular) -> dict:
    can_manage = can_manage_circular(request.user, circular)
    revisions = list(
        circulars_visible_to(request.user)
        .filter(issuer_id=circular.issuer_id, period=circular.period)
        .order_by("revision")
    )
    stale = (
        not circular.is_published
        and RankingTable.objects.filter(
            period=circular.period, issuer_id=circular.issuer_id, stale=True
        ).exists()
    )
    return {
        **document_context(circular),
        "circular": circular,
        "can_manage": can_manage,
        "revisions": revisions,
        "stale": stale,
    }


@login_required
def circular_detail(request, pk: int):
    circular = _visible(request, pk)
    Notice.objects.filter(user=request.user, circular=circular, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return render(request, "reports/circulars/detail.html", _detail_context(request, circular))


@login_required
def circular_document(request, pk: int):
    """The document alone, exactly as the PDF is made from it."""
    return HttpResponse(circular_html(_visible(request, pk)))


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def circular_pdf_download(request, pk: int):
    circular = _visible(request, pk)
    return _download(circular_pdf(circular), PDF, document_filename(circular, "pdf"))


@login_required
def circular_xlsx_download(request, pk: int):
    circular = _visible(request, pk)
    return _download(circular_xlsx(circular), XLSX, document_filename(circular, "xlsx"))


# ---- officers' actions ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def circular_edit(request, pk: int):
    circular = _managed(request, pk)
    if circular.is_published:
        return _conflict(request, circular, str(CircularImmutable().args[0]))
    form = CircularTextsForm(request.POST or None, instance=circular)
    if request.method == "POST" and form.is_valid():
        try:
            services.circular_update_texts(
                circular=circular,
                user=request.user,
                **{f: form.cleaned_data[f] for f in services.TEXT_FIELDS},
            )
        except CircularImmutable as exc:
            return _conflict(request, circular, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("已保存通报文字。"))
            return redirect("circulars:detail", pk=circular.pk)
    return render(request, "reports/circulars/edit.html", {"circular": circular, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def circular_publish(request, pk: int):
    circular = _managed(request, pk)
    if circular.is_published:
        return _conflict(request, circular, str(services.AlreadyPublished(circular).args[0]))
    errors = []
    if request.method == "POST":
        try:
            services.circular_publish(circular=circular, user=request.user)
        except CircularImmutable as exc:  # published meanwhile, by someone else
            return _conflict(request, Circular.objects.get(pk=circular.pk), str(exc))
        except ValidationError as exc:
            errors = exc.messages
        else:
            circular = Circular.objects.get(pk=circular.pk)
            messages.success(
                request,
                _("已发布：%(number)s。通知、邮件和推送将在后台发送。") % {"number": circular.number},
            )
            return redirect("circulars:detail", pk=circular.pk)
    today = timezone.localdate()
    register = CircularRegister.objects.filter(issuer_id=circular.issuer_id, year=today.year).first()
    next_number = services.format_number(
        services.issuer_prefix(circular.issuer), today.year, (register.last_number if register else 0) + 1
    )
    return render(
        request,
        "reports/circulars/publish.html",
        {"circular": circular, "next_number": next_number, "errors": errors},
        status=409 if errors else 200,
    )


@login_required
@require_POST
def circular_revise(request, pk: int):
    circular = _managed(request, pk)
    try:
        draft = services.circular_revise(circular=circular, user=request.user)
    except ValidationError as exc:
        return _conflict(request, circular, " ".join(exc.messages))
    messages.success(
        request, _("已创建更正稿（第%(revision)s版），发布后将替代原通报。") % {"revision": draft.revision}
    )
    return redirect("circulars:edit", pk=draft.pk)


@login_required
@require_POST
def circular_discard(request, pk: int):
    circular = _managed(request, pk)
    try:
        services.circular_discard(circular=circular, user=request.user)
    except CircularImmutable as exc:
        return _conflict(request, circular, str(exc))
    messages.success(request, _("已删除草稿。"))
    return redirect("circulars:list")


# ---- notices and subscription -------------------------------------------------------------------


@login_required
def notice_list(request):
    _reader(request)
    notices = Notice.objects.filter(user=request.user).select_related("circular")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/circulars/notices.html", {"page": page})


@login_required
@require_POST
def notices_read(request):
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("circulars:notices")


@login_required
@require_POST
def subscription_toggle(request):
    _reader(request)
    subscription = CircularSubscription.objects.filter(user=request.user).first()
    if subscription is None:
        CircularSubscription.objects.create(user=request.user, email=True)
        if request.user.email:
            messages.success(
                request, _("已订阅：通报发布后将发送邮件到 %(email)s。") % {"email": request.user.email}
            )
        else:
            messages.warning(request, _("已订阅站内通知；您的账号没有邮箱，收不到邮件。"))
    else:
        subscription.delete()
        messages.success(request, _("已取消订阅通报邮件。"))
    return redirect("circulars:list")


# ---- webhooks ------------------------------------------------------------------------------------


def _webhook_issuer(request) -> Agency | None:
    if not can_manage_circulars(request.user):
        raise PermissionDenied(_("只有司法局工作人员可以管理推送地址。"))
    return None if request.user.is_superuser else request.user.agency


@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request):
    issuer = _webhook_issuer(request)
    endpoints = WebhookEndpoint.objects.select_related("issuer").order_by("issuer__path", "id")
    if issuer is not None:
        endpoints = endpoints.filter(issuer=issuer)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST":
        if issuer is None:
            messages.error(request, _("超级用户请在系统配置中登记推送地址并选择所属机关。"))
        elif form.is_valid():
            endpoint = form.save(commit=False)
            endpoint.issuer, endpoint.created_by = issuer, request.user
            endpoint.full_clean()
            endpoint.save()
            messages.success(request, _("已登记推送地址，签名密钥见下表。"))
            return redirect("circulars:webhooks")
    deliveries = (
        WebhookDelivery.objects.filter(endpoint__in=endpoints)
        .select_related("endpoint", "circular")
        .order_by("-created_at", "-id")[:200]
    )
    return render(
        request,
        "reports/circulars/webhooks.html",
        {"endpoints": endpoints, "deliveries": deliveries, "form": form, "issuer": issuer},
    )


@login_required
@require_POST
def webhook_toggle(request, pk: int):
    issuer = _webhook_issuer(request)
    endpoints = (
        WebhookEndpoint.objects.all() if issuer is None else WebhookEndpoint.objects.filter(issuer=issuer)
    )
    endpoint = get_object_or_404(endpoints, pk=pk)
    endpoint.active = not endpoint.active
    endpoint.save(update_fields=["active"])
    return redirect("circulars:webhooks")
