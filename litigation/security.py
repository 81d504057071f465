"""Wrong passwords (django-axes; settings LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_MINUTES,
TRUSTED_PROXY_COUNT): the address an attempt counts against, and what a locked-out login gets (the
API answers JSON, the pages a page in the user's language)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_STATUS = 429


def lockout_minutes() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def lockout_message() -> str:
    return _("密码错误次数过多，该账号在本机已被暂时锁定，请%(minutes)s分钟后再试，或联系管理员。") % {
        "minutes": lockout_minutes()
    }


def client_address(request: HttpRequest) -> str | None:
    """The address a login attempt counts against. Behind TRUSTED_PROXY_COUNT proxies that each append
    the address they received from to X-Forwarded-For, it is the one the outermost trusted proxy
    appended; what a client writes into the header itself lies further left and is ignored."""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= trusted:
            return hops[-trusted]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    retry_after = str(lockout_minutes() * 60)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=LOCKED_STATUS)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": lockout_message(), "failure_limit": settings.AXES_FAILURE_LIMIT},
            status=LOCKED_STATUS,
        )
    response["Retry-After"] = retry_after
    return response
