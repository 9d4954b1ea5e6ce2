"""ACLED-compatible and HXL-tagged CSV: the columns, each incident's row, the exports and libhxl's check.

ACLED's column list and codes follow its codebook (31 columns; inter codes 1 state forces … 8 external/other
forces, 0 no actor). Neutrality: the incident's "actor1" is the party *alleged* responsible, and the allegation's
source is stated in the notes; places inside the peacekeeping area carry no country (the export does not settle
sovereignty), places elsewhere carry the country of the gazetteer.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from peaceops.ceasefire.models import CASUALTY_FIELDS, Incident
from peaceops.ceasefire.services.corroboration import grade
from peaceops.ceasefire.taxonomy import (
    ACLED_DISORDER,
    CIVILIANS,
    IncidentType,
    acled_pair,
)
from peaceops.core import csvsafe
from peaceops.core import hxl as core_hxl
from peaceops.core.models import Party
from peaceops.core.models.places import PlaceKind

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
ACLED_TIME_PRECISION = {"minute": 1, "hour": 1, "day": 1, "week": 2, "month": 3}
ACLED_GEO_PRECISION = {"exact": 1, "near": 2, "district": 3}
# Party kinds → ACLED inter codes (1 state forces, 3 political militia — ACLED's code for unidentified armed
# groups, 8 external/other forces); civilians as victims are actor2 with code 7.
INTER_CODES = {"conflict_party": 1, "unknown": 3, "peacekeeping_force": 8, "intermediary": 8}
COUNTRY_ISO = {"Armenia": 51, "Azerbaijan": 31}
ACLED_REGION = "Caucasus and Central Asia"
OUR_ID_PREFIX = "PO-"
# OSCE-style units within an incident: exported in HXL columns and in the ACLED tags, read back from both.
UNIT_FIELDS = ("explosions", "bursts", "rounds")
# Whom a report type concerns, when no civilians were harmed: ACLED's actor2 (inter code 7 civilians, 8 others).
MISSION_ACTOR = "Peacekeeping mission monitors"

HXL_COLUMNS = [  # (header, hashtag, getter name)
    ("id", "#event+id", "event_id"), ("from", "#date+start", "start"), ("to", "#date+end", "end"),
    ("time precision", "#date+precision", "time_precision"),
    ("type", "#event+type+code", "incident_type"), ("sub-type", "#event+type+sub+code", "sub_type"),
    ("ACLED event type", "#event+type+acled", "acled_event_type"),
    ("ACLED sub-event type", "#event+type+sub+acled", "acled_sub_event_type"),
    ("location", "#loc+name", "location"), ("district", "#adm2+name", "district"),
    ("latitude", "#geo+lat", "latitude"), ("longitude", "#geo+lon", "longitude"),
    ("location precision", "#geo+precision", "location_precision"),
    ("weapons", "#description+weapons", "weapons"), ("direction of fire", "#description+direction", "direction"),
    ("alleged responsible", "#org+alleged", "alleged_party"), ("alleged by", "#meta+source+alleging", "alleged_by"),
    ("killed civilian", "#affected+killed+civilian", "killed_civilian"),
    ("killed military", "#affected+killed+military", "killed_military"),
    ("killed unknown", "#affected+killed+unknown", "killed_unknown"),
    ("injured civilian", "#affected+injured+civilian", "injured_civilian"),
    ("injured military", "#affected+injured+military", "injured_military"),
    ("injured unknown", "#affected+injured+unknown", "injured_unknown"),
    ("explosions", "#indicator+explosions", "explosions"), ("bursts", "#indicator+bursts", "bursts"),
    ("rounds", "#indicator+rounds", "rounds"),
    ("damage", "#description+damage", "damage"), ("notes", "#description+notes", "notes"),
    ("status", "#status", "status"), ("credibility", "#indicator+credibility", "credibility"),
    ("grade", "#indicator+grade", "grade"),
    ("sources", "#meta+source", "sources"),
]


def _event_id(incident: Incident) -> str:
    return incident.external_id or f"{OUR_ID_PREFIX}{incident.uuid}"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def _admin(incident: Incident) -> tuple[str, str, str]:
    """(country, admin1, admin2) from the gazetteer hierarchy."""
    district = incident.district
    chain = ([district] + district.ancestors()) if district else []
    country = next((p.name for p in chain if p.kind == PlaceKind.COUNTRY), "")
    regions = [p for p in chain if p.kind == PlaceKind.REGION]
    admin1 = regions[-1].name if regions else ""
    admin2 = regions[0].name if len(regions) > 1 else ""
    return country, admin1, admin2


def _source_names(incident: Incident) -> list[str]:
    return sorted({report.source.name for report in incident.sources.all()})


def _export_queryset(queryset):
    return (queryset.select_related("place", "district__parent__parent", "alleged_party", "alleged_by")
            .prefetch_related("sources__source").order_by("occurred_from", "id"))


def _country(country: str) -> tuple[str, int | str]:
    """(country, ISO 3166 numeric code) of a row. A place the gazetteer puts in a country carries it; a place in
    the peacekeeping area carries the country the operator configured for exchanges with ACLED
    (PEACEOPS_ACLED_AREA_COUNTRY, e.g. the one ACLED's own dataset files the area under) — a data-exchange
    convention chosen by the operator, empty by default, so the export settles no one's sovereignty by itself."""
    from django.conf import settings

    if not country:
        country = getattr(settings, "PEACEOPS_ACLED_AREA_COUNTRY", "") or ""
    return country, COUNTRY_ISO.get(country, "")


def _actor2(incident: Incident, civilians: int) -> tuple[str, int]:
    """ACLED's second actor and its inter code: the civilians harmed (7); the monitors, for a restriction on
    their movement (8); otherwise, for fire alleged against a party to the conflict, the other party (1) — the
    allegation's own counterpart, stated in the notes as alleged; else none (0)."""
    if civilians or incident.incident_type == IncidentType.CIVILIAN_CASUALTIES:
        return "Civilians", 7
    if incident.incident_type == IncidentType.MOVEMENT_RESTRICTION:
        return MISSION_ACTOR, 8
    party = incident.alleged_party
    if party is not None and party.kind == "conflict_party":
        others = [p for p in _conflict_parties() if p.pk != party.pk]
        if len(others) == 1:
            return others[0].label, 1
    return "", 0


def _conflict_parties() -> list:
    return list(Party.objects.filter(kind="conflict_party").order_by("pk"))


def acled_row(incident: Incident) -> dict:
    event_type, sub_event_type = acled_pair(incident.incident_type, incident.sub_type)
    party = incident.alleged_party
    inter1 = INTER_CODES.get(party.kind, 3) if party else 3
    civilians = incident.killed_civilian + incident.injured_civilian
    actor2, inter2 = _actor2(incident, civilians)
    country, admin1, admin2 = _admin(incident)
    country, iso = _country(country)
    start = _local(incident.occurred_from)
    notes = f"{incident.get_incident_type_display()} ({incident.get_sub_type_display()})"
    if incident.notes:
        notes += f": {incident.notes}"
    if party:
        notes += f" Responsibility as alleged by {incident.alleged_by}: {party.label}."
    casualties = ",".join(f"{name}={getattr(incident, name)}" for name in CASUALTY_FIELDS)
    tags = "; ".join([
        f"peaceops_sub_type={incident.sub_type}", f"status={incident.status}",
        f"from={start.isoformat()}", f"to={_local(incident.occurred_to).isoformat()}",
        f"time_precision={incident.time_precision}", f"casualties={casualties}",
        f"alleged_by={incident.alleged_by.name if incident.alleged_by else ''}",
        *[f"{name}={getattr(incident, name)}" for name in UNIT_FIELDS if getattr(incident, name) is not None],
    ])
    return {
        "event_id_cnty": _event_id(incident), "event_date": start.date().isoformat(), "year": start.year,
        "time_precision": ACLED_TIME_PRECISION[incident.time_precision],
        "disorder_type": ACLED_DISORDER.get(event_type, "Political violence"),
        "event_type": event_type, "sub_event_type": sub_event_type,
        "actor1": party.label if party else "Unidentified", "assoc_actor_1": "", "inter1": inter1,
        "actor2": actor2, "assoc_actor_2": "", "inter2": inter2,
        "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}") if inter2 else inter1 * 10,
        "civilian_targeting": "Civilian targeting" if civilians or event_type == CIVILIANS else "",
        "iso": iso, "region": ACLED_REGION, "country": country,
        "admin1": admin1, "admin2": admin2, "admin3": "",
        "location": incident.location_label, "latitude": f"{incident.latitude:.4f}" if incident.latitude else "",
        "longitude": f"{incident.longitude:.4f}" if incident.longitude else "",
        "geo_precision": ACLED_GEO_PRECISION[incident.location_precision],
        "source": "; ".join(_source_names(incident)), "source_scale": "Other", "notes": notes,
        "fatalities": incident.killed, "tags": tags, "timestamp": int(incident.updated_at.timestamp()),
    }


