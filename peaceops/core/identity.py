"""Confirmed identity merges. Linkage only proposes; a person record is merged only by a human decision,
recorded with its reason, and can be undone as a new version (nothing is deleted)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal

from peaceops.core import audit, record_state
from peaceops.core.models import Person
from peaceops.core.models.audit import AuditAction

# Sent after a merge is undone (person, previous survivor id): modules that count people recount them.
separated = Signal()


@transaction.atomic
def confirm_same_person(duplicate: Person, survivor: Person, user, reason: str) -> Person:
    """Record that `duplicate` and `survivor` are one person; counts then follow `survivor`."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why these records are the same person."})
    survivor = Person.objects.select_for_update().get(pk=survivor.pk).canonical()
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate.canonical().pk == survivor.pk:
        raise ValidationError("These records are already merged.")
    if duplicate.pk == survivor.pk:
        raise ValidationError("A record cannot be merged into itself.")
    # Records already merged into the duplicate move along, so every chain ends at one survivor.
    record_state.update_with_history(Person.objects.filter(merged_into=duplicate), {"merged_into": survivor},
                                     f"merged along into {survivor.pk}", actor=getattr(user, "username", None))
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    audit.append(AuditAction.DECISION, "core.Person", duplicate.pk, "",
                 {"decision": "same person", "survivor": survivor.pk, "reason": reason.strip()},
                 actor=getattr(user, "username", ""))
    return survivor


@transaction.atomic
def separate(person: Person, user, reason: str) -> Person:
    """Undo a merge: the record stands on its own again; the history keeps both versions."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why these records are not the same person."})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.merged_into_id is None:
        raise ValidationError("This record is not merged into another.")
    previous = person.merged_into_id
    person.merged_into = None
    person.save(update_fields=["merged_into", "updated_at"])
    audit.append(AuditAction.DECISION, "core.Person", person.pk, "",
                 {"decision": "not the same person", "was_merged_into": previous, "reason": reason.strip()},
                 actor=getattr(user, "username", ""))
    separated.send(sender=Person, person=person, previous=previous)
    return person
