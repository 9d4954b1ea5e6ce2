"""The row rules that read ACLED and our HXL export back into incidents (the import itself runs through the
intake machinery: `peaceops.ceasefire.imports`)."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.ceasefire import services
from peaceops.ceasefire.formats.exporting import OUR_ID_PREFIX, UNIT_FIELDS
from peaceops.ceasefire.models import CASUALTY_FIELDS, Incident, LocationPrecision, TimePrecision
from peaceops.ceasefire.taxonomy import (
    SUBTYPES,
    from_acled,
    subtypes_of,
)
from peaceops.core.importing import RowProblems
from peaceops.core.models import Party, Source


def _tags(text: str) -> dict[str, str]:
    out = {}
    for part in (text or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _known(event_id: str) -> bool:
    if event_id.startswith(OUR_ID_PREFIX):
        try:
            return Incident.objects.filter(uuid=uuidlib.UUID(event_id[len(OUR_ID_PREFIX):])).exists()
        except ValueError:
            pass
    return bool(event_id) and Incident.objects.filter(external_id=event_id).exists()


def _decimal(value: str | None, name: str) -> Decimal | None:
    if value in ("", None):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({name: _("“%(v)s” is not a number.") % {"v": value}}) from None


def _count(value, name: str) -> int | None:
    """A unit count: empty stays "not counted"."""
    if value in ("", None) or not str(value).strip():
        return None
    number = _int(value, name)
    if number < 0:
        raise ValidationError({name: _("A count cannot be below zero.")})
    return number


def _int(value, name: str) -> int:
    try:
        return int(str(value).strip() or 0)
    except ValueError:
        raise ValidationError({name: _("“%(v)s” is not a whole number.") % {"v": value}}) from None


def _datetime(value: str, name: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise ValidationError({name: _("“%(v)s” is not an ISO 8601 date and time.") % {"v": value}}) from None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _place(location: str, district: str, lat, lon):
    """The gazetteer place named by the row, or None when the coordinates alone must do."""
    name = location.split(" of ")[-1].strip() if " km " in location else location.strip()
    for candidate in (name, district):
        if candidate:
            try:
                return services.resolve_place(candidate)
            except ValidationError:
                continue
    if lat is None:
        raise ValidationError({"location": _("No place in the gazetteer is called “%(name)s” and the row has no "
                                             "coordinates.") % {"name": location or district}})
    return None


def _party(label: str, strict: bool = True):
    if not label or label == "Unidentified":
        return None
    party = Party.objects.filter(label__iexact=label).first() or Party.objects.filter(code__iexact=label).first()
    if party is None and not strict:
        return None
    if party is None:
        raise ValidationError({"alleged_party": _("No party is called “%(label)s”.") % {"label": label}})
    return party


def _sources(names: str, alleged_by: str) -> tuple[list, Source | None]:
    found = [s for s in (Source.objects.filter(name=n.strip()).first() for n in names.split(";") if n.strip()) if s]
    alleging = Source.objects.filter(name=alleged_by).first() if alleged_by else None
    if not found:
        fallback = alleging or Source.objects.filter(kind="media").first()
        if fallback is None:
            raise ValidationError({"source": _("No known source for this row.")})
        found = [fallback]
    return found, alleging


def _acled_fields(row: dict) -> tuple[dict, list, str]:
    """The incident an ACLED row describes; a bad row is refused with every one of its problems."""
    problems = RowProblems()
    tags = _tags(row.get("tags", ""))
    pair = from_acled(row.get("event_type", ""), row.get("sub_event_type", ""), tags.get("peaceops_sub_type", ""))
    if pair is None:
        problems.add("sub_event_type", _("“%(e)s / %(s)s” is not an event type and sub-event type pair "
                                         "of ACLED's codebook.") % {
            "e": row.get("event_type"), "s": row.get("sub_event_type")})
        pair = ("", "")
    start = end = None
    if "from" in tags:
        start = problems.check("tags", lambda: _datetime(tags["from"], "tags"))
        end = problems.check("tags", lambda: _datetime(tags.get("to", tags["from"]), "tags"))
    else:
        try:
            day = dt.date.fromisoformat(row.get("event_date", "").strip())
        except ValueError:
            problems.add("event_date", _("“%(v)s” is not an ISO date.") % {"v": row.get("event_date")})
        else:
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(0)))
            end = start + dt.timedelta(days=1) - dt.timedelta(minutes=1)
    precision = tags.get("time_precision") or {"1": "day", "2": "week", "3": "month"}.get(
        str(row.get("time_precision", "1")).strip(), "day")
    lat = problems.check("latitude", lambda: _decimal(row.get("latitude"), "latitude"))
    lon = problems.check("longitude", lambda: _decimal(row.get("longitude"), "longitude"))
    fields: dict[str, Any] = {
        "external_id": "" if row.get("event_id_cnty", "").startswith(OUR_ID_PREFIX) else row.get("event_id_cnty", ""),
        "occurred_from": start, "occurred_to": end, "time_precision": precision,
        "incident_type": pair[0], "sub_type": pair[1],
        "place": problems.check("location", lambda: _place(row.get("location", ""), row.get("admin2", ""), lat,
                                                           lon)),
        "latitude": lat, "longitude": lon,
        "location_precision": {"1": "exact", "2": "near", "3": "district"}.get(
            str(row.get("geo_precision", "2")).strip(), "near"),
        "alleged_party": problems.check("actor1", lambda: _party(row.get("actor1", ""), strict=False)),
        "notes": row.get("notes", ""),
    }
    # A foreign file's actors that are not parties of this mission are kept in the notes, as the file names them.
    named = [f"{column}: {row[column].strip()}" for column in ("actor1", "actor2")
             if (row.get(column) or "").strip() and row[column].strip() != "Unidentified"
             and not (column == "actor1" and fields["alleged_party"])
             and not (column == "actor2" and "peaceops_sub_type" in tags)]
    if named:
        fields["notes"] = (fields["notes"] + "\n" if fields["notes"] else "") + "ACLED " + "; ".join(named)
    if "casualties" in tags:
        for part in tags["casualties"].split(","):
            name, _sep, value = part.partition("=")
            if name in CASUALTY_FIELDS:
                fields[name] = problems.check(name, partial(_int, value, name), 0)
    else:
        fields["killed_unknown"] = problems.check("fatalities", lambda: _int(row.get("fatalities", 0), "fatalities"), 0)
    for name in UNIT_FIELDS:
        if name in tags:
            fields[name] = problems.check(name, partial(_count, tags[name], name))
    sources, alleging = problems.check("source", lambda: _sources(row.get("source", ""), tags.get("alleged_by", "")),
                                       ([], None))
    problems.raise_if_any()
    if fields["alleged_party"]:
        fields["alleged_by"] = alleging or sources[0]
    return fields, sources, tags.get("status", "")


def _hxl_fields(row: dict) -> tuple[dict, list, str]:
    """The incident a row of our HXL export describes; a bad row is refused with every one of its problems."""
    problems = RowProblems()
    lat = problems.check("latitude", lambda: _decimal(row.get("latitude"), "latitude"))
    lon = problems.check("longitude", lambda: _decimal(row.get("longitude"), "longitude"))
    fields: dict[str, Any] = {
        "external_id": "" if row.get("event_id", "").startswith(OUR_ID_PREFIX) else row.get("event_id", ""),
        "occurred_from": problems.check("from", lambda: _datetime(row.get("start", ""), "from")),
        "occurred_to": problems.check("to", lambda: _datetime(row.get("end") or row.get("start", ""), "to"))
        if row.get("end") else None,
        "time_precision": row.get("time_precision") or TimePrecision.HOUR,
        "incident_type": row.get("incident_type", ""), "sub_type": row.get("sub_type", ""),
        "place": problems.check("location", lambda: _place(row.get("location", ""), row.get("district", ""), lat,
                                                           lon)),
        "latitude": lat, "longitude": lon,
        "location_precision": row.get("location_precision") or LocationPrecision.NEAR,
        "weapons": row.get("weapons", ""), "direction_of_fire": row.get("direction", ""),
        "alleged_party": problems.check("alleged_party", lambda: _party(row.get("alleged_party", ""))),
        "damage": row.get("damage", ""), "notes": row.get("notes", ""),
    }
    for name in UNIT_FIELDS:
        fields[name] = problems.check(name, partial(_count, row.get(name, ""), name))
    if fields["occurred_to"] is None:
        fields["occurred_to"] = fields["occurred_from"]  # no end: it happened at its start (one error, not two)
    for name in CASUALTY_FIELDS:
        fields[name] = problems.check(name, partial(_int, row.get(name, 0), name), 0)
        if fields[name] < 0:
            problems.add(name, _("A casualty count cannot be below zero."))
    # The type rules the incident's own validation applies, here so they are listed beside the row's other problems.
    if fields["incident_type"] not in SUBTYPES:
        problems.add("incident_type", _("“%(v)s” is not an incident type.") % {"v": fields["incident_type"]})
    elif fields["sub_type"] not in subtypes_of(fields["incident_type"]):
        problems.add("sub_type", _("“%(sub)s” is not a kind of %(type)s.") % {
            "sub": fields["sub_type"], "type": fields["incident_type"]})
    sources, alleging = problems.check("sources", lambda: _sources(row.get("sources", ""), row.get("alleged_by", "")),
                                       ([], None))
    problems.raise_if_any()
    if fields["alleged_party"]:
        fields["alleged_by"] = alleging or sources[0]
    return fields, sources, row.get("status", "")
