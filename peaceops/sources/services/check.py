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

from peaceops.core import mission
from peaceops.core.events import announce
from peaceops.sources.models import Claim, Kind, Period, Qualifier, Verdict
from peaceops.sources.services.registry import LOWER_BOUND_KINDS, Registry
from peaceops.sources.services.tolerance import accepted_range, holds, overlap


def _n(value) -> str:
    return number_format(value, force_grouping=True)


@dataclass
class Outcome:
    verdict: str
    registered: int | None = None
    registered_low: int | None = None
    basis: dict = field(default_factory=dict)  # what the reason is made of; see `reason`
    lead: bool = False  # a figure the monitors never recorded: offer to open an incident
    contradicts: list[int] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return reason(self.basis)


def _claimed(basis: dict) -> str:
    figure = _n(basis["value"])
    if basis["qualifier"] != "exact":
        figure = f"{Qualifier(basis['qualifier']).label} {figure}"
    return _("%(kind)s, %(period)s, as of %(day)s: claimed %(figure)s") % {
        "kind": Kind(basis["kind"]).label, "period": Period(basis["period"]).label,
        "day": basis.get("as_of") or "?", "figure": figure}


def _registered_words(low: int, high: int) -> str:
    if low == high:
        return _n(high)
    return _("%(low)s at the start of the day and %(high)s at its end") % {"low": _n(low), "high": _n(high)}


def reason(basis: dict) -> str:
    """The verdict's reason in the language now active: the stored basis keeps message ids and numbers, so a
    Russian page reads it in Russian whatever language the check ran in."""
    rule = basis.get("rule")
    fixed = {
        "no_date": _("The report gives no date, so the claim cannot be held against any day's figures."),
        "before": _("The claim is about a day before the ceasefire; PeaceOps holds no figures from then."),
        "future": _("The claim is about a day still to come."),
        "before_total": _("The total runs from before the ceasefire; PeaceOps holds no figures from then."),
    }
    if rule in fixed:
        return fixed[rule]
    if rule == "no_figure":
        return _("PeaceOps holds no figure for %(kind)s.") % {"kind": Kind(basis["kind"]).label}
    if not rule:
        return ""
    what = _(basis["what"])
    if basis.get("where"):
        what += " " + _("in %(district)s") % {"district": basis["where"]}
    values = {"said": _claimed(basis), "what": what, "reg": _registered_words(basis["low"], basis["high"])}
    if rule == "consistent":
        return _("%(said)s; registered (%(what)s): %(reg)s — consistent.") % values
    if rule == "alternative":
        label, params = basis["label"]
        values["label"] = _(label) % params if params else _(label)
        return _("%(said)s; registered (%(what)s, %(label)s): %(reg)s — consistent.") % values
    if rule == "lead":
        return _("%(said)s; recorded (%(what)s): %(reg)s. PeaceOps cannot confirm the rest: a lead for the "
                 "monitors.") % values
    values["relation"] = _("more than that") if basis.get("relation") == "more" else _("fewer than that")
    return _("%(said)s; registered (%(what)s): %(reg)s, %(relation)s — inconsistent.") % values


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
    if claim.place_id and claim.kind in LOWER_BOUND_KINDS:
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
                Claim.objects.filter(pk=claim.pk).update(checked_at=now)
        through = Claim.contradicts.through
        ids = [c.pk for c in every]
        through.objects.filter(from_claim_id__in=ids).delete()
        through.objects.bulk_create([through(from_claim_id=a, to_claim_id=b) for a, others in clashes.items()
                                     for b in others])
    return outcomes
