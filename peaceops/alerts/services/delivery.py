"""Telling people: e-mail through Django's mail backends, and a webhook signed with a shared secret.

The webhook's body carries no personal data: the alert's id, kind, severity, time and link. Its signature is the
HMAC-SHA256 of the exact body under PEACEOPS_ALERT_WEBHOOK_SECRET, sent as `X-PeaceOps-Signature: sha256=<hex>`
so the receiver can check both origin and integrity. Failed calls are retried by the background worker with
exponential backoff (peaceops.alerts.tasks.deliver_webhook)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from peaceops.alerts.models import Alert
from peaceops.core.booking import book

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-PeaceOps-Signature"


def absolute(link: str) -> str:
    base = settings.PEACEOPS_ALERT_BASE_URL.rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def email_alert(alert: Alert, people, escalated: bool = False) -> int:
    """One message to each recipient with an address; a mail server's failure is logged, never raised into the
    write that caused the alert."""
    addresses = sorted({p.email for p in people if p.email})
    if not addresses:
        return 0
    subject = (_("[PeaceOps] Escalated: %(summary)s") if escalated else _("[PeaceOps] %(summary)s")) % {
        "summary": alert.summary}
    body = "\n".join([alert.summary, _("Severity: %(severity)s") % {"severity": alert.get_severity_display()},
                      _("Open: %(link)s") % {"link": absolute(alert.link or f"/alerts/{alert.pk}/")},
                      _("Acknowledge it at %(link)s") % {"link": absolute(f"/alerts/{alert.pk}/")}])
    try:
        return send_mail(subject[:200], body, None, addresses)
    except Exception as exc:  # noqa: BLE001 — any backend error; the alert stays on screen regardless
        log.error("alert %s: e-mail not sent: %s", alert.pk, exc)
        return 0


def webhook_configured() -> bool:
    return bool(settings.PEACEOPS_ALERT_WEBHOOK_URL)


def webhook_body(alert: Alert) -> bytes:
    return json.dumps({"id": str(alert.uuid), "kind": alert.kind, "severity": alert.severity,
                       "created": alert.created_at.isoformat(), "link": absolute(alert.link)},
                      sort_keys=True, separators=(",", ":")).encode()


def sign(body: bytes, secret: str | None = None) -> str:
    key = (secret if secret is not None else settings.PEACEOPS_ALERT_WEBHOOK_SECRET).encode()
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def post(url: str, body: bytes, headers: dict, timeout: float = 10.0) -> int:
    """POST and return the status; raises on a network error (tests replace this or point it at a local server)."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 — an http(s) URL checked in settings
        return response.status


def send_webhook(alert: Alert) -> tuple[bool, str]:
    """One attempt: (delivered, error)."""
    body = webhook_body(alert)
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body),
               "User-Agent": "PeaceOps-alerts"}
    try:
        status = post(settings.PEACEOPS_ALERT_WEBHOOK_URL, body, headers)
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return False, str(getattr(exc, "reason", exc))[:300]
    return (200 <= status < 300), "" if 200 <= status < 300 else f"HTTP {status}"


def backoff_seconds(attempt: int) -> int:
    """Seconds before attempt `attempt + 1`: base, 2×base, 4×base, … capped at an hour."""
    return min(settings.PEACEOPS_ALERT_WEBHOOK_BACKOFF * 2 ** max(attempt - 1, 0), 3600)


def queue_webhook(alert: Alert) -> None:
    try:
        book("alerts.deliver_webhook", alert.pk)
    except Exception as exc:  # noqa: BLE001 — the periodic check re-queues pending deliveries
        log.error("alert %s: webhook not queued: %s", alert.pk, exc)
