"""Tasks and referrals: open → accepted → done, or declined with a reason; a referral records the consent basis
and exactly what was shared. Only the owner moves a task; every step is a saved version (history + audit)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.alerts.models import (
    REFERRAL_KINDS,
    Alert,
    ConsentBasis,
    Referral,
    Task,
    TaskKind,
    TaskState,
)
from peaceops.core.roles import can

# Where a task may come from: the subject's model, and the link its page has.
SUBJECTS = {
    "incident": ("ceasefire.incident", "/ceasefire/incidents/{pk}/"),
    "tracing": ("exchanges.tracingrequest", "/exchanges/tracing/{pk}/"),
    "facility": ("restoration.facility", "/restoration/facilities/{pk}/"),
    "alert": ("alerts.alert", "/alerts/{pk}/"),
}


def subject_of(kind: str, pk: int, user=None) -> tuple[str, str, str]:
    """(model, id, link) of a task's subject, which must exist and be visible to the officer opening the task
    (looked up through the app registry: this app imports no other domain app)."""
    from django.apps import apps

    if kind not in SUBJECTS:
        raise ValidationError(_("A task is opened from an incident, a tracing request, a facility or an alert."))
    model, link = SUBJECTS[kind]
    try:
        manager = apps.get_model(model).objects
    except LookupError:
        raise ValidationError(_("That kind of record is not installed here.")) from None
    queryset = manager.visible_to(user) if user is not None and hasattr(manager, "visible_to") else manager.all()
    if not queryset.filter(pk=pk).exists():
        raise ValidationError(_("No such record that you may see: %(kind)s #%(pk)s.") % {"kind": kind, "pk": pk})
    return model, str(pk), link.format(pk=pk)


@transaction.atomic
def open_task(user, *, kind: str, title: str, owner, due_at: dt.datetime, details: str = "",
              subject: tuple[str, int] | None = None, alert: Alert | None = None) -> Task:
    if not can(user, "alerts.open_task"):
        raise ValidationError(_("Only an officer opens tasks."))
    if kind not in TaskKind.values:
        raise ValidationError(_("Unknown kind of task."))
    if not title.strip():
        raise ValidationError(_("Give the task a title."))
    if owner is None or not owner.is_active or not can(owner, "alerts.view_tasks"):
        raise ValidationError(_("The owner must be an active member of the mission's staff."))
    if due_at is None:
        raise ValidationError(_("Give a due time."))
    if alert is not None:
        subject = ("alert", alert.pk)
    model, subject_id, link = subject_of(*subject, user=user) if subject else ("", "", "")
    return Task.objects.create(kind=kind, title=title.strip(), details=details.strip(), owner=owner,
                               due_at=due_at, subject_model=model, subject_id=subject_id, link=link,
                               alert=alert, created_by=user)


def _locked(task: Task, user, *allowed: str) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.owner_id != user.pk:
        raise ValidationError(_("Only the task's owner, %(owner)s, moves it on.") % {"owner": task.owner})
    if task.state not in allowed:
        raise ValidationError(_("The task is %(state)s; this step is not open.") % {
            "state": task.get_state_display()})
    return task


@transaction.atomic
def accept(task: Task, user) -> Task:
    task = _locked(task, user, TaskState.OPEN)
    task.state, task.accepted_at = TaskState.ACCEPTED, timezone.now()
    task.save()
    return task


@transaction.atomic
def complete(task: Task, user, outcome: str = "") -> Task:
    task = _locked(task, user, TaskState.ACCEPTED)
    if task.is_referral and not hasattr(task, "referral"):
        raise ValidationError(_("Record the referral (consent basis and what was shared) before closing it."))
    task.state, task.outcome, task.closed_at = TaskState.DONE, outcome.strip(), timezone.now()
    task.save()
    return task


@transaction.atomic
def decline(task: Task, user, reason: str) -> Task:
    if not (reason or "").strip():
        raise ValidationError(_("Say why the task is declined."))
    task = _locked(task, user, TaskState.OPEN, TaskState.ACCEPTED)
    task.state, task.decline_reason, task.closed_at = TaskState.DECLINED, reason.strip()[:300], timezone.now()
    task.save()
    return task


@transaction.atomic
def refer(task: Task, user, *, organisation, consent_basis: str, shared: str, consent_note: str = "") -> Referral:
    """Record what was passed to which organisation and on what basis; the task's owner, holding the case."""
    if not can(user, "alerts.refer"):
        raise ValidationError(_("Only an officer who holds persons' cases refers them."))
    task = _locked(task, user, TaskState.ACCEPTED)
    if task.kind not in REFERRAL_KINDS:
        raise ValidationError(_("Only a referral task records a referral."))
    if consent_basis not in ConsentBasis.values:
        raise ValidationError(_("Choose the consent basis."))
    if not (shared or "").strip():
        raise ValidationError(_("Say what was shared."))
    if hasattr(task, "referral"):
        raise ValidationError(_("This task's referral is recorded already."))
    return Referral.objects.create(task=task, organisation=organisation, consent_basis=consent_basis,
                                   consent_note=consent_note.strip(), shared=shared.strip(), referred_by=user)
