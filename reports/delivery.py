"""Delivery of a published circular: in-app notices, emails and signed webhooks.

Publication enqueues `circular_deliver_task` with transaction.on_commit; everything here runs after
the circular is committed, and a failure here is logged and retried, never undoing or holding back
the publication. Webhooks: one task per endpoint, POSTing the circular as JSON with
`X-Signature: sha256=<HMAC-SHA256 hex of the raw body, keyed with the endpoint's secret>`, retried
with exponential backoff up to WEBHOOK_MAX_RETRIES times; every attempt is a WebhookDelivery row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import smtplib
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import OperationalError
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from agencies.choices import UserRole
from agencies.models import User

from .circular_models import Circular, CircularStatus, Notice, WebhookDelivery, WebhookEndpoint
from .circulars import circular_payload

logger = logging.getLogger(__name__)

WEBHOOK_EVENT = "circular.published"
WEBHOOK_MAX_RETRIES = 5  # six attempts in all
WEBHOOK_TIMEOUT = 10  # seconds per attempt
EMAIL_MAX_RETRIES = 3


def webhook_backoff(retries: int) -> int:
    """Seconds before the next attempt: 30, 60, 120, 240, 480 (capped at an hour)."""
    return min(30 * 2**retries, 3600)


def enqueue_delivery(circular_id: int) -> None:
    """Called by transaction.on_commit after publication: queue the delivery; a broker that is down
    (or, with eager tasks, a failing delivery) is logged, never raised into the publishing request."""
    try:
        circular_deliver_task.delay(circular_id)
    except Exception:
        logger.exception("delivery of circular %s could not be queued", circular_id)


# ---- who receives what ----------------------------------------------------------------------------


def _published(circular_id: int) -> Circular | None:
    return (
        Circular.objects.filter(pk=circular_id, status=CircularStatus.PUBLISHED)
        .select_related("issuer")
        .first()
    )


def readers_q(circular: Circular) -> Q:
    """Users who may see this published circular (reports.circular_selectors, read the other way
    round): superusers; officers and agency users of an agency above, at or below the issuer; API
    clients of an agency at or above it."""
    issuer = circular.issuer
    above = Q(agency_id__in=issuer.ancestor_ids())
    below = Q(agency__path__startswith=issuer.path)
    return (
        Q(is_superuser=True)
        | Q(role__in=[UserRole.OFFICER, UserRole.AGENCY]) & (above | below)
        | Q(role=UserRole.API_CLIENT) & above
    )


def _named_ids(circular: Circular) -> set[int]:
    return {n["agency"] for n in (circular.content or {}).get("named", [])}


def notices_create(circular: Circular) -> int:
    """In-app notices: every subscriber who may see the circular, and the users of the named
    members (who are told so). Idempotent (one notice per user and circular)."""
    named = _named_ids(circular)
    users = User.objects.filter(is_active=True).filter(
        readers_q(circular)
        & (Q(circular_subscription__isnull=False) | Q(agency_id__in=named, role=UserRole.AGENCY))
    )
    base = _("%(number)s《%(title)s》已发布。") % {"number": circular.number, "title": circular.title}
    notices = [
        Notice(
            user_id=user_id,
            circular=circular,
            text=(base + _("贵单位被通报批评，请按通报要求整改。")) if agency_id in named else base,
        )
        for user_id, agency_id in users.values_list("id", "agency_id").distinct()
    ]
    Notice.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)


def email_recipients(circular: Circular) -> list[str]:
    """The named members' contact addresses (Agency.email) and the subscribers who chose email."""
    from agencies.models import Agency

    addresses = list(
        Agency.objects.filter(pk__in=_named_ids(circular)).exclude(email="").values_list("email", flat=True)
    )
    addresses += list(
        User.objects.filter(readers_q(circular), is_active=True, circular_subscription__email=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(a.strip() for a in addresses if a.strip()))


def email_message(circular: Circular, address: str, pdf: bytes | None) -> EmailMessage:
    with translation.override("zh-hans"):  # official mail, in Chinese
        return _email_message(circular, address, pdf)


def _email_message(circular: Circular, address: str, pdf: bytes | None) -> EmailMessage:
    subject = _("【通报】%(number)s %(title)s") % {"number": circular.number, "title": circular.title}
    named = "、".join(n["agency_name"] for n in circular.content.get("named", [])) or _("无")
    body = "\n".join(
        [
            circular.addressee,
            "",
            _("%(signature)s于%(date)s印发%(number)s《%(title)s》。")
            % {
                "signature": circular.signature,
                "date": f"{circular.document_date.year}年{circular.document_date.month}月{circular.document_date.day}日",
                "number": circular.number,
                "title": circular.title,
            },
            _("通报批评：%(named)s") % {"named": named},
            "",
            _("通报全文见附件，也可登录行政应诉工作平台查看。"),
        ]
    )
    message = EmailMessage(subject=subject, body=body, to=[address], from_email=settings.DEFAULT_FROM_EMAIL)
    if pdf:
        message.attach(f"{circular.number}.pdf", pdf, "application/pdf")
    return message


# ---- tasks ------------------------------------------------------------------------------------


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def circular_deliver_task(self, circular_id: int) -> dict:
    """Fan out one publication: notices now, then one email task and one task per webhook endpoint."""
    circular = _published(circular_id)
    if circular is None:
        return {}
    counts = {"notices": notices_create(circular), "webhooks": 0}
    try:
        circular_email_task.delay(circular_id)
    except Exception:
        logger.exception("emails of circular %s failed", circular_id)
    endpoints = WebhookEndpoint.objects.filter(active=True, issuer_id__in=circular.issuer.ancestor_ids())
    for endpoint_id in endpoints.values_list("id", flat=True):
        try:
            webhook_deliver_task.delay(endpoint_id, circular_id, uuid.uuid4().hex)
            counts["webhooks"] += 1
        except Exception:
            logger.exception("webhook %s of circular %s failed", endpoint_id, circular_id)
    return counts


@shared_task(bind=True, max_retries=EMAIL_MAX_RETRIES, acks_late=True)
def circular_email_task(self, circular_id: int, addresses: list[str] | None = None) -> int:
    """Email the circular (PDF attached) to each recipient; a retry sends only to those that failed."""
    circular = _published(circular_id)
    if circular is None:
        return 0
    addresses = email_recipients(circular) if addresses is None else addresses
    if not addresses:
        return 0
    try:
        from .documents import circular_pdf

        pdf = circular_pdf(circular)
    except Exception:  # a document problem must not stop the emails
        logger.exception("PDF of circular %s for email failed", circular_id)
        pdf = None
    retries = self.request.retries or 0
    while True:
        failed = _send_emails(circular, addresses, pdf)
        if not failed:
            return len(addresses)
        if retries >= EMAIL_MAX_RETRIES:
            logger.error("emails of circular %s to %s failed for good", circular_id, ", ".join(failed))
            return len(addresses) - len(failed)
        if not self.request.is_eager:
            raise self.retry(
                kwargs={"circular_id": circular_id, "addresses": failed}, countdown=60 * 2**retries
            )
        addresses, retries = failed, retries + 1


def _send_emails(circular: Circular, addresses: list[str], pdf: bytes | None) -> list[str]:
    """Send one message per address; return the addresses that failed."""
    failed = []
    with get_connection() as connection:
        for address in addresses:
            try:
                connection.send_messages([email_message(circular, address, pdf)])
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("email of circular %s to %s failed: %s", circular.pk, address, exc)
                failed.append(address)
    return failed


def webhook_body(circular: Circular, delivery_id: str) -> bytes:
    payload = {"event": WEBHOOK_EVENT, "delivery": delivery_id, "circular": circular_payload(circular)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def sign(secret: str, body: bytes) -> str:
    """The X-Signature header value: sha256=<HMAC-SHA256 hex of the raw body>."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (documented for REST clients; used by the tests)."""
    return hmac.compare_digest(sign(secret, body), header or "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirected POST would arrive as a GET without the body: count it as a failure instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass
class PostResult:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post_signed(url: str, body: bytes, secret: str, delivery_id: str) -> PostResult:
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "litigation-portal-webhook/1",
            "X-Event": WEBHOOK_EVENT,
            "X-Delivery": delivery_id,
            "X-Signature": sign(secret, body),
        },
    )
    started = time.monotonic()
    status, error = None, ""
    try:
        with _opener.open(request, timeout=WEBHOOK_TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    return PostResult(status, error[:2000], int((time.monotonic() - started) * 1000))


def _attempt(endpoint: WebhookEndpoint, circular: Circular, delivery_id: str, attempt: int) -> bool:
    result = post_signed(endpoint.url, webhook_body(circular, delivery_id), endpoint.secret, delivery_id)
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        circular=circular,
        delivery_id=delivery_id,
        attempt=attempt,
        status_code=result.status_code,
        succeeded=result.ok,
        error=result.error,
        duration_ms=result.duration_ms,
        will_retry=not result.ok and attempt <= WEBHOOK_MAX_RETRIES,
    )
    return result.ok


@shared_task(bind=True, max_retries=WEBHOOK_MAX_RETRIES, acks_late=True)
def webhook_deliver_task(self, endpoint_id: int, circular_id: int, delivery_id: str) -> bool:
    """POST the circular to one endpoint; log the attempt; retry a failure with backoff. After the
    last attempt the failure stays in the log (the task itself ends without error). Without a
    broker (eager tasks: development, tests) the retries follow at once instead of waiting."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, active=True).first()
    circular = _published(circular_id)
    if endpoint is None or circular is None:
        return False
    attempt = (self.request.retries or 0) + 1
    while True:
        if _attempt(endpoint, circular, delivery_id, attempt):
            return True
        if attempt > WEBHOOK_MAX_RETRIES:
            logger.warning(
                "webhook %s gave up on circular %s after %s attempts", endpoint.url, circular_id, attempt
            )
            return False
        if not self.request.is_eager:
            raise self.retry(countdown=webhook_backoff(attempt - 1))
        attempt += 1
