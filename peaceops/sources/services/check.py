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
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from peaceops.core.reporting import CEASEFIRE_EFFECTIVE
from peaceops.sources.models import Claim, Kind, Qualifier, Verdict
from peaceops.sources.services.registry import LOWER_BOUND_KINDS, Registry
from peaceops.sources.services.tolerance import accepted_range, holds, overlap


def _n(value) -> str:
    return number_format(value, force_grouping=True)


@dataclass
class Outcome:
    verdict: str
    registered: int | None = None
    registered_low: int | None = None
    reason: str = ""
    lead: bool = False  # a figure the monitors never recorded: offer to open an incident
    contradicts: list[int] = field(default_factory=list)


def _describe(claim: Claim) -> str:
    figure = _n(claim.value)
    if claim.qualifier != "exact":
        figure = f"{Qualifier(claim.qualifier).label} {figure}"
    return _("%(kind)s, %(period)s, as of %(day)s: claimed %(figure)s") % {
        "kind": Kind(claim.kind).label, "period": claim.get_period_display(),
        "day": claim.as_of.isoformat() if claim.as_of else "?", "figure": figure}


def _registered_words(reg) -> str:
    if reg.low == reg.high:
        return _n(reg.high)
    return _("%(low)s at the start of the day and %(high)s at its end") % {"low": _n(reg.low),
                                                                          "high": _n(reg.high)}


def verdict_for(claim: Claim, registry: Registry, today: dt.date) -> Outcome:
    if claim.as_of is None:
        return Outcome(Verdict.UNVERIFIABLE, reason=_("The report gives no date, so the claim cannot be held "
                                                      "against any day's figures."))
    if claim.as_of < CEASEFIRE_EFFECTIVE:
        return Outcome(Verdict.UNVERIFIABLE, reason=_("The claim is about a day before the ceasefire; PeaceOps "
                                                      "holds no figures from then."))
    if claim.as_of > today:
        return Outcome(Verdict.UNVERIFIABLE, reason=_("The claim is about a day still to come."))
    if claim.period == "cumulative" and claim.since and claim.since < CEASEFIRE_EFFECTIVE:
        return Outcome(Verdict.UNVERIFIABLE, reason=_("The total runs from before the ceasefire; PeaceOps holds "
                                                      "no figures from then."))
    district = None
    if claim.place_id and claim.kind in LOWER_BOUND_KINDS:
        region = claim.place.district()
        district = region.pk if region else None
    reg = registry.figure(claim.kind, claim.period, claim.as_of, claim.since, district)
    if reg is None:
        return Outcome(Verdict.UNVERIFIABLE, reason=_("PeaceOps holds no figure for %(kind)s.") % {
            "kind": Kind(claim.kind).label})
    where = ""
    if district is not None:
        where = " " + _("in %(district)s") % {"district": claim.place.district().name}
    said = _describe(claim)
    if holds(reg.low, reg.high, claim.value, claim.qualifier):
        return Outcome(Verdict.CONSISTENT, reg.high, reg.low, _("%(said)s; registered (%(what)s%(where)s): %(reg)s — "
                       "consistent.") % {"said": said, "reg": _registered_words(reg), "what": reg.what,
                                         "where": where})
    for label, value in reg.alternatives:
        if holds(value, value, claim.value, claim.qualifier):
            return Outcome(Verdict.CONSISTENT, value, value, _("%(said)s; registered (%(what)s, "
                           "%(label)s): %(reg)s — consistent.") % {"said": said, "reg": _n(value), "what": reg.what,
                                                         "label": label})
    low, _high = accepted_range(claim.value, claim.qualifier)
    if claim.kind in LOWER_BOUND_KINDS and low > reg.high:
        return Outcome(Verdict.UNVERIFIABLE, reg.high, reg.low, _(
            "%(said)s; recorded (%(what)s%(where)s): %(reg)s. PeaceOps cannot confirm the rest: "
            "a lead for the monitors.") % {"said": said, "reg": _n(reg.high), "what": reg.what, "where": where},
            lead=True)
    relation = _("more than that") if reg.low > _high else _("fewer than that")
    return Outcome(Verdict.INCONSISTENT, reg.high, reg.low, _(
        "%(said)s; registered (%(what)s%(where)s): %(reg)s, %(relation)s — inconsistent.") % {
        "said": said, "reg": _registered_words(reg), "what": reg.what, "where": where, "relation": relation})


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
    with transaction.atomic():
        for claim in wanted:
            outcome = outcomes[claim.pk]
            outcome.contradicts = sorted(clashes.get(claim.pk, ()))
            changed = (claim.verdict, claim.registered, claim.registered_low, claim.verdict_reason) != (
                outcome.verdict, outcome.registered, outcome.registered_low, outcome.reason)
            claim.verdict, claim.registered, claim.registered_low = (outcome.verdict, outcome.registered,
                                                                     outcome.registered_low)
            claim.verdict_reason, claim.checked_at = outcome.reason, now
            if changed:
                claim.save(update_fields=["verdict", "registered", "registered_low", "verdict_reason",
                                          "checked_at", "updated_at"])
            else:
                Claim.objects.filter(pk=claim.pk).update(checked_at=now)
        through = Claim.contradicts.through
        ids = [c.pk for c in every]
        through.objects.filter(from_claim_id__in=ids).delete()
        through.objects.bulk_create([through(from_claim_id=a, to_claim_id=b) for a, others in clashes.items()
                                     for b in others])
    return outcomes
