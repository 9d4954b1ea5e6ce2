"""Reconciliation: a list against the other side's list or against the case files; officers decide each pair."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import router, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from peaceops.core import audit
from peaceops.core.models import Person, PersonName
from peaceops.core.models.audit import AuditAction
from peaceops.exchanges import matching
from peaceops.exchanges.models import (
    DecisionStatus,
    DetentionCase,
    Handover,
    MatchDecision,
    MissingCase,
    PartyList,
    PartyListEntry,
    Reconciliation,
    RemainsCase,
)
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services.people import create_person, person_record


def entry_record(entry: PartyListEntry) -> dict:
    return {"id": str(entry.pk), "name": entry.full_name, "father_name": entry.father_name,
            "birth_date": entry.birth_date, "birth_place": entry.birth_place, "sex": entry.sex}


def case_persons() -> list[Person]:
    ids = set(DetentionCase.objects.values_list("person_id", flat=True))
    ids |= set(MissingCase.objects.values_list("person_id", flat=True))
    ids |= set(RemainsCase.objects.exclude(person=None).values_list("person_id", flat=True))
    return list(Person.objects.filter(pk__in=ids).prefetch_related("names"))


def reasons_of(proposal) -> list[dict]:
    return [{"field": e.field, "level": e.level, "weight": round(e.match_weight, 2), "agrees": e.agrees,
             "left": e.left_value, "right": e.right_value} for e in proposal.explanation]


def reconcile(left_list: PartyList, right_list: PartyList | None = None, *, user=None,
              threshold: float = matching.DEFAULT_THRESHOLD, progress=None) -> Reconciliation:
    """Run the matcher and store every proposal for an officer to decide."""
    if right_list is not None and right_list.pk == left_list.pk:
        raise ExchangeError(_("A list cannot be reconciled against itself."))
    left = [entry_record(e) for e in left_list.entries.all()]
    if right_list is not None:
        right = [entry_record(e) for e in right_list.entries.all()]
    else:
        # One record per spelling of each case person; the best-scoring spelling speaks for the person.
        right = []
        for person in case_persons():
            for i, record in enumerate(person_record(person, "")):
                right.append({**record, "id": f"p{person.pk}-{i}"})
    proposals = matching.link(left, right, threshold, progress)
    with transaction.atomic():
        rec = Reconciliation.objects.create(left_list=left_list, right_list=right_list, threshold=threshold,
                                            engine=matching.engine_name(),
                                            created_by=user if user and user.is_authenticated else None)
        decisions, seen = [], set()
        for proposal in proposals:
            if right_list is not None:
                target = {"right_entry_id": int(proposal.right_id)}
            else:
                target = {"right_person_id": int(proposal.right_id[1:].split("-")[0])}
            key = (proposal.left_id, tuple(target.values()))
            if key in seen:
                continue  # proposals come most probable first
            seen.add(key)
            decisions.append(MatchDecision(reconciliation=rec, left_entry_id=int(proposal.left_id),
                                           probability=round(proposal.probability, 4),
                                           reasons=reasons_of(proposal), **target))
        bulk_create_with_history(decisions, MatchDecision)
        audit.record_bulk(MatchDecision, len(decisions), f"reconciliation {rec.pk}",
                          actor=getattr(user, "username", None))
    return rec


@dataclass
class Board:
    """What the reconciliation screen shows."""

    reconciliation: Reconciliation
    by_entry: dict[int, list[MatchDecision]] = field(default_factory=dict)
    ambiguous: list[PartyListEntry] = field(default_factory=list)
    unmatched_left: list[PartyListEntry] = field(default_factory=list)
    unmatched_right: list[PartyListEntry] = field(default_factory=list)
    entries: list[PartyListEntry] = field(default_factory=list)


def board(rec: Reconciliation) -> Board:
    decisions = list(rec.decisions.select_related("right_entry", "right_person").prefetch_related(
        "right_person__names"))
    live = [d for d in decisions if d.status != DecisionStatus.REJECTED]
    by_entry: dict[int, list[MatchDecision]] = defaultdict(list)
    by_right: dict[object, list[MatchDecision]] = defaultdict(list)
    for d in decisions:
        by_entry[d.left_entry_id].append(d)
    for d in live:
        by_right[d.right_entry_id or f"p{d.right_person_id}"].append(d)
    left_entries = list(rec.left_list.entries.all())
    result = Board(rec, dict(by_entry), entries=left_entries)
    for entry in left_entries:
        mine = [d for d in by_entry.get(entry.pk, []) if d.status != DecisionStatus.REJECTED]
        if not mine:
            result.unmatched_left.append(entry)
        elif len(mine) >= 2 and not any(d.status == DecisionStatus.CONFIRMED for d in mine):
            result.ambiguous.append(entry)
    # An entry on the other side claimed by two of ours is ambiguous too.
    ambiguous_ids = {e.pk for e in result.ambiguous}
    for claims in by_right.values():
        if len(claims) >= 2 and not any(d.status == DecisionStatus.CONFIRMED for d in claims):
            for d in claims:
                if d.left_entry_id not in ambiguous_ids:
                    ambiguous_ids.add(d.left_entry_id)
                    result.ambiguous.append(next(e for e in left_entries if e.pk == d.left_entry_id))
    if rec.right_list is not None:
        result.unmatched_right = [e for e in rec.right_list.entries.all() if e.pk not in by_right]
    return result


def _add_name(person: Person, entry: PartyListEntry) -> int | None:
    if not person.names.filter(full_name=entry.full_name).exists():
        return PersonName.objects.create(person=person, full_name=entry.full_name,
                                         written_by=str(entry.party_list)[:200]).pk
    return None


@transaction.atomic
def confirm(decision: MatchDecision, user, note: str = "") -> Person:
    """The two records are the same person: link both to one Person (created if neither has one)."""
    decision = MatchDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.PROPOSED:
        raise ExchangeError(_("This proposal was already %(status)s.") % {"status": decision.get_status_display()})
    others = MatchDecision.objects.filter(reconciliation=decision.reconciliation, status=DecisionStatus.CONFIRMED)
    right_q = (Q(right_entry=decision.right_entry_id) if decision.right_entry_id
               else Q(right_person=decision.right_person_id))
    if others.filter(Q(left_entry=decision.left_entry_id) | right_q).exists():
        raise ExchangeError(_("One of these records is already confirmed as another person; reject that "
                              "decision first."))
    left, right = decision.left_entry, decision.right_entry
    candidates = {p for p in (left.person_id, right.person_id if right else decision.right_person_id) if p}
    if len(candidates) > 1:
        raise ExchangeError(_("The two records already belong to different persons; merge them in the "
                              "registry first."))
    undo: dict = {"entries": [], "names": [], "created_person": None}
    if candidates:
        person = Person.objects.get(pk=candidates.pop())
    else:
        person = create_person(left.full_name, sex=left.sex or "U", birth_date=left.birth_date,
                               father_name=left.father_name, birth_place=left.birth_place,
                               written_by=str(left.party_list)[:200])
        undo["created_person"] = person.pk
    for entry in (left, right):
        if entry is not None:
            if (name_id := _add_name(person, entry)) is not None:
                undo["names"].append(name_id)
            if entry.person_id != person.pk:
                entry.person = person
                entry.save(update_fields=["person"])
                undo["entries"].append(entry.pk)
    decision.undo = undo
    _decide(decision, DecisionStatus.CONFIRMED, user, note)
    return person


@transaction.atomic
def reopen(decision: MatchDecision, user, reason: str) -> None:
    """Take a decision back to 'proposed': a wrong confirmation is undone (entries unlinked, the names and the
    person it created withdrawn), as long as nobody has been handed over on the strength of it."""
    decision = MatchDecision.objects.select_for_update().get(pk=decision.pk)
    if not reason.strip():
        raise ExchangeError(_("Say why the decision is reopened; the reason goes to the audit log."))
    if decision.status == DecisionStatus.PROPOSED:
        raise ExchangeError(_("This proposal has not been decided yet."))
    if decision.status == DecisionStatus.CONFIRMED:
        _undo_confirmation(decision, reason)
    previous = decision.status
    decision.decide(DecisionStatus.PROPOSED, user)
    decision.save()
    audit.append(AuditAction.DECISION, MatchDecision._meta.label, decision.pk, str(decision),
                 {"status": "reopened", "was": previous, "reason": reason,
                  "reconciliation": decision.reconciliation_id}, actor=getattr(user, "username", ""))


def _undo_confirmation(decision: MatchDecision, reason: str) -> None:
    """Unlink the entries and withdraw what the confirmation added (its names, the person it created); nothing
    about a person is deleted: each withdrawal is a save, so it keeps a version and an audit event."""
    undo = decision.undo or {}
    if not undo:
        raise ExchangeError(_("This confirmation was recorded before confirmations could be undone; correct the "
                              "person's record in the registry instead."))
    person_id = decision.left_entry.person_id
    assert person_id is not None, "a confirmed match links its list entry to a person"
    if Handover.objects.filter(person_id=person_id).exists():
        raise ExchangeError(_("This person is on an exchange's roster on the strength of this confirmation; it "
                              "can no longer be undone. Record the correction in the case file."))
    for entry in PartyListEntry.objects.filter(pk__in=undo["entries"], person_id=person_id):
        entry.person = None
        entry.save(update_fields=["person"])
    now = timezone.now()
    for name in PersonName.objects.filter(pk__in=undo["names"], person_id=person_id):
        name.withdrawn_at = now
        name.save(update_fields=["withdrawn_at"])
    created = undo.get("created_person")
    if created and not PartyListEntry.objects.filter(person_id=created).exists() and not _in_use(created):
        person = Person.objects.get(pk=created)
        person.withdrawn_at = now
        person.withdrawn_reason = (_("Created by confirmation %(decision)s, reopened: %(reason)s")
                                   % {"decision": decision.pk, "reason": reason})[:500]
        person.save(update_fields=["withdrawn_at", "withdrawn_reason"])


def _in_use(person_id: int) -> bool:
    """A case file or a tracing match took up the person since the confirmation: they stand, whoever made them.
    (The deletion collector only lists what protects the record; nothing is deleted.)"""
    collector = Collector(using=router.db_for_write(Person))
    try:
        collector.collect([Person.objects.get(pk=person_id)])
    except (ProtectedError, RestrictedError):
        return True
    return False


@transaction.atomic
def reject(decision: MatchDecision, user, note: str = "") -> None:
    decision = MatchDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.PROPOSED:
        raise ExchangeError(_("This proposal was already %(status)s.") % {"status": decision.get_status_display()})
    _decide(decision, DecisionStatus.REJECTED, user, note)


def _decide(decision: MatchDecision, status: str, user, note: str) -> None:
    decision.decide(status, user, note)
    decision.save()
    audit.append(AuditAction.DECISION, MatchDecision._meta.label, decision.pk, str(decision),
                 {"status": status, "probability": decision.probability, "note": note,
                  "reconciliation": decision.reconciliation_id}, actor=getattr(user, "username", ""))


def confirmed_persons():
    """The persons an officer has confirmed on the parties' lists: the only ones an exchange's roster takes."""
    confirmed = MatchDecision.objects.filter(status=DecisionStatus.CONFIRMED)
    return Person.objects.filter(Q(pk__in=confirmed.values("left_entry__person"))
                                 | Q(pk__in=confirmed.values("right_entry__person"))
                                 | Q(pk__in=confirmed.values("right_person")))


def identity_confirmed(person: Person) -> bool:
    """A person may be handed over only once an officer has confirmed who they are on the parties' lists."""
    return confirmed_persons().filter(pk=person.pk).exists()
