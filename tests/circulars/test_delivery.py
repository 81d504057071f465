"""Delivery after publication: emails, in-app notices and signed webhooks, retried and logged,
never holding publication back."""

import json
import smtplib
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.db import transaction

from agencies.choices import UserRole
from agencies.services import agency_update
from reports import delivery
from reports.circular_models import (
    Circular,
    CircularStatus,
    CircularSubscription,
    Notice,
    WebhookDelivery,
    WebhookEndpoint,
)
from reports.circulars import circular_publish
from reports.delivery import WEBHOOK_MAX_RETRIES, verify_signature
from tests.factories import UserFactory


class Receiver:
    """A tiny HTTP receiver on 127.0.0.1 answering every POST with `status`."""

    def __init__(self, status: int = 200):
        self.requests: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"boom")

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def subscribers(computed, officer):
    officer.email = "officer@example.gov.cn"
    officer.save()
    CircularSubscription.objects.create(user=officer)
    d1_user = UserFactory(role=UserRole.AGENCY, agency=computed.d1, email="d1@example.gov.cn")
    CircularSubscription.objects.create(user=d1_user)
    d2_user = UserFactory(role=UserRole.AGENCY, agency=computed.d2, email="d2-user@example.gov.cn")
    bystander = UserFactory(role=UserRole.AGENCY, agency=computed.d1, email="other@example.gov.cn")
    outsider = UserFactory(role=UserRole.OFFICER, agency=computed.city, email="city@example.gov.cn")
    agency_update(agency=computed.d2, email="d2@example.gov.cn")
    return d1_user, d2_user, bystander, outsider


def test_emails_go_to_named_members_and_subscribers(draft, publish, subscribers):
    published = publish(draft)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["d1@example.gov.cn", "d2@example.gov.cn", "officer@example.gov.cn"]
    message = mail.outbox[0]
    assert published.number in message.subject and published.title in message.subject
    assert "D2局" in message.body
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF") and name == f"{published.number}.pdf"


def test_notices_for_subscribers_and_the_named_members_users(draft, publish, subscribers, officer, client):
    d1_user, d2_user, bystander, outsider = subscribers
    published = publish(draft)
    notices = {n.user_id: n.text for n in Notice.objects.filter(circular=published)}
    assert set(notices) == {officer.pk, d1_user.pk, d2_user.pk}
    assert "通报批评" in notices[d2_user.pk] and "通报批评" not in notices[d1_user.pk]
    assert published.number in notices[officer.pk]

    client.force_login(d2_user)
    page = client.get("/circulars/notices/")
    assert "通报批评" in page.content.decode()
    client.get(f"/circulars/{published.pk}/")  # opening the circular reads the notice
    assert Notice.objects.get(user=d2_user).read_at is not None


def test_webhook_is_signed_and_logged(computed, draft, publish):
    with Receiver(200) as receiver:
        # Registered for the city: circulars issued in its scope reach it.
        endpoint = WebhookEndpoint.objects.create(issuer=computed.city, url=receiver.url)
        published = publish(draft)
    ((headers, body),) = receiver.requests
    assert verify_signature(endpoint.secret, body, headers["X-Signature"])
    assert headers["X-Signature"].startswith("sha256=")
    assert not verify_signature("wrong-secret", body, headers["X-Signature"])
    payload = json.loads(body)
    assert payload["event"] == "circular.published"
    assert payload["circular"]["number"] == published.number and payload["circular"]["status"] == "published"
    assert payload["delivery"] == headers["X-Delivery"]
    (log,) = WebhookDelivery.objects.all()
    assert (log.attempt, log.status_code, log.succeeded, log.will_retry) == (1, 200, True, False)


def test_a_failing_receiver_is_retried_and_logged_and_publication_stands(computed, draft, publish):
    with Receiver(500) as receiver:
        WebhookEndpoint.objects.create(issuer=computed.county, url=receiver.url)
        published = publish(draft)
    assert len(receiver.requests) == WEBHOOK_MAX_RETRIES + 1
    logs = list(WebhookDelivery.objects.order_by("attempt"))
    assert [d.attempt for d in logs] == list(range(1, WEBHOOK_MAX_RETRIES + 2))
    assert all(d.status_code == 500 and not d.succeeded for d in logs)
    assert [d.will_retry for d in logs] == [True] * WEBHOOK_MAX_RETRIES + [False]
    assert len({d.delivery_id for d in logs}) == 1  # one delivery, several attempts
    assert Circular.objects.get(pk=published.pk).status == CircularStatus.PUBLISHED


def test_backoff_doubles():
    assert [delivery.webhook_backoff(n) for n in range(5)] == [30, 60, 120, 240, 480]


def test_an_unreachable_receiver_is_logged(computed, draft, publish):
    with Receiver(200) as receiver:
        url = receiver.url
    WebhookEndpoint.objects.create(issuer=computed.county, url=url)  # nobody listens there now
    publish(draft)
    logs = WebhookDelivery.objects.all()
    assert logs.count() == WEBHOOK_MAX_RETRIES + 1
    assert all(d.status_code is None and d.error for d in logs)


def test_a_broken_queue_never_blocks_publication(draft, publish, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(delivery.circular_deliver_task, "delay", broken)
    published = publish(draft)
    assert Circular.objects.get(pk=published.pk).status == CircularStatus.PUBLISHED


def test_inactive_endpoints_and_other_scopes_get_nothing(computed, draft, publish, users):
    with Receiver(200) as receiver:
        WebhookEndpoint.objects.create(issuer=computed.county, url=receiver.url, active=False)
        WebhookEndpoint.objects.create(issuer=users.other_officer.agency, url=receiver.url)
        publish(draft)
    assert receiver.requests == []


def test_a_failed_email_is_retried_for_that_address_only(draft, publish, subscribers, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    send = EmailBackend.send_messages
    failures = {"d2@example.gov.cn": 1}  # the first try to this address fails

    def flaky(self, messages):
        (address,) = messages[0].to
        if failures.get(address):
            failures[address] -= 1
            raise smtplib.SMTPServerDisconnected("connection lost")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    publish(draft)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["d1@example.gov.cn", "d2@example.gov.cn", "officer@example.gov.cn"]


def test_nothing_is_delivered_when_publication_rolls_back(
    draft, officer, subscribers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            circular_publish(circular=draft, user=officer)
            raise RuntimeError("the request failed after publishing")
    assert callbacks == [] and mail.outbox == [] and not Notice.objects.exists()
    assert Circular.objects.get(pk=draft.pk).status == CircularStatus.DRAFT
