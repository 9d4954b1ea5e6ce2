"""Matching announced events against the coordinators' rules; acknowledging and escalating alerts.

Rule matching is generic: a rule names an event kind (any kind an app declares in its events.py) and optional
conditions on the event's facts, so a kind added by another app needs no code here."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.alerts.models import Alert, AlertRule, Severity, Task, pack_roles, unpack_roles
from peaceops.api.prepared import Prepared
from peaceops.core.events import event_kinds
from peaceops.core.roles import COORDINATOR, ROLES, can

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


_ACTIVE_CONDITIONS = Prepared(AlertRule, lambda kind: AlertRule.objects.filter(kind=kind, active=True)
                              .values("id", "conditions"))


def on_event(kind: str, subject, facts: dict) -> list[Alert]:
    """Raise one alert per active rule the event matches (a rule fires once per `once` key when the event has
    one: a periodic check that finds the same overdue convoy again raises nothing new)."""
    # Most events match no rule (a filing without casualties against rules that want them): the active rules'
    # conditions are read by a query compiled once per connection, and the rules themselves only when one matches,
    # read again with their people and matched again, so an edit in between is seen as a single read would see it.
    wanted = [row["id"] for row in _ACTIVE_CONDITIONS(kind) if matches(row["conditions"], facts)]
    if not wanted:
        return []
    rules = [r for r in AlertRule.objects.filter(pk__in=wanted, kind=kind, active=True).prefetch_related("users")
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


def _email_escalation(alert: Alert, roles: list[str]) -> None:
    """After the commit: the e-mail to the people an escalation adds (looked up then)."""
    from peaceops.alerts.services import delivery

    delivery.email_alert(alert, recipients(alert, roles=roles), escalated=True)


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
                transaction.on_commit(partial(_email_escalation, alert, new_roles))
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
    for key, wanted in conditions.items():
        # A condition the matcher could not compare would break every event of the kind, not just this rule.
        if key.startswith("min_") and (isinstance(wanted, bool) or not isinstance(wanted, (int, float))):
            raise ValidationError(_("“%(key)s” is a number: the least value that fires the rule.") % {"key": key})
        values = wanted if isinstance(wanted, list) else [wanted]
        if not key or not values or not all(isinstance(v, (*_PLAIN, str)) for v in values):
            raise ValidationError(_("Condition “%(key)s”: give a value or a list of values (numbers or text).")
                                  % {"key": key})
    unknown = (set(roles) | set(escalate_to)) - set(ROLES)
    if unknown:
        raise ValidationError(_("Unknown roles: %(roles)s.") % {"roles": ", ".join(sorted(unknown))})


def _require_manager(user) -> None:
    """A person changing a rule must be one who sets rules (the pages and the API check this first; the service
    holds the rule for the command line and any other caller). No user: the system (`peaceops alerts`)."""
    if user is not None and not can(user, "alerts.manage_rules"):
        raise ValidationError(_("Only a coordinator sets alert rules."))


def _check_told(roles, users) -> None:
    if not roles and not users:
        raise ValidationError(_("Say who is told: at least one role or person."))


@transaction.atomic
def create_rule(name: str, kind: str, *, conditions=None, severity=Severity.WARNING, roles=(), users=(),
                email=False, webhook=False, escalate_after=None, escalate_to=(), user=None) -> AlertRule:
    conditions = conditions or {}
    validate_rule(kind, conditions, roles, escalate_to)
    _check_told(roles, users)
    rule = AlertRule.objects.create(name=name, kind=kind, conditions=conditions, severity=severity,
                                    roles=pack_roles(roles), email=email, webhook=webhook,
                                    escalate_after=escalate_after, escalate_to=pack_roles(escalate_to),
                                    created_by=user if getattr(user, "pk", None) else None)
    if users:
        rule.users.add(*users)
    return rule


# What an edit may change, and nothing else (not who created the rule, not whether it is active).
EDITABLE = ("name", "kind", "conditions", "severity", "roles", "users", "email", "webhook", "escalate_after",
            "escalate_to")


def _current(rule: AlertRule) -> dict:
    return {"name": rule.name, "kind": rule.kind, "conditions": rule.conditions, "severity": rule.severity,
            "roles": rule.role_list, "users": sorted(rule.users.values_list("pk", flat=True)),
            "email": rule.email, "webhook": rule.webhook, "escalate_after": rule.escalate_after,
            "escalate_to": rule.escalate_role_list}


def _by(rule: AlertRule, user) -> None:
    """The version names who changed it, from the command line as from a page (where middleware also does)."""
    if getattr(user, "pk", None):
        rule._history_user = user  # type: ignore[attr-defined]  # read by simple-history, which is untyped


def _locked_rule(rule: AlertRule) -> AlertRule:
    return AlertRule.objects.select_for_update().get(pk=rule.pk)


@transaction.atomic
def edit_rule(rule: AlertRule, user=None, **changes) -> AlertRule:
    """Change a rule's fields, checked as a new rule is; nothing is written unless the whole edit is valid.

    Only the given fields change (`users` is the full list of people told). The next event is matched against the
    edited rule; alerts already raised keep what they said and whom they told (an open one escalates by the
    rule's escalation time as it stands when the check runs). One saved version per edit: the rule's history
    (people told included) and the audit chain, through the normal save."""
    _require_manager(user)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These are not fields of an alert rule: %(fields)s.") % {
            "fields": ", ".join(sorted(unknown))})
    rule = _locked_rule(rule)
    before = _current(rule)
    after = dict(before)
    for key, value in changes.items():
        if key in ("roles", "escalate_to"):
            value = sorted({str(r).strip() for r in (value or ()) if str(r).strip()})
        elif key == "users":
            value = sorted({getattr(u, "pk", u) for u in (value or ())})
        elif key == "conditions":
            value = {} if value is None else value
        elif key == "name":
            value = str(value or "").strip()
        elif key == "severity" and value not in Severity.values:
            raise ValidationError(_("Unknown severity “%(severity)s”: one of %(choices)s.") % {
                "severity": value, "choices": ", ".join(Severity.values)})
        elif key in ("email", "webhook") and not isinstance(value, bool):
            raise ValidationError(_("“%(field)s” is true or false.") % {"field": key})
        elif key == "escalate_after" and value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ValidationError(_("Escalate after a whole number of minutes, at least 1 (or never)."))
        after[key] = value
    if not after["name"]:
        raise ValidationError(_("Give the rule a name."))
    max_length = AlertRule._meta.get_field("name").max_length
    if max_length is not None and len(after["name"]) > max_length:
        raise ValidationError(_("The name is too long."))
    validate_rule(after["kind"], after["conditions"], after["roles"], after["escalate_to"])
    _check_told(after["roles"], after["users"])
    people = list(get_user_model().objects.filter(pk__in=after["users"]))
    if len(people) != len(after["users"]):
        raise ValidationError(_("Some of the people told have no account here."))
    changed = [key for key in EDITABLE if after[key] != before[key]]
    if not changed:
        return rule
    rule.name, rule.kind, rule.conditions, rule.severity = (after["name"], after["kind"], after["conditions"],
                                                            after["severity"])
    rule.roles, rule.escalate_to = pack_roles(after["roles"]), pack_roles(after["escalate_to"])
    rule.email, rule.webhook, rule.escalate_after = after["email"], after["webhook"], after["escalate_after"]
    if "users" in changed:
        # The save below writes the one version, people included (simple-history's own flag; it is untyped).
        rule.skip_history_when_saving = True  # type: ignore[attr-defined]
        try:
            rule.users.set(people)
        finally:
            del rule.skip_history_when_saving  # type: ignore[attr-defined]
    rule._change_reason = ("edited: " + ", ".join(changed))[:100]  # type: ignore[attr-defined]  # simple-history
    _by(rule, user)
    rule.save()
    return rule


@transaction.atomic
def set_rule_active(rule: AlertRule, active: bool, user=None, reason: str = "") -> AlertRule:
    """Deactivate (the rule raises nothing until reactivated) or reactivate a rule. The rule, its history and the
    alerts it raised stay; open alerts it raised before stay open and escalate as set."""
    _require_manager(user)
    rule = _locked_rule(rule)
    if rule.active == active:
        raise ValidationError(_("The rule “%(name)s” is already active.") % {"name": rule.name} if active else
                              _("The rule “%(name)s” is already inactive.") % {"name": rule.name})
    rule.active = active
    reason = (reason or "").strip()[:100]
    change = ("reactivated" if active else "deactivated") + (f": {reason}" if reason else "")
    rule._change_reason = change  # type: ignore[attr-defined]  # read by simple-history, untyped
    _by(rule, user)
    rule.save()
    return rule


def deactivate_rule(rule: AlertRule, user=None, reason: str = "") -> AlertRule:
    return set_rule_active(rule, False, user, reason)


def reactivate_rule(rule: AlertRule, user=None, reason: str = "") -> AlertRule:
    return set_rule_active(rule, True, user, reason)


__all__ = ["acknowledge", "create_rule", "deactivate_rule", "edit_rule", "escalate", "matches", "on_event",
           "raise_alert", "reactivate_rule", "recipients", "unpack_roles"]
