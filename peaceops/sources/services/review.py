"""An analyst corrects or rejects an extracted claim. What the extraction read stays in `Claim.extracted`;
the change is a new version in the claim's history and an event in the audit chain (the save signal)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.sources.models import Claim, Review, Verdict
from peaceops.sources.services import check

EDITABLE = ("kind", "value", "qualifier", "period", "since", "as_of", "place", "attributed_to", "party")


@transaction.atomic
def correct(claim: Claim, user, changes: dict, note: str = "") -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be corrected: %(fields)s.") % {"fields": ", ".join(unknown)})
    for name, value in changes.items():
        setattr(claim, name, value)
    claim.full_clean(exclude=["document", "contradicts"])
    if claim.since and claim.as_of and claim.since > claim.as_of:
        raise ValidationError({"since": _("A running total cannot start after the day it is given for.")})
    claim.review, claim.reviewed_by, claim.reviewed_at = Review.CORRECTED, user, timezone.now()
    claim.review_note = note.strip()
    claim._change_reason = note.strip() or "corrected"  # type: ignore[attr-defined]  # read by simple-history, untyped
    claim.save()
    check.run([claim])
    return claim


@transaction.atomic
def reject(claim: Claim, user, note: str) -> Claim:
    if not (note or "").strip():
        raise ValidationError({"review_note": _("Say why the claim is rejected.")})
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    claim.review, claim.reviewed_by, claim.reviewed_at = Review.REJECTED, user, timezone.now()
    claim.review_note = note.strip()
    claim.verdict, claim.registered, claim.registered_low = Verdict.UNCHECKED, None, None
    claim.verdict_reason, claim.verdict_basis = "", {}
    claim._change_reason = note.strip()  # type: ignore[attr-defined]  # as above
    claim.save()
    claim.contradicts.clear()
    check.run([])  # the others' contradictions no longer count this one
    return claim


@transaction.atomic
def restore(claim: Claim, user) -> Claim:
    """Undo a rejection: the claim stands again, as extracted or as corrected."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    claim.review = Review.CORRECTED if claim.reviewed_by and claim.extracted.get("value") != claim.value \
        else Review.EXTRACTED
    claim.reviewed_by, claim.reviewed_at = user, timezone.now()
    claim.save()
    check.run([claim])
    return claim
