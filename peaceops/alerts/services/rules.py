"""Matching announced events against the coordinators' rules; acknowledging and escalating alerts.

Rule matching is generic: a rule names an event kind (any kind an app declares in its events.py) and optional
conditions on the event's facts, so a kind added by another app needs no code here."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.alerts.models import Alert, AlertRule, Severity, Task, pack_roles, unpack_roles
from peaceops.core.events import event_kinds
from peaceops.core.roles import COORDINATOR, ROLES

log = logging.getLogger(__name__)

# Facts copied onto an alert: plain values only (ids, counts, codes), never free text that may name a person.
_PLAIN = (int, float, bool, type(None))


def matches(conditions: dict, facts: dict) -> bool:
    """{"key": value} equality, {"key": [v, ...]} one of, {"min_key": n} at least n."""
    for key, wanted in (conditions or {}).items():
        if key.startswith("min_"):
            have = facts.get(key[4:])
            if not isinstance(have, (int, float)) or have < wanted:
                return False
        elif isinstance(wanted, list):
            if facts.get(key) not in wanted and str(facts.get(key)) not in [str(w) for w in wanted]:
                return False
        elif facts.get(key) != wanted and str(facts.get(key)) != str(wanted):
            return False
    return True


def _subject(subject) -> tuple[str, str, str]:
    if subject is None:
        return "", "", ""
    meta = subject._meta
    link = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""
    return f"{meta.app_label}.{meta.model_name}", str(subject.pk), link


def summary_for(kind: str, facts: dict, subject_model: str, subject_id: str) -> str:
    label = str(event_kinds().get(kind, kind))
    return (f"{label} ({subject_model.split('.')[-1]} #{subject_id})" if subject_id else label)[:300]


def on_event(kind: str, subject, facts: dict) -> list[Alert]:
    """Raise one alert per active rule the event matches (a rule fires once per `once` key when the event has
    one: a periodic check that finds the same overdue convoy again raises nothing new)."""
    rules = [r for r in AlertRule.objects.filter(kind=kind, active=True).prefetch_related("users")
             if matches(r.conditions, facts)]
    if not rules:
        return []
    subject_model, subject_id, link = _subject(subject)
    link = str(facts.get("link") or link)
    kept = {k: v for k, v in facts.items() if isinstance(v, (*_PLAIN, str)) and k != "link"
            and (not isinstance(v, str) or len(v) <= 80)}
    once = str(facts.get("once", ""))[:200]
    raised = []
    for rule in rules:
        if once and Alert.objects.filter(rule=rule, once=once).exists():
            continue
        raised.append(raise_alert(kind, rule.severity, roles=rule.role_list, users=list(rule.users.all()),
                                  rule=rule, link=link, subject_model=subject_model, subject_id=subject_id,
                                  facts=kept, once=once, email=rule.email, webhook=rule.webhook))
    return raised


def raise_alert(kind: str, severity: str, *, roles=(), users=(), rule=None, link="", subject_model="",
                subject_id="", facts=None, once="", email=False, webhook=False, summary="") -> Alert:
    from peaceops.alerts.services import delivery

    with transaction.atomic():
        alert = Alert.objects.create(
            rule=rule, kind=kind, severity=severity, link=link, subject_model=subject_model,
            subject_id=subject_id, facts=facts or {}, once=once, roles=pack_roles(roles),
            summary=summary or summary_for(kind, facts or {}, subject_model, subject_id),
            webhook_state="pending" if webhook and delivery.webhook_configured() else "")
        if users:
            alert.users.add(*users)
        if email:
            transaction.on_commit(lambda: delivery.email_alert(alert, recipients(alert)))
        if alert.webhook_state == "pending":
            transaction.on_commit(lambda: delivery.queue_webhook(alert))
    return alert


def recipients(alert: Alert, roles=None) -> list:
    """The active accounts an alert is addressed to: its roles' members and its named people, or (with `roles`)
    those roles' members only (the people an escalation adds)."""
    User = get_user_model()
    if roles is None:
        wanted = User.objects.filter(groups__name__in=alert.role_list) | User.objects.filter(
            pk__in=alert.users.values("pk"))
    else:
        wanted = User.objects.filter(groups__name__in=list(roles))
    return list(User.objects.filter(is_active=True, pk__in=wanted.values("pk")).order_by("username"))


