"""Rules turn announced events into alerts for roles and people; only recipients (and coordinators) see them;
a named person acknowledges; unacknowledged alerts escalate after the rule's time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from peaceops.alerts.models import Alert
from peaceops.alerts.services import rules
from peaceops.core import events
from peaceops.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_violation_with_casualties_alerts_the_roles_of_the_rule(rule, file, users, committed):
    rule("ceasefire.casualties", roles=["analyst"], severity="critical")
    with committed():
        quiet = file()  # no casualties: no alert
    assert not Alert.objects.exists()
    with committed():
        incident = file(killed_civilian=1, injured_military=2)
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.link) == ("ceasefire.casualties", "critical",
                                                        f"/ceasefire/incidents/{incident.pk}/")
    assert (alert.subject_model, alert.subject_id) == ("ceasefire.incident", str(incident.pk))
    assert alert.facts["casualties"] == 3 and alert.facts["stage"] == "filed"
    for role, sees in [("analyst", True), ("coordinator", True), ("returns_officer", False), ("monitor", False),
                       ("engineer", False), ("admin", False)]:
        assert Alert.objects.visible_to(users[role]).filter(pk=alert.pk).exists() is sees, role
    assert quiet.pk != incident.pk


def test_verification_with_casualties_alerts_again_with_its_stage(rule, file, users, committed):
    from peaceops.ceasefire import services

    incident = file(killed_military=1)
    rule("ceasefire.casualties", conditions={"stage": "verified"})
    with committed():
        services.claim(incident, users["analyst"])
        services.verify(incident, users["analyst"], "two independent sources")
    assert list(Alert.objects.values_list("facts__stage", flat=True)) == ["verified"]


def test_a_district_rule_hears_only_violations_in_its_district(rule, file, world, committed):
    incident = file("martuni")
    district = incident.district_id
    assert district
    rule("ceasefire.violation", conditions={"district": district})
    other = next(key for key, place in world["places"].items() if place.kind == "settlement"
                 and place.parent_id and place.parent_id != district)
    with committed():
        file(other)
    assert not Alert.objects.exists()
    with committed():
        inside = file("martuni")
    assert Alert.objects.get().subject_id == str(inside.pk)


def test_a_rule_for_named_people_reaches_them_only(rule, users, file, committed):
    rules.create_rule("for one engineer", "ceasefire.violation", users=[users["engineer"]])
    with committed():
        file()
    alert = Alert.objects.get()
    assert Alert.objects.visible_to(users["engineer"]).filter(pk=alert.pk).exists()
    assert not Alert.objects.visible_to(users["analyst"]).filter(pk=alert.pk).exists()


def test_any_declared_kind_is_matched_with_no_code_in_the_alerts_app(rule, monkeypatch, world, committed):
    """Another app's kind (returns.headcount_discrepancy, added in parallel) works by declaration alone."""
    kinds = {**events.event_kinds(), "returns.headcount_discrepancy": "head count differs"}
    monkeypatch.setattr(events, "event_kinds", lambda: kinds)
    monkeypatch.setattr(rules, "event_kinds", lambda: kinds)
    rule("returns.headcount_discrepancy", roles=["returns_officer"], conditions={"min_difference": 2})
    place = world["places"]["goris"]
    with committed():
        events.announce("returns.headcount_discrepancy", place, difference=1)
        events.announce("returns.headcount_discrepancy", place, difference=3, expected=40, counted=37)
    alert = Alert.objects.get()
    assert alert.facts == {"difference": 3, "expected": 40, "counted": 37} and alert.role_list == ["returns_officer"]


def test_an_unknown_kind_is_refused_for_rules_and_announcements(rule):
    with pytest.raises(ValidationError):
        rule("no.such_kind")
    with pytest.raises(ValueError):
        events.announce("no.such_kind")


def test_a_rolled_back_write_raises_nothing(rule, file, committed):
    from django.db import transaction

    rule("ceasefire.violation")
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        file()
        raise RuntimeError("rolled back")
    assert not Alert.objects.exists()


def test_acknowledgement_is_by_a_named_recipient_once_and_audited(rule, file, users, committed):
    rule("ceasefire.violation", roles=["analyst"])
    with committed():
        file()
    alert = Alert.objects.get()
    with pytest.raises(ValidationError):
        rules.acknowledge(alert, users["returns_officer"])  # not addressed to them
    rules.acknowledge(alert, users["analyst"])
    alert.refresh_from_db()
    assert alert.acknowledged_by == users["analyst"] and alert.acknowledged_at
    with pytest.raises(ValidationError, match="already"):
        rules.acknowledge(alert, users["coordinator"])
    assert AuditEvent.objects.filter(model="alerts.Alert", object_id=str(alert.pk), action="update").exists()
    assert not Alert.objects.visible_to(users["analyst"]).open().exists()


def test_unacknowledged_alerts_escalate_after_the_set_time_by_mail(rule, file, users, committed, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users["coordinator"].email = "coordinator@example.org"
    users["coordinator"].save()
    users["analyst"].email = "analyst@example.org"
    users["analyst"].save()
    rule("ceasefire.violation", roles=["analyst"], escalate_after=30, escalate_to=["coordinator"], email=True)
    with committed():
        file()
        file()
    first, second = Alert.objects.order_by("id")
    assert [m.to for m in mail.outbox] == [["analyst@example.org"]] * 2
    rules.acknowledge(second, users["analyst"])
    now = timezone.now()
    assert rules.escalate(now + dt.timedelta(minutes=29)) == {"alerts": 0, "tasks": 0}
    with committed():
        assert rules.escalate(now + dt.timedelta(minutes=31)) == {"alerts": 1, "tasks": 0}
    first.refresh_from_db()
    assert first.escalated_at and first.role_list == ["analyst", "coordinator"]
    assert mail.outbox[-1].to == ["coordinator@example.org"] and "Escalated" in mail.outbox[-1].subject
    assert rules.escalate(now + dt.timedelta(hours=5)) == {"alerts": 0, "tasks": 0}  # once


def test_the_escalate_command_runs_the_periodic_checks(rule, file, committed, capsys):
    from django.core.management import call_command

    rule("ceasefire.violation", escalate_after=1)
    with committed():
        file()
    Alert.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))
    call_command("alerts", "escalate")
    assert "alerts escalated: 1" in capsys.readouterr().out
    assert Alert.objects.get().escalated_at
