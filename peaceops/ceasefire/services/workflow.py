"""Filing an incident and its review: claim, then verify, mark unconfirmed or refute with a rationale."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ForeignKey
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.ceasefire import geo
from peaceops.ceasefire.models import CASUALTY_FIELDS, Incident, Status, VerificationStep
from peaceops.core import gazetteer
from peaceops.core.events import announce
from peaceops.core.models import Place, Source, SourceReport
from peaceops.core.models.places import PlaceKind

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


_located_lock = threading.Lock()
_located: dict[str, object] = {"stamp": None, "rows": ()}


def _located_places() -> tuple[tuple[float, float, int | None], ...]:
    """(lat, lon, district id) of every place with coordinates and a district; the gazetteer is small. Kept per
    process while the gazetteer's stamp stands (one query): a place added, moved or re-parented in another
    process is seen by the next filing (it was kept until the process ended)."""
    current = gazetteer.stamp()
    with _located_lock:
        if _located["stamp"] != current:
            rows = []
            for place in Place.objects.exclude(latitude=None).select_related("parent__parent"):
                district, at = place.district(), geo.point(place)
                if district is not None and at is not None:
                    rows.append((*at, district.pk))
            _located["stamp"], _located["rows"] = current, tuple(rows)
        return _located["rows"]  # type: ignore[return-value]


def enclosing_region(place: Place) -> Place | None:
    """`place.district()`, walked up only as far as the nearest region: district() reads every ancestor first (a
    query per level not already read), so a place the gazetteer resolved with its parent and grandparent costs a
    settlement no query here."""
    if place.kind == PlaceKind.REGION:
        return place
    node, seen = place.parent, set()
    while node is not None and node.pk not in seen:
        if node.kind == PlaceKind.REGION:
            return node
        seen.add(node.pk)
        node = node.parent
    return None


def district_for(place: Place | None, lat, lon) -> int | None:
    if place is not None:
        district = enclosing_region(place)
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
    at = geo.point(place) if place is not None else None
    if place is not None and at is not None:
        if incident.bearing and incident.distance_km is not None:
            incident.latitude, incident.longitude = geo.offset(*at, incident.bearing, float(incident.distance_km))
        elif incident.latitude is None and incident.longitude is None:
            incident.latitude, incident.longitude = place.latitude, place.longitude
    incident.full_clean(exclude=["sources", "attachments", *_known_to_exist(incident)],
                        validate_constraints=not _constraints_vacuous(incident))
    incident.district_id = district_for(place, incident.latitude, incident.longitude)
    return incident


# The constraints clean() already checks or that cannot fail for a new incident without an external id: the
# window's order is clean()'s own check (with a field message), and external_id's uniqueness holds for "".
_VACUOUS_WITHOUT_EXTERNAL_ID = frozenset({"cf_incident_window_order", "cf_incident_external_id_once"})


def _constraints_vacuous(incident: Incident) -> bool:
    """Whether Django's constraint check (a query per constraint, each in a savepoint) could only pass: then it is
    skipped. A constraint added to Incident makes this False until it is named above."""
    names = {constraint.name for constraint in Incident._meta.constraints}
    return not incident.external_id and names <= _VACUOUS_WITHOUT_EXTERNAL_ID


def _known_to_exist(incident: Incident) -> list[str]:
    """Fields whose check full_clean would query for nothing: a foreign key holding a record read from the
    database this request (the resolved place, the filing user, a source the serializer fetched) exists, and the
    uuid of a new incident is its fresh default (filing takes none from outside). The database's own foreign key
    and unique constraints still guard the INSERT."""
    skip = []
    for field in Incident._meta.concrete_fields:
        if not isinstance(field, ForeignKey) or not field.is_cached(incident) or field.get_limit_choices_to():
            continue
        related = field.get_cached_value(incident)
        if related is not None and not related._state.adding and related.pk is not None:
            skip.append(field.name)
    if incident._state.adding:
        skip.append("uuid")
    return skip


def _step(incident: Incident, action: str, from_status: str, user, rationale: str = "") -> VerificationStep:
    return VerificationStep.objects.create(incident=incident, action=action, from_status=from_status,
                                           to_status=incident.status, actor=user, rationale=rationale)


@transaction.atomic
def file_incident(user, fields: dict, sources: Sequence[SourceReport | tuple[Source, str]] = (),
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