def export_acled(queryset, out) -> int:
    writer = csvsafe.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for incident in _export_queryset(queryset).iterator(chunk_size=2000):
        writer.writerow(acled_row(incident))
        count += 1
    return count


def hxl_row(incident: Incident) -> dict:
    event_type, sub_event_type = acled_pair(incident.incident_type, incident.sub_type)
    _country, _admin1, admin2 = _admin(incident)
    values = {
        "event_id": _event_id(incident), "start": _local(incident.occurred_from).isoformat(),
        "end": _local(incident.occurred_to).isoformat(), "time_precision": incident.time_precision,
        "incident_type": incident.incident_type, "sub_type": incident.sub_type,
        "acled_event_type": event_type, "acled_sub_event_type": sub_event_type,
        "location": incident.place.name if incident.place and not incident.bearing else incident.location_label,
        "district": admin2, "latitude": f"{incident.latitude:.6f}" if incident.latitude else "",
        "longitude": f"{incident.longitude:.6f}" if incident.longitude else "",
        "location_precision": incident.location_precision, "weapons": incident.weapons,
        "direction": incident.direction_of_fire,
        "alleged_party": incident.alleged_party.label if incident.alleged_party else "",
        "alleged_by": incident.alleged_by.name if incident.alleged_by else "",
        "damage": incident.damage, "notes": incident.notes, "status": incident.status,
        **{name: "" if getattr(incident, name) is None else getattr(incident, name) for name in UNIT_FIELDS},
        "credibility": incident.credibility, "sources": "; ".join(_source_names(incident)),
        # The Admiralty grade the incident's page shows (best source letter, information bounded by the decision).
        "grade": grade(incident).code,
    }
    values.update({name: getattr(incident, name) for name in CASUALTY_FIELDS})
    return values


