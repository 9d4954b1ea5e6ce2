"""Sources and corroboration: one more item of information on an incident, its Admiralty grade, and reopening a
decision on new evidence."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.ceasefire.models import Incident, Status
from peaceops.ceasefire.services.workflow import _locked, _step
from peaceops.core.models import Source, SourceReport
from peaceops.core.models.sources import Credibility

# Admiralty reliability grades that can confirm: A completely, B usually, C fairly reliable. D (not usually
# reliable), E (unreliable) and F (cannot be judged) corroborate but never confirm.
RELIABLE_GRADES = frozenset({"A", "B", "C"})


@dataclass(frozen=True)
class Corroboration:
    """How an incident's sources bear it out. The rule: an incident is confirmed (Admiralty credibility 1) when at
    least two independent origins report it and at least one of them is reliable (A–C). Each party speaks once
    however many statements it makes; the mission's posts and patrols, the intermediary and the media are each an
    origin of their own. An origin is as reliable as the best graded item it gave on this incident."""

    origins: int
    reliable: int

    @property
    def confirmed(self) -> bool:
        return self.origins >= 2 and self.reliable >= 1

    @property
    def sentence(self) -> str:
        if self.origins < 2:
            return ngettext("reported by %(n)d source, %(r)d of them reliable",
                            "reported by %(n)d sources, %(r)d of them reliable", self.origins) % {
                "n": self.origins, "r": self.reliable} if self.origins else _("no source recorded")
        return ngettext("corroborated by %(n)d source, of which %(r)d reliable",
                        "corroborated by %(n)d sources, of which %(r)d reliable", self.origins) % {
            "n": self.origins, "r": self.reliable}


def corroboration(incident: Incident) -> Corroboration:
    prefetched = "sources" in getattr(incident, "_prefetched_objects_cache", {})
    reports = incident.sources.all() if prefetched else incident.sources.select_related("source")
    return corroboration_of((r.source.kind, r.source.party_id, r.source.pk, r.reliability, r.source.reliability)
                            for r in reports)


def corroboration_of(items) -> Corroboration:
    """The rule over plain values, one (source kind, source party id, source id, item reliability, source
    reliability) per item: what the API's list rows use without model instances."""
    best: dict[tuple, str] = {}
    for kind, party_id, source_id, reliability, source_reliability in items:
        origin = ("party", party_id) if kind == "party_statement" else ("source", source_id)
        grade = reliability or source_reliability
        best[origin] = min(best.get(origin, "Z"), grade)
    return Corroboration(origins=len(best), reliable=sum(1 for g in best.values() if g in RELIABLE_GRADES))


@dataclass(frozen=True)
class Grade:
    """The Admiralty grade a page shows for an incident: `reliability` (A–F) and `credibility` (1–6)."""

    reliability: str
    credibility: int

    @property
    def code(self) -> str:
        return f"{self.reliability}{self.credibility}"

    @property
    def label(self) -> str:
        # The choice's label starts with its figure ("2 — probably true"); the code beside it already shows it.
        return str(Credibility(self.credibility).label).split(" — ", 1)[-1]


def grade(incident: Incident) -> Grade:
    """The incident's Admiralty grade as an analyst reads it, consistent with the verification decision.

    An analyst grading with the Admiralty code reads a letter for the source and a digit for the information, so:
    - reliability: the most reliable source that reported it (the best letter among its items, each item's own
      grade or else its source's; F, "cannot be judged", with no source);
    - credibility: the best of the incident's stored grade (1 once corroborated, see `Corroboration`) and its
      items' grades, then bounded by the analyst's decision, which is a judgement on the information itself:
      verified is at least 2, "probably true" (1, "confirmed by other sources", stays reserved for independent
      corroboration, as the code defines it); unconfirmed is no better than 2 (not confirmed); refuted is
      5, "improbable" (contradicted by other information).
    A verified incident on one A2 report is therefore A2, not "A6" beside "verified"."""
    items = list(incident.sources.all())
    letters = [item.reliability or item.source.reliability for item in items]
    reliability = min([letter for letter in letters if letter] or ["F"])
    credibility = min([incident.credibility, *(item.credibility for item in items if item.credibility)])
    if incident.status == Status.VERIFIED:
        credibility = min(credibility, Credibility.PROBABLY_TRUE)
    elif incident.status == Status.UNCONFIRMED:
        credibility = max(credibility, Credibility.PROBABLY_TRUE)
    elif incident.status == Status.REFUTED:
        credibility = Credibility.IMPROBABLE
    return Grade(reliability, int(credibility))


def _independent_sources(incident: Incident) -> int:
    return corroboration(incident).origins


def _corroborate(incident: Incident) -> None:
    """Raise the credibility to "confirmed" when the sources now meet the rule; never lower an analyst's grade."""
    if corroboration(incident).confirmed:
        incident.credibility = Credibility.CONFIRMED


@transaction.atomic
def attach_source(incident: Incident, user, source: Source | SourceReport, summary: str = "",
                  reliability: str = "", credibility: int | None = None, reference: str = "") -> SourceReport:
    """Attach one more item of information to an incident without merging records: the item carries its own
    Admiralty grade (the source's reliability unless given), the step is recorded, and corroboration is applied."""
    incident = _locked(incident)
    if incident.merged_into_id:
        raise ValidationError({"source": _("This incident was merged into another; add the source there.")})
    if isinstance(source, SourceReport):
        report = source
        if incident.sources.filter(pk=report.pk).exists():
            raise ValidationError({"source": _("This item is already one of the incident's sources.")})
    else:
        summary = (summary or "").strip()
        if not summary:
            raise ValidationError({"summary": _("Say what the source reported.")})
        report = SourceReport(source=source, received_at=timezone.now(), summary=summary[:2000],
                              reliability=reliability or source.reliability, reference=reference[:200],
                              credibility=credibility or Credibility.CANNOT_JUDGE,
                              reported_by=user if getattr(user, "pk", None) else None)
        report.full_clean()
        report.save()
    incident.sources.add(report)
    _corroborate(incident)
    incident.save()
    _step(incident, "source_added", incident.status, user,
          _("%(source)s, graded %(grade)s") % {"source": report.source, "grade": report.grade})
    return report


@transaction.atomic
def reopen(incident: Incident, user, reason: str, evidence) -> Incident:
    """Reopen a verified or refuted incident on new evidence: it returns to "reported" for a fresh review, the
    evidence joins its sources, and the earlier decision stays in its steps. `evidence` is one item or a list of
    items: existing source reports or (source, summary) pairs."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the decision is reopened.")})
    items = list(evidence) if isinstance(evidence, list | tuple) and not (
        len(evidence) == 2 and isinstance(evidence[0], Source)) else [evidence] if evidence else []
    if not items:
        raise ValidationError({"evidence": _("A decision is reopened on new evidence: attach it.")})
    incident = _locked(incident)
    if incident.merged_into_id:
        raise ValidationError({"status": _("This incident was merged into another; reopen that one.")})
    if incident.status not in (Status.VERIFIED, Status.REFUTED):
        raise ValidationError({"status": _("Only a verified or refuted incident can be reopened; this one is "
                                           "%(status)s.") % {"status": incident.get_status_display()}})
    for item in items:
        if isinstance(item, SourceReport):
            attach_source(incident, user, item)
        else:
            source, summary = item
            attach_source(incident, user, source, summary)
    incident = _locked(incident)
    before = incident.status
    incident.status, incident.claimed_by, incident.claimed_at = Status.REPORTED, None, None
    incident.save()
    _step(incident, "reopened", before, user, reason)
    return incident
