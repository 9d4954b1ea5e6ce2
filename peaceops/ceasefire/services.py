"""Ceasefire business rules. Views, API, CLI, imports and the scenario all go through these functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.ceasefire import geo
from peaceops.ceasefire.models import (
    CASUALTY_FIELDS,
    Incident,
    ObservationPostLog,
    Patrol,
    PatrolStop,
    Status,
    VerificationStep,
)
from peaceops.core import gazetteer
from peaceops.core.events import announce
from peaceops.core.models import Place, Source, SourceReport
from peaceops.core.models.places import PlaceKind
from peaceops.core.models.sources import Credibility

# Duplicate proposal: reports of one event differ by a few hours and a few km (a post sees the flash, a patrol
# finds the crater, a party names the nearest village).
DUPLICATE_HOURS = 6
DUPLICATE_KM = 10.0
# A merge beyond these is refused: the two records cannot be the same event.
MERGE_MAX_HOURS = 24
MERGE_MAX_KM = 25.0

INCIDENT_FIELDS = {
    "external_id", "occurred_from", "occurred_to", "time_precision", "place", "bearing", "distance_km",
    "latitude", "longitude", "location_precision", "incident_type", "sub_type", "weapons", "direction_of_fire",
    "alleged_party", "alleged_by", "damage", "notes", "observed_by_post", "observed_by_patrol", *CASUALTY_FIELDS,
    "explosions", "bursts", "rounds",
}


def resolve_place(name: str, field: str = "place", kinds: tuple[str, ...] | None = None) -> Place:
    """A gazetteer place for a name in any script, or a field error naming the suggestions."""
    try:
        return gazetteer.resolve(name, kinds=kinds).place
    except (gazetteer.PlaceNotFound, gazetteer.PlaceAmbiguous) as exc:
        raise ValidationError({field: str(exc)}) from None


@lru_cache(maxsize=1)
def _located_places() -> tuple[tuple[float, float, int | None], ...]:
    """(lat, lon, district id) of every place with coordinates and a district; the gazetteer is small."""
    rows = []
    for place in Place.objects.exclude(latitude=None).select_related("parent__parent"):
        district = place.district()
        if district is not None:
            rows.append((float(place.latitude), float(place.longitude), district.pk))
    return tuple(rows)


def district_for(place: Place | None, lat, lon) -> int | None:
    if place is not None:
        district = place.district()
        if district is not None:
            return district.pk
    if lat is None:
        return None
    located = _located_places()
    if not located:
        return None
    nearest = min(located, key=lambda row: geo.distance_km(float(lat), float(lon), row[0], row[1]))
    return nearest[2]


def prepare(incident: Incident) -> Incident:
    """Derive coordinates (from the place, or direction and distance from it) and the district, then validate."""
    if incident.occurred_to is None:
        incident.occurred_to = incident.occurred_from
    place = incident.place if incident.place_id else None
    if place is not None and place.has_coordinates:
        if incident.bearing and incident.distance_km is not None:
            incident.latitude, incident.longitude = geo.offset(float(place.latitude), float(place.longitude),
                                                               incident.bearing, float(incident.distance_km))
        elif incident.latitude is None and incident.longitude is None:
            incident.latitude, incident.longitude = place.latitude, place.longitude
    incident.full_clean(exclude=["sources", "attachments"])
    incident.district_id = district_for(place, incident.latitude, incident.longitude)
    return incident


def _step(incident: Incident, action: str, from_status: str, user, rationale: str = "") -> VerificationStep:
    return VerificationStep.objects.create(incident=incident, action=action, from_status=from_status,
                                           to_status=incident.status, actor=user, rationale=rationale)


@transaction.atomic
def file_incident(user, fields: dict, sources: list[SourceReport | tuple[Source, str]] = (),
                  attachments=()) -> Incident:
    """File a new incident (status "reported"). `sources` are existing items of information or (source, summary)
    pairs recorded now. Validation runs before anything is written."""
    unknown = set(fields) - INCIDENT_FIELDS
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    incident = prepare(Incident(reported_by=user if getattr(user, "pk", None) else None, **fields))
    if not sources:
        raise ValidationError({"sources": _("Name at least one source of this information.")})
    incident.save()
    reports = []
    for item in sources:
        if isinstance(item, SourceReport):
            reports.append(item)
        else:
            source, summary = item
            report = SourceReport(source=source, received_at=timezone.now(), reliability=source.reliability,
                                  summary=(summary or incident.notes or str(incident))[:2000],
                                  reported_by=incident.reported_by)
            report.save()
            reports.append(report)
    incident.sources.add(*reports)
    if attachments:
        incident.attachments.add(*attachments)
    _step(incident, "filed", "", user)
    _announce(incident, "filed")
    return incident


def _announce(incident: Incident, stage: str) -> None:
    """Tell the alerts app (after commit): every filed violation, and casualties when filed or verified."""
    facts = {"incident": incident.pk, "place": incident.place_id, "district": incident.district_id,
             "type": incident.incident_type, "sub_type": incident.sub_type, "killed": incident.killed,
             "injured": incident.injured, "casualties": incident.killed + incident.injured, "stage": stage,
             "link": f"/ceasefire/incidents/{incident.pk}/"}
    if stage == "filed":
        announce("ceasefire.violation", incident, **facts)
    if facts["casualties"]:
        announce("ceasefire.casualties", incident, **facts)


def _locked(incident: Incident) -> Incident:
    # PostgreSQL cannot lock the nullable side of the join to the reviewer; lock the incident row only.
    return Incident.objects.select_for_update(of=("self",)).select_related("claimed_by").get(pk=incident.pk)


@transaction.atomic
def claim(incident: Incident, user) -> Incident:
    """An analyst takes an incident for review; the others see who is working on it."""
    incident = _locked(incident)
    if incident.merged_into_id:
        raise ValidationError({"status": _("This incident was merged into another; review that one.")})
    if incident.status == Status.UNDER_REVIEW:
        if incident.claimed_by_id == user.pk:
            return incident
        raise ValidationError({"status": _("%(user)s is already reviewing this incident.")
                               % {"user": incident.claimed_by}})
    if incident.status not in (Status.REPORTED, Status.UNCONFIRMED):
        raise ValidationError({"status": _("A %(status)s incident is not open for review.")
                               % {"status": incident.get_status_display()}})
    before = incident.status
    incident.status, incident.claimed_by, incident.claimed_at = Status.UNDER_REVIEW, user, timezone.now()
    incident.save()
    _step(incident, "claimed", before, user)
    return incident


@transaction.atomic
def decide(incident: Incident, user, outcome: str, rationale: str) -> Incident:
    """Verify, mark unconfirmed or refute — always with a rationale, always by the analyst who claimed it."""
    if outcome not in (Status.VERIFIED, Status.UNCONFIRMED, Status.REFUTED):
        raise ValidationError({"outcome": _("Choose verified, unconfirmed or refuted.")})
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": _("Give the rationale for this decision.")})
    incident = _locked(incident)
    if incident.status != Status.UNDER_REVIEW:
        raise ValidationError({"status": _("Claim the incident for review first.")})
    if incident.claimed_by_id != user.pk:
        raise ValidationError({"status": _("%(user)s is reviewing this incident.") % {"user": incident.claimed_by}})
    incident.status = outcome
    incident.save()
    _step(incident, str(outcome), Status.UNDER_REVIEW, user, rationale)
    if outcome == Status.VERIFIED:
        _announce(incident, "verified")
    return incident


def verify(incident, user, rationale):
    return decide(incident, user, Status.VERIFIED, rationale)


def mark_unconfirmed(incident, user, rationale):
    return decide(incident, user, Status.UNCONFIRMED, rationale)


def refute(incident, user, rationale):
    return decide(incident, user, Status.REFUTED, rationale)


@dataclass(frozen=True)
class Proposal:
    incident: Incident
    hours_apart: float
    km_apart: float | None
    score: float  # 0..1, higher = more likely the same event


def _gap_hours(a: Incident, b: Incident) -> float:
    """Hours between two time windows (0 when they overlap)."""
    if a.occurred_to >= b.occurred_from and b.occurred_to >= a.occurred_from:
        return 0.0
    gap = min(abs(a.occurred_from - b.occurred_to), abs(b.occurred_from - a.occurred_to))
    return gap.total_seconds() / 3600


def _km(a: Incident, b: Incident) -> float | None:
    if a.latitude is None or b.latitude is None:
        return None
    return geo.distance_km(float(a.latitude), float(a.longitude), float(b.latitude), float(b.longitude))


def propose_duplicates(incident: Incident, limit: int = 10) -> list[Proposal]:
    """Other open incidents close in time, place and of the same type, best first.

    One range query on the indexed start time, narrowed by a degree box around the point; exact distances and
    scores are computed only for the handful of rows that survive.
    """
    if incident.merged_into_id:
        return []
    window = dt.timedelta(hours=DUPLICATE_HOURS)
    # Another report's window may open up to a day earlier (a "day" precision report) and still overlap.
    candidates = (Incident.objects.filter(
        occurred_from__gte=incident.occurred_from - window - dt.timedelta(days=1),
        occurred_from__lte=incident.occurred_to + window,
        incident_type=incident.incident_type, merged_into__isnull=True)
        .exclude(pk=incident.pk).exclude(status=Status.REFUTED))
    if incident.latitude is not None:
        dlat, dlon = geo.degree_box(float(incident.latitude), DUPLICATE_KM)
        lat, lon = float(incident.latitude), float(incident.longitude)
        candidates = candidates.filter(latitude__gte=lat - dlat, latitude__lte=lat + dlat,
                                       longitude__gte=lon - dlon, longitude__lte=lon + dlon)
    elif incident.district_id:
        candidates = candidates.filter(district_id=incident.district_id)
    proposals = []
    for other in candidates.select_related("place")[:500]:
        hours = _gap_hours(incident, other)
        if hours > DUPLICATE_HOURS:
            continue
        km = _km(incident, other)
        if km is not None and km > DUPLICATE_KM:
            continue
        score = 0.5 * (1 - min(hours, DUPLICATE_HOURS) / DUPLICATE_HOURS) + 0.5 * (
            1 - min(km, DUPLICATE_KM) / DUPLICATE_KM if km is not None else 0.3)
        if other.sub_type == incident.sub_type:
            score = min(1.0, score + 0.1)
        proposals.append(Proposal(other, round(hours, 2), None if km is None else round(km, 2), round(score, 3)))
    proposals.sort(key=lambda p: -p.score)
    return proposals[:limit]


def incompatibility(a: Incident, b: Incident) -> str | None:
    """Why two incidents cannot be one event, or None."""
    if a.pk == b.pk:
        return _("An incident cannot be merged with itself.")
    if a.incident_type != b.incident_type:
        return _("They are of different types (%(a)s, %(b)s).") % {
            "a": a.get_incident_type_display(), "b": b.get_incident_type_display()}
    if a.merged_into_id or b.merged_into_id:
        return _("One of them is already merged into another incident.")
    hours = _gap_hours(a, b)
    if hours > MERGE_MAX_HOURS:
        return _("They are %(hours)d hours apart.") % {"hours": hours}
    km = _km(a, b)
    if km is not None and km > MERGE_MAX_KM:
        return _("They are %(km).0f km apart.") % {"km": km}
    return None


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
    best: dict[tuple, str] = {}
    prefetched = "sources" in getattr(incident, "_prefetched_objects_cache", {})
    for report in incident.sources.all() if prefetched else incident.sources.select_related("source"):
        source = report.source
        origin = ("party", source.party_id) if source.kind == "party_statement" else ("source", source.pk)
        grade = report.reliability or source.reliability
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
        return str(Credibility(self.credibility).label)


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


@transaction.atomic
def merge(target: Incident, duplicates: list[Incident], user, rationale: str) -> Incident:
    """Fold duplicates into `target`: every source and attachment is kept, nothing is deleted; corroboration (see
    `Corroboration`) raises the information credibility to 1."""
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": _("Give the rationale for this merge.")})
    if not duplicates:
        raise ValidationError({"duplicates": _("Choose at least one incident to merge.")})
    target = _locked(target)
    for dup in duplicates:
        problem = incompatibility(target, dup)
        if problem:
            raise ValidationError({"duplicates": _("Incident %(id)s cannot be merged: %(why)s")
                                   % {"id": dup.pk, "why": problem}})
    for dup in duplicates:
        dup = _locked(dup)
        target.sources.add(*dup.sources.all())
        target.attachments.add(*dup.attachments.all())
        for name in ("killed_civilian", "killed_military", "killed_unknown",
                     "injured_civilian", "injured_military", "injured_unknown"):
            # Reports of the same event overlap; the highest count is the lower bound, not their sum.
            setattr(target, name, max(getattr(target, name), getattr(dup, name)))
        for name in ("explosions", "bursts", "rounds"):  # likewise; "not counted" yields to a count
            values = [v for v in (getattr(target, name), getattr(dup, name)) if v is not None]
            setattr(target, name, max(values) if values else None)
        before = dup.status
        dup.merged_into = target
        dup.save()
        _step(dup, "merged", before, user, _("Merged into incident %(id)s: %(why)s") % {"id": target.pk,
                                                                                       "why": rationale})
    _corroborate(target)
    target.save()
    _step(target, "merged", target.status, user, rationale + " — " + _("absorbed %(ids)s") % {
        "ids": ", ".join(str(d.pk) for d in duplicates)})
    return target


@transaction.atomic
def log_post(user, post: Place, shift_start, shift_end, manned: bool = True, personnel: int = 0,
             observations: str = "") -> ObservationPostLog:
    entry = ObservationPostLog(post=post, shift_start=shift_start, shift_end=shift_end, manned=manned,
                               personnel=personnel, observations=observations, created_by=user)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def record_patrol(user, route_name: str, route: list[Place], started_at, ended_at=None, team: str = "",
                  findings: str = "", distance_km=None) -> Patrol:
    if len(route) < 2:
        raise ValidationError({"route": _("A route has at least two places, in the order passed.")})
    patrol = Patrol(route_name=route_name, started_at=started_at, ended_at=ended_at, team=team,
                    findings=findings, distance_km=distance_km, created_by=user)
    patrol.full_clean()
    patrol.save()
    PatrolStop.objects.bulk_create([PatrolStop(patrol=patrol, order=i, place=p) for i, p in enumerate(route, 1)])
    return patrol


def observation_posts():
    return Place.objects.filter(kind=PlaceKind.OBSERVATION_POST).order_by("name")



def store_attachment(upload, user):
    """Keep an uploaded file in the core's content-addressed store and return its Attachment."""
    from peaceops.core.attachments import store

    try:
        return store(upload, upload.name, user, content_type=getattr(upload, "content_type", "") or "")
    except ValidationError as exc:  # active content (a page, a script, an SVG with script) is refused
        raise ValidationError({"attachment": exc.messages}) from None