def export_hxl(queryset, out) -> int:
    incidents = _export_queryset(queryset).iterator(chunk_size=2000)
    rows = ([row[key] for _header, _tag, key in HXL_COLUMNS] for row in map(hxl_row, incidents))
    return core_hxl.write_hxl(out, [(header, tag) for header, tag, _key in HXL_COLUMNS], rows)


EXPORTERS = {"acled": export_acled, "hxl": export_hxl}

# libhxl schema the HXL export must satisfy (and an HXL import is checked against).
HXL_SCHEMA = [
    ["#valid_tag", "#valid_required", "#valid_datatype", "#valid_value+min", "#valid_value+max"],
    ["#event+id", "true", "", "", ""],
    ["#date+start", "true", "date", "", ""],
    ["#event+type+code", "true", "", "", ""],
    ["#geo+lat", "", "number", "38", "42"],
    ["#geo+lon", "", "number", "43", "51"],
    *[[tag, "true", "number", "0", ""] for _h, tag, key in HXL_COLUMNS if key in CASUALTY_FIELDS],
]


def validate_hxl(text: str) -> list[str]:
    """Structural and schema errors libhxl finds in an HXL CSV (empty when valid)."""
    import hxl

    rows = list(csvsafe.reader(io.StringIO(text)))
    try:
        report = hxl.validate(hxl.data(rows), hxl.data(HXL_SCHEMA))
    except hxl.HXLException as exc:
        return [str(exc)]
    if report["is_valid"]:
        return []
    problems = []
    for issue in report.get("issues", []):
        for where in issue.get("locations") or [{}]:
            line = where.get("source_row")
            problems.append(f"line {line + 1 if line is not None else '?'}: {issue['tag_pattern']}: "
                            f"{issue['description']} ({where.get('value', '')})")
    return problems