@transaction.atomic
def acknowledge(alert: Alert, user) -> Alert:
    """A named person takes the alert: it stops counting as open and will not escalate."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if not Alert.objects.visible_to(user).filter(pk=alert.pk).exists():
        raise ValidationError(_("This alert is not addressed to you."))
    if alert.acknowledged_at:
        raise ValidationError(_("%(user)s acknowledged this alert already.") % {"user": alert.acknowledged_by})
    alert.acknowledged_by, alert.acknowledged_at = user, timezone.now()
    alert.save()
    return alert


def escalate_alerts(now: dt.datetime | None = None) -> int:
    """Unacknowledged alerts past their rule's time go to its escalation roles (coordinators by default)."""
    from peaceops.alerts.services import delivery

    now = now or timezone.now()
    count = 0
    candidates = (Alert.objects.open().filter(escalated_at__isnull=True, rule__escalate_after__isnull=False)
                  .select_related("rule"))
    for alert in candidates:
        if alert.created_at + dt.timedelta(minutes=alert.rule.escalate_after) > now:
            continue
        further = alert.rule.escalate_role_list or [COORDINATOR]
        with transaction.atomic():
            updated = Alert.objects.filter(pk=alert.pk, escalated_at__isnull=True, acknowledged_at__isnull=True)
            if not updated.exists():
                continue
            alert.roles = pack_roles(alert.role_list + further)
            alert.escalated_at = now
            alert.save()
            if alert.rule.email:
                new_roles = [r for r in further if r in ROLES]
                transaction.on_commit(lambda a=alert, r=new_roles: delivery.email_alert(
                    a, recipients(a, roles=r), escalated=True))
        count += 1
    return count


def escalate_tasks(now: dt.datetime | None = None) -> int:
    """A task past its due time and not closed: its owner and the coordinators get an alert, once."""
    now = now or timezone.now()
    count = 0
    for task in Task.objects.live().filter(due_at__lt=now, escalated_at__isnull=True).select_related("owner"):
        with transaction.atomic():
            task.escalated_at = now
            task.save()
            raise_alert("alerts.task_overdue", Severity.WARNING, roles=[COORDINATOR], users=[task.owner],
                        link=f"/alerts/tasks/{task.pk}/", subject_model="alerts.task", subject_id=str(task.pk),
                        facts={"task": task.pk, "kind": task.kind}, once=f"task-{task.pk}")
        count += 1
    return count


def escalate(now: dt.datetime | None = None) -> dict:
    return {"alerts": escalate_alerts(now), "tasks": escalate_tasks(now)}


def validate_rule(kind: str, conditions, roles, escalate_to) -> None:
    if kind not in event_kinds():
        raise ValidationError(_("Unknown event “%(kind)s”.") % {"kind": kind})
    if not isinstance(conditions, dict):
        raise ValidationError(_("Conditions are a JSON object such as {\"district\": 12}."))
    unknown = (set(roles) | set(escalate_to)) - set(ROLES)
    if unknown:
        raise ValidationError(_("Unknown roles: %(roles)s.") % {"roles": ", ".join(sorted(unknown))})


@transaction.atomic
def create_rule(name: str, kind: str, *, conditions=None, severity=Severity.WARNING, roles=(), users=(),
                email=False, webhook=False, escalate_after=None, escalate_to=(), user=None) -> AlertRule:
    conditions = conditions or {}
    validate_rule(kind, conditions, roles, escalate_to)
    if not roles and not users:
        raise ValidationError(_("Say who is told: at least one role or person."))
    rule = AlertRule.objects.create(name=name, kind=kind, conditions=conditions, severity=severity,
                                    roles=pack_roles(roles), email=email, webhook=webhook,
                                    escalate_after=escalate_after, escalate_to=pack_roles(escalate_to),
                                    created_by=user if getattr(user, "pk", None) else None)
    if users:
        rule.users.add(*users)
    return rule


__all__ = ["acknowledge", "create_rule", "escalate", "matches", "on_event", "raise_alert", "recipients",
           "unpack_roles"]
