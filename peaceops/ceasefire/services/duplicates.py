"""Duplicate reports of one event: proposals by time, place and type, and the merge that folds them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peaceops.ceasefire import geo
from peaceops.ceasefire.models import Incident, Status
from peaceops.ceasefire.services.corroboration import _corroborate
from peaceops.ceasefire.services.workflow import _locked, _step

# Duplicate proposal: reports of one event differ by a few hours and a few km (a post sees the flash, a patrol
# finds the crater, a party names the nearest village).
DUPLICATE_HOURS = 6
DUPLICATE_KM = 10.0
# A merge beyond these is refused: the two records cannot be the same event.
MERGE_MAX_HOURS = 24
MERGE_MAX_KM = 25.0


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
    at_a, at_b = geo.point(a), geo.point(b)
    if at_a is None or at_b is None:
        return None
    return geo.distance_km(*at_a, *at_b)


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
    if (at := geo.point(incident)) is not None:
        lat, lon = at
        dlat, dlon = geo.degree_box(lat, DUPLICATE_KM)
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
