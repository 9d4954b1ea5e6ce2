"""Case lifecycles: detention (visits, release), missing (resolution), remains (identification, handover)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peaceops.exchanges.models import (
    DetentionCase,
    Identification,
    IntermediaryVisit,
    MissingCase,
    MissingStatus,
    RemainsCase,
)
from peaceops.exchanges.services import ExchangeError


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def open_detention_case(person, **fields) -> DetentionCase:
    return _saved(DetentionCase(person=person, **fields))


@transaction.atomic
def record_visit(case: DetentionCase, visited_on: dt.date, findings: str, visited_by=None) -> IntermediaryVisit:
    if case.detained_on and visited_on < case.detained_on:
        raise ExchangeError(_("A visit cannot come before the detention."))
    return _saved(IntermediaryVisit(case=case, visited_on=visited_on, findings=findings, visited_by=visited_by))


@transaction.atomic
def open_missing_case(person, **fields) -> MissingCase:
    return _saved(MissingCase(person=person, **fields))


@transaction.atomic
def resolve_missing_case(case: MissingCase, status: str, on: dt.date) -> MissingCase:
    if case.status != MissingStatus.OPEN:
        raise ExchangeError(_("This case is already resolved."))
    case.status, case.closed_on = status, on
    return _saved(case)


@transaction.atomic
def record_remains(**fields) -> RemainsCase:
    return _saved(RemainsCase(**fields))


@transaction.atomic
def identify_remains(case: RemainsCase, person, status: str, method: str, on: dt.date) -> RemainsCase:
    """Move identification forward (unidentified → presumptive → identified), never back."""
    if not RemainsCase.may_move(case.identification_status, status):
        raise ExchangeError(_("Identification cannot go from %(old)s back to %(new)s.") % {
            "old": case.get_identification_status_display(), "new": Identification(status).label})
    case.person, case.identification_status, case.identification_method, case.identified_on = (
        person, status, method, on)
    try:
        return _saved(case)
    except ValidationError as exc:
        raise ExchangeError("; ".join(exc.messages)) from None


@transaction.atomic
def identify_remains_as(case: RemainsCase, person_fields: dict, status: str, method: str,
                        on: dt.date) -> RemainsCase:
    """Identify remains as the case's person, or, when the case has none yet, as a new person recorded from
    `person_fields` exactly as written (the identification page's fields)."""
    from peaceops.exchanges.services.people import create_person

    person = case.person or create_person(**person_fields, written_by=_("identification"))
    return identify_remains(case, person, status, method, on)


@transaction.atomic
def hand_over_remains(case: RemainsCase, to: str, on: dt.date, to_party=None) -> RemainsCase:
    if case.handed_over_on:
        raise ExchangeError(_("These remains were already handed over."))
    if case.identification_status != Identification.IDENTIFIED:
        raise ExchangeError(_("Only identified remains are handed over to a family."))
    case.handed_over_to, case.handed_over_on, case.handed_over_to_party = to, on, to_party
    return _saved(case)


def open_case(kind: str, fields: dict, person_fields: dict | None = None):
    """Open a case of `kind` from a form's cleaned fields; detention and missing cases first create their
    person from `person_fields` (the name exactly as written). Callers run it inside a transaction."""
    from peaceops.exchanges.services.people import create_person

    if kind == "remains":
        return record_remains(**fields)
    person = create_person(**(person_fields or {}), written_by=_("case file"))
    opener = open_detention_case if kind == "detention" else open_missing_case
    return opener(person, **fields)

