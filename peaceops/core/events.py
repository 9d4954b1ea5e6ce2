"""Things that happened, announced by the app where they happened, for whoever listens (the alerts app).

Domain apps do not import each other, so an app that wants the duty officer told about something calls
`announce(kind, subject, **facts)` from its service, and the alerts app connects to `happened`. The event is
sent only once the surrounding transaction commits: a rolled-back write never raises an alert.

Each app declares the kinds it announces in its `events.py` as `EVENT_KINDS = {"app.kind": label}` (a lazy
translated label), collected like every other contribution, so a coordinator's rule form can offer them all."""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

from peaceops.core.registry import collect

log = logging.getLogger(__name__)

# Sent with sender=<kind>, subject=<model instance or None>, facts=<dict of plain values>.
happened = Signal()


def event_kinds() -> dict:
    """Every kind an installed app announces, with its label."""
    return dict(collect("events", "EVENT_KINDS"))


def announce(kind: str, subject=None, **facts) -> None:
    """Tell listeners that `kind` happened to `subject`, after the current transaction commits.

    A listener's failure is logged and never undoes or breaks the write that announced it."""
    if kind not in event_kinds():
        raise ValueError(f"unknown event kind {kind!r}: declare it in the app's events.py EVENT_KINDS")

    def send() -> None:
        for receiver, outcome in happened.send_robust(sender=kind, subject=subject, facts=facts):
            if isinstance(outcome, Exception):
                log.error("event %s: listener %r failed: %s", kind, receiver, outcome, exc_info=outcome)

    transaction.on_commit(send)
