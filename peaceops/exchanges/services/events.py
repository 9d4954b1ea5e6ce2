"""Exchange events: the roster of persons, each handover, and completion in one transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction
from peaceops.exchanges.models import (
    DetentionCase,
    DetentionStatus,
    EventStatus,
    ExchangeEvent,
    Handover,
    MissingCase,
    MissingStatus,
    RemainsCase,
)
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services.reconcile import identity_confirmed


def _not_completed(event: ExchangeEvent) -> None:
    if event.status == EventStatus.COMPLETED:
        raise ExchangeError(_("This exchange was already completed on %(when)s.") % {
            "when": timezone.localtime(event.completed_at).strftime("%Y-%m-%d %H:%M")})


@transaction.atomic
def add_to_event(event: ExchangeEvent, person, from_party, to_party) -> Handover:
    event = ExchangeEvent.objects.select_for_update().get(pk=event.pk)
    _not_completed(event)
    if from_party == to_party:
        raise ExchangeError(_("A handover goes from one party to another."))
    if not identity_confirmed(person):
        raise ExchangeError(_("%(person)s cannot be handed over: the identity match is not confirmed.") % {
            "person": person})
    if event.handovers.filter(person=person).exists():
        raise ExchangeError(_("%(person)s is already on this exchange.") % {"person": person})
    return Handover.objects.create(event=event, person=person, from_party=from_party, to_party=to_party)


@transaction.atomic
def record_handover(event: ExchangeEvent, person, witnessed_by: str, handed_at: dt.datetime) -> Handover:
    event = ExchangeEvent.objects.select_for_update().get(pk=event.pk)
    _not_completed(event)
    handover = event.handovers.filter(person=person).first()
    if handover is None:
        raise ExchangeError(_("%(person)s is not on this exchange; add them to the roster first.") % {
            "person": person})
    handover.witnessed_by, handover.handed_at = witnessed_by, handed_at
    handover.save()
    return handover


@transaction.atomic
def complete_event(event: ExchangeEvent, user) -> int:
    """Every handover is recorded and every person's case is updated — or, on any error, nothing is."""
    event = ExchangeEvent.objects.select_for_update().get(pk=event.pk)
    _not_completed(event)
    handovers = list(event.handovers.select_related("person"))
    if not handovers:
        raise ExchangeError(_("No one is on this exchange."))
    problems = []
    for handover in handovers:
        if handover.handed_at is None:
            problems.append(_("%(person)s: no handover time recorded") % {"person": handover.person})
        elif not identity_confirmed(handover.person):
            problems.append(_("%(person)s: identity match not confirmed") % {"person": handover.person})
    if problems:
        raise ExchangeError(_("The exchange cannot be completed: %(problems)s.") % {"problems": "; ".join(problems)})
    for handover in handovers:
        day = timezone.localtime(handover.handed_at).date()
        for case in DetentionCase.objects.filter(person=handover.person, status=DetentionStatus.HELD):
            case.status, case.released_on = DetentionStatus.EXCHANGED, day
            case.save()
        for missing in MissingCase.objects.filter(person=handover.person, status=MissingStatus.OPEN):
            missing.status, missing.closed_on = (MissingStatus.FOUND_DECEASED if event.subject == "remains"
                                                 else MissingStatus.FOUND_ALIVE), day
            missing.save()
        for remains in RemainsCase.objects.filter(person=handover.person, handed_over_on=None):
            remains.handed_over_on, remains.handed_over_to_party = day, handover.to_party
            remains.save()
    event.status, event.completed_at, event.completed_by = EventStatus.COMPLETED, timezone.now(), user
    event.save()
    audit.append(AuditAction.DECISION, ExchangeEvent._meta.label, event.pk, str(event),
                 {"completed": True, "handovers": len(handovers)}, actor=getattr(user, "username", ""))
    return len(handovers)
