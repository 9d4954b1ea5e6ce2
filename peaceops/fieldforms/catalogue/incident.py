"""The incident report."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.fieldforms.catalogue.base import (
    Errors,
    Received,
    _choices,
    _not_future,
    _party,
    _places,
    _source,
    _sources,
    attached_photos,
    resolve_place,
)
from peaceops.fieldforms.instances import Values

# --- incident report ----------------------------------------------------------------------------------------

def incident_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.ceasefire.models import CASUALTY_FIELDS, Incident
    from peaceops.ceasefire.models.incidents import Bearing, LocationPrecision, TimePrecision
    from peaceops.ceasefire.taxonomy import SUBTYPES, IncidentType
    from peaceops.core.models import Party
    from peaceops.core.models.places import PlaceKind
    from peaceops.core.models.sources import Credibility, Reliability

    label = {f.name: f.verbose_name for f in Incident._meta.get_fields() if hasattr(f, "verbose_name")}
    survey: list[dict] = [
        {"type": "dateTime", "name": "occurred", "label": gettext_lazy("When did it happen (or begin)?"),
         "required": "yes", "constraint": ". <= now()",
         "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "dateTime", "name": "occurred_to", "label": gettext_lazy("Until (leave empty for a moment)"),
         "constraint": ". >= ${occurred}",
         "constraint_message": gettext_lazy("The end is before the start.")},
        {"type": "select_one time_precision", "name": "time_precision", "label": label["time_precision"],
         "required": "yes", "default": TimePrecision.HOUR},
        {"type": "geopoint", "name": "location", "label": gettext_lazy("Where: the point"),
         "hint": gettext_lazy("Take or place the point if you can; otherwise choose the place below.")},
        {"type": "select_one place", "name": "place", "label": label["place"], "appearance": "minimal autocomplete",
         "required": "${location} = ''",
         "required_message": gettext_lazy("Say where: a point or a place.")},
        {"type": "select_one bearing", "name": "bearing", "label": label["bearing"], "relevant": "${place} != ''"},
        {"type": "decimal", "name": "distance_km", "label": label["distance_km"], "relevant": "${bearing} != ''",
         "required": "${bearing} != ''", "constraint": ". >= 0"},
        {"type": "select_one location_precision", "name": "location_precision",
         "label": label["location_precision"], "required": "yes", "default": LocationPrecision.NEAR},
        {"type": "select_one incident_type", "name": "incident_type", "label": label["incident_type"],
         "required": "yes"},
        {"type": "select_one sub_type", "name": "sub_type", "label": label["sub_type"], "required": "yes",
         "choice_filter": "incident_type=${incident_type}"},
        {"type": "text", "name": "weapons", "label": label["weapons"]},
        {"type": "text", "name": "direction_of_fire", "label": label["direction_of_fire"]},
        {"type": "begin_group", "name": "casualties", "label": gettext_lazy("Casualties"),
         "appearance": "field-list"},
        *({"type": "integer", "name": name, "label": label[name], "default": "0", "required": "yes",
           "constraint": ". >= 0", "constraint_message": gettext_lazy("A count cannot be below zero.")}
          for name in CASUALTY_FIELDS),
        {"type": "end_group", "name": ""},
        {"type": "select_one source", "name": "source", "label": gettext_lazy("Source of this information"),
         "required": "yes"},
        {"type": "select_one reliability", "name": "source_reliability",
         "label": gettext_lazy("Source reliability"), "required": "yes", "default": Reliability.F},
        {"type": "select_one credibility", "name": "credibility", "label": gettext_lazy("Information credibility"),
         "required": "yes", "default": str(Credibility.CANNOT_JUDGE)},
        {"type": "text", "name": "source_summary", "label": gettext_lazy("What the source said")},
        {"type": "select_one party", "name": "alleged_party", "label": label["alleged_party"]},
        {"type": "select_one source", "name": "alleged_by", "label": label["alleged_by"],
         "relevant": "${alleged_party} != ''", "required": "${alleged_party} != ''",
         "required_message": gettext_lazy("Responsibility is only ever as alleged by a source: name who alleges "
                                          "it.")},
        {"type": "select_one post", "name": "observed_by_post", "label": label["observed_by_post"]},
        {"type": "text", "name": "damage", "label": label["damage"]},
        {"type": "text", "name": "notes", "label": label["notes"]},
        {"type": "image", "name": "photo", "label": gettext_lazy("Photo")},
    ]
    types = dict(IncidentType.choices)
    choices = [
        *_choices("time_precision", TimePrecision.choices),
        *_choices("bearing", Bearing.choices),
        *_choices("location_precision", LocationPrecision.choices),
        *_choices("incident_type", types.items()),
        *({"list_name": "sub_type", "name": sub, "label": text, "incident_type": str(kind)}
          for kind, subs in SUBTYPES.items() for sub, (text, _e, _s) in subs.items()),
        *_choices("reliability", Reliability.choices),
        *_choices("credibility", Credibility.choices),
        *_choices("party", ((p.code, p.label) for p in Party.objects.filter(kind__in=["conflict_party", "unknown"])
                            .order_by("label"))),
        *_sources(),
        *_places("place", (PlaceKind.SETTLEMENT, PlaceKind.CHECKPOINT, PlaceKind.OBSERVATION_POST,
                           PlaceKind.CROSSING, PlaceKind.FACILITY_SITE, PlaceKind.ROAD_SEGMENT)),
        *_places("post", (PlaceKind.OBSERVATION_POST,)),
    ]
    return survey, choices


def _incident_fields(v: Values, received: Received) -> tuple[dict, dict]:
    """The incident's fields and its source report's, or every broken rule at once."""
    from peaceops.ceasefire.models import CASUALTY_FIELDS
    from peaceops.core.models.places import PlaceKind
    from peaceops.core.models.sources import Reliability

    errors = Errors()
    occurred = errors.read("occurred", lambda: v.datetime("occurred"))
    if occurred is None and "occurred" not in errors.by_field:
        errors.add("occurred", _("Say when it happened."))
    occurred_to = errors.read("occurred_to", lambda: v.datetime("occurred_to"))
    _not_future(errors, "occurred", occurred)
    _not_future(errors, "occurred_to", occurred_to)
    point = errors.read("location", lambda: v.geopoint("location"))
    place = errors.read("place", lambda: resolve_place(v.text("place"))) if v.text("place") else None
    post = errors.read("observed_by_post", lambda: resolve_place(v.text("observed_by_post"),
                                                                 (PlaceKind.OBSERVATION_POST,))) \
        if v.text("observed_by_post") else None
    party = errors.read("alleged_party", lambda: _party(v.text("alleged_party"))) if v.text("alleged_party") else None
    alleged_by = errors.read("alleged_by", lambda: _source(v.text("alleged_by"))) if v.text("alleged_by") else None
    source = errors.read("source", lambda: _source(v.text("source"))) if v.text("source") else None
    if source is None and "source" not in errors.by_field:
        errors.add("source", _("Name the source of this information."))
    reliability = v.text("source_reliability") or (source.reliability if source else Reliability.F)
    if reliability not in Reliability.values:
        errors.add("source_reliability", _("“%(value)s” is not a reliability grade (A–F).") % {"value": reliability})
    credibility = errors.read("credibility", lambda: v.integer("credibility", 6), 6)
    if credibility not in range(1, 7):
        errors.add("credibility", _("Credibility is graded 1 to 6."))
    casualties = {name: errors.read(f"casualties/{name}", partial(v.integer, f"casualties/{name}"), 0)
                  for name in CASUALTY_FIELDS}
    distance = errors.read("distance_km", lambda: v.decimal("distance_km"))
    errors.raise_if_any()
    fields = {
        "external_id": received.instance_id, "occurred_from": occurred, "occurred_to": occurred_to or occurred,
        "time_precision": v.text("time_precision") or "hour", "place": place, "bearing": v.text("bearing"),
        "distance_km": Decimal(f"{distance:.1f}") if distance is not None else None,
        "latitude": Decimal(f"{point[0]:.6f}") if point else None,
        "longitude": Decimal(f"{point[1]:.6f}") if point else None,
        "location_precision": "exact" if point and not place else (v.text("location_precision") or "near"),
        "incident_type": v.text("incident_type"), "sub_type": v.text("sub_type"), "weapons": v.text("weapons"),
        "direction_of_fire": v.text("direction_of_fire"), "alleged_party": party, "alleged_by": alleged_by,
        "damage": v.text("damage"), "notes": v.text("notes"), "observed_by_post": post, **casualties,
    }
    report = {"source": source, "reliability": reliability, "credibility": credibility,
              "summary": v.text("source_summary")}
    return fields, report




def save_incident(v: Values, received: Received):
    from peaceops.ceasefire import services
    from peaceops.core.models import SourceReport

    fields, report = _incident_fields(v, received)
    with transaction.atomic():
        source_report = SourceReport(
            source=report["source"], received_at=received.received_at, reliability=report["reliability"],
            credibility=report["credibility"], reference=received.instance_id[:200],
            summary=(report["summary"] or fields["notes"] or _("Field incident report"))[:2000],
            reported_by=received.user if getattr(received.user, "pk", None) else None)
        source_report.save()
        return services.file_incident(received.user, fields, [source_report],
                                      attached_photos(v, received, ("photo",)))


def update_incident(incident, v: Values, received: Received):
    """An edit from the field changes an incident only while no analyst has taken it up; afterwards the edit
    waits in the review queue for the analyst."""
    from peaceops.ceasefire import services
    from peaceops.ceasefire.models import Status

    if incident.status != Status.REPORTED or incident.merged_into_id:
        raise ValidationError(_("Incident %(id)s is already %(status)s; an analyst applies this edit.")
                              % {"id": incident.pk, "status": incident.get_status_display()})
    fields, _report = _incident_fields(v, received)
    fields.pop("external_id")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(incident, name, value)
        services.prepare(incident)
        incident._change_reason = f"field edit {received.instance_id}"
        incident.save()
        photos = attached_photos(v, received, ("photo",))
        if photos:
            incident.attachments.add(*photos)
    return incident
