"""The cross-check: every standing claim against the registry, and the claims against each other.

Verdicts: consistent (the registry bears the figure out within its qualifier's range), inconsistent,
unverifiable (PeaceOps holds no such figure, the claim has no date, or a party reports more violations or
casualties than the monitors recorded — a lead for the monitors). Two claims contradict when a running total
falls from one day to the next, or two sources' figures for the same day and thing cannot both hold."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from peaceops.core import mission
from peaceops.core.events import announce
from peaceops.core.record_state import record_bulk_update
from peaceops.sources.models import Claim, Verdict, verdict_reason
from peaceops.sources.services.registry import LOWER_BOUND_KINDS, Registry
from peaceops.sources.services.tolerance import accepted_range, holds, overlap


@dataclass
class Outcome:
    verdict: str
    registered: int | None = None
    registered_low: int | None = None
    basis: dict = field(default_factory=dict)  # what the reason is made of; see `models.verdict_reason`
    lead: bool = False  # a figure the monitors never recorded: offer to open an incident
    contradicts: list[int] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return verdict_reason(self.basis)


def verdict_for(claim: Claim, registry: Registry, today: dt.date) -> Outcome:
    said = {"kind": claim.kind, "period": claim.period, "value": claim.value, "qualifier": claim.qualifier,
            "as_of": claim.as_of.isoformat() if claim.as_of else None}
    if claim.as_of is None:
        return Outcome(Verdict.UNVERIFIABLE, basis={**said, "rule": "no_date"})
    if claim.as_of < mission.ceasefire_start():
        return Outcome(Verdict.UNVERIFIABLE, basis={**said, "rule": "before"})
    if claim.as_of > today:
        return Outcome(Verdict.UNVERIFIABLE, basis={**said, "rule": "future"})
    if claim.period == "cumulative" and claim.since and claim.since < mission.ceasefire_start():
        return Outcome(Verdict.UNVERIFIABLE, basis={**said, "rule": "before_total"})
    district = None
    if claim.place is not None and claim.kind in LOWER_BOUND_KINDS:
        district = claim.place.district()
    reg = registry.figure(claim.kind, claim.period, claim.as_of, claim.since, district.pk if district else None)
    if reg is None:
        return Outcome(Verdict.UNVERIFIABLE, basis={**said, "rule": "no_figure"})
    basis = {**said, "what": reg.what, "where": district.name if district else "", "low": reg.low,
             "high": reg.high}
    if holds(reg.low, reg.high, claim.value, claim.qualifier):
        return Outcome(Verdict.CONSISTENT, reg.high, reg.low, {**basis, "rule": "consistent"})
    for label, value in reg.alternatives:
        if holds(value, value, claim.value, claim.qualifier):
            return Outcome(Verdict.CONSISTENT, value, value, {**basis, "rule": "alternative", "label": label,
                                                              "low": value, "high": value})
    low, high = accepted_range(claim.value, claim.qualifier)
    if claim.kind in LOWER_BOUND_KINDS and low > reg.high:
        return Outcome(Verdict.UNVERIFIABLE, reg.high, reg.low, {**basis, "rule": "lead", "low": reg.high},
                       lead=True)
    return Outcome(Verdict.INCONSISTENT, reg.high, reg.low, {**basis, "rule": "inconsistent",
                                                             "relation": "more" if reg.low > high else "fewer"})


def contradictions(claims: list[Claim]) -> dict[int, set[int]]:
    """claim id → ids of the claims it cannot stand with."""
    found: dict[int, set[int]] = defaultdict(set)
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.as_of is not None:
            # Place separates incidents' figures only; people returned "to Stepanakert" or "to Karabakh" are
            # the same running total.
            place = claim.place_id if claim.kind in LOWER_BOUND_KINDS else None
            groups[(claim.kind, claim.period, place, claim.since if claim.period == "cumulative"
                    else None)].append(claim)
    for (_kind, period, _place, _since), members in groups.items():
        members.sort(key=lambda c: (c.as_of, c.pk))
        ranges = {c.pk: accepted_range(c.value, c.qualifier) for c in members}
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a.as_of == b.as_of:
                    clash = a.document_id != b.document_id and not overlap(ranges[a.pk], ranges[b.pk])
                else:  # b is later: a running total cannot fall
                    clash = period == "cumulative" and ranges[b.pk][1] < ranges[a.pk][0]
                if clash:
                    found[a.pk].add(b.pk)
                    found[b.pk].add(a.pk)
    return found


def run(claims=None, today: dt.date | None = None) -> dict[int, Outcome]:
    """Check `claims` (default: every standing claim) and store the verdicts and contradictions."""
    today = today or timezone.localdate()
    every = list(Claim.objects.standing().select_related("place", "place__parent", "document"))
    wanted = every if claims is None else [c for c in every if c.pk in {x.pk for x in claims}]
    registry = Registry()
    outcomes = {claim.pk: verdict_for(claim, registry, today) for claim in wanted}
    clashes = contradictions(every)
    now = timezone.now()
    unchanged: list[int] = []  # claims whose verdict stands: only their `checked_at` stamp moves
    with transaction.atomic():
        for claim in wanted:
            outcome = outcomes[claim.pk]
            outcome.contradicts = sorted(clashes.get(claim.pk, ()))
            changed = (claim.verdict, claim.registered, claim.registered_low, claim.verdict_basis) != (
                outcome.verdict, outcome.registered, outcome.registered_low, outcome.basis)
            claim.verdict, claim.registered, claim.registered_low = (outcome.verdict, outcome.registered,
                                                                     outcome.registered_low)
            claim.verdict_basis, claim.verdict_reason, claim.checked_at = outcome.basis, outcome.reason, now
            if changed:
                claim.save(update_fields=["verdict", "registered", "registered_low", "verdict_basis",
                                          "verdict_reason", "checked_at", "updated_at"])
                if outcome.verdict == Verdict.INCONSISTENT:
                    announce("sources.claim_contradicts_registry", claim, claim=claim.pk,
                             document=claim.document_id, verdict=outcome.verdict,
                             link=f"/open-sources/documents/{claim.document_id}/")
            else:
                unchanged.append(claim.pk)
        if unchanged:  # only the stamp moves: no new version (history leaves `checked_at` out), but in the chain
            Claim.objects.filter(pk__in=unchanged).update(checked_at=now)
            record_bulk_update(Claim, unchanged, "claims checked again, verdicts unchanged")
        through = Claim.contradicts.through
        ids = [c.pk for c in every]
        through.objects.filter(from_claim_id__in=ids).delete()
        through.objects.bulk_create([through(from_claim_id=a, to_claim_id=b) for a, others in clashes.items()
                                     for b in others])
    return outcomes
