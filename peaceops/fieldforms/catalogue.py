"""The field forms PeaceOps ships, each written from the models' vocabularies and saved through its module's
services — the same functions the web forms call, so a phone's record obeys the same rules.

A form declares who may submit it (`capability`), who reviews what it sends (`review_capability`), its rows,
and `save(values, received)` returning the record; `update(record, values, received)` applies an edited
instance (deprecatedID) to the record it made. Both raise ValidationError (or FieldValueError) for a submission
that breaks a rule; the intake keeps it in the review queue with that reason.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.fieldforms import xlsform
from peaceops.fieldforms.instances import FieldValueError, Values

FUTURE_SLACK = dt.timedelta(minutes=10)  # a phone's clock a few minutes fast is not a date in the future


@dataclass
class Received:
    """What came with the instance: who sent it, its instance id, and its stored attachments by file name."""

    user: object
    instance_id: str
    attachments: dict
    received_at: dt.datetime


@dataclass(frozen=True)
class FieldForm:
    form_id: str
    title: object
    capability: str
    review_capability: str
    record_model: str  # app_label.Model of the record a submission becomes
    view_capability: str  # who reads its submissions (a coordinator reads, a reviewer decides)
    rows: Callable[[], tuple[list[dict], list[dict]]]
    save: Callable[[Values, Received], object]
    update: Callable[[object, Values, Received], object] | None = None

    def built(self) -> xlsform.Built:
        """The form as shipped now. Building it reads the gazetteer and every vocabulary, which cost a busy
        intake more than the records it made; a build is reused for BUILT_SECONDS in this process, so a changed
        vocabulary reaches the form list within that time."""
        language = translation.get_language()
        cached = _BUILT.get((self.form_id, language))
        if cached is not None and time.monotonic() - cached[0] < BUILT_SECONDS:
            return cached[1]
        built = xlsform.build(self.form_id, self.title, *self.rows())
        _BUILT[(self.form_id, language)] = (time.monotonic(), built)
        return built

    def field_paths(self) -> set[str]:
        """The instance paths of this form's fields ("casualties/killed_civilian", "member/name")."""
        paths, stack = set(), []
        for cells in self.built().survey:
            row = dict(cells)
            kind = row["type"].replace(" ", "_")
            if kind in ("begin_group", "begin_repeat"):
                stack.append(row["name"])
            elif kind in ("end_group", "end_repeat"):
                stack.pop()
            elif row.get("name"):
                paths.add("/".join([*stack, row["name"]]))
        return paths


BUILT_SECONDS = 30.0
_BUILT: dict[tuple[str, str | None], tuple[float, xlsform.Built]] = {}


def forget_built() -> None:
    """Rebuild every form on next use (tests, and a command that just changed a vocabulary)."""
    _BUILT.clear()


class Errors:
    """Every broken rule of a submission at once, by field, so a reviewer sees them all."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.by_field.setdefault(path, []).append(str(message))

    def read(self, path: str, reader: Callable[[], object], default=None):
        try:
            return reader()
        except FieldValueError as exc:
            self.add(exc.path, str(exc).split(": ", 1)[-1])
        except ValidationError as exc:
            for message in exc.messages:
                self.add(path, message)
        return default

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# --- vocabularies -------------------------------------------------------------------------------------------

def place_key(place) -> str:
    return place.pcode or f"place{place.pk}"


def resolve_place(key: str, kinds: tuple[str, ...] | None = None):
    """A place from a form's choice (P-code or place<id>), or from a name in any script (Kobo forms with free
    text); a ValidationError saying it is not in the gazetteer otherwise."""
    from peaceops.ceasefire import services
    from peaceops.core.models import Place

    found = None
    if key.startswith("place") and key[5:].isdigit():
        found = Place.objects.filter(pk=int(key[5:])).first()
    elif key:
        found = Place.objects.filter(pcode=key).first()
    if found is not None and (kinds is None or found.kind in kinds):
        return found
    try:
        return services.resolve_place(key, kinds=kinds)
    except ValidationError:
        raise ValidationError(_("“%(key)s” is not a place in the gazetteer (an old form, or a place since removed); "
                                "choose the place again.") % {"key": key}) from None


def _choices(list_name: str, pairs) -> list[dict]:
    return [{"list_name": list_name, "name": str(name), "label": label} for name, label in pairs]


def _places(list_name: str, kinds: tuple[str, ...]) -> list[dict]:
    from peaceops.core.models import Place

    return _choices(list_name, ((place_key(p), p.name) for p in Place.objects.filter(kind__in=kinds)
                                .order_by("name", "pk")))


def _sources() -> list[dict]:
    from peaceops.core.models import Source

    return _choices("source", ((f"source{s.pk}", s.name) for s in Source.objects.order_by("name")))


def _source(key: str):
    from peaceops.core.models import Source

    source = Source.objects.filter(pk=int(key[6:])).first() if key.startswith("source") and key[6:].isdigit() \
        else Source.objects.filter(name=key).first()
    if source is None:
        raise ValidationError(_("“%(key)s” is not a known source.") % {"key": key})
    return source


def _party(code: str):
    from peaceops.core.models import Party

    party = Party.objects.filter(code=code).first()
    if party is None:
        raise ValidationError(_("“%(key)s” is not a known party.") % {"key": code})
    return party


def _not_future(errors: Errors, path: str, when) -> None:
    if when is None:
        return
    future = when > timezone.now() + FUTURE_SLACK if isinstance(when, dt.datetime) else \
        when > (timezone.localtime(timezone.now() + FUTURE_SLACK)).date()
    if future:
        errors.add(path, _("%(when)s is in the future; check the phone's date and time.")
                   % {"when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if isinstance(when, dt.datetime)
                      else when.isoformat()})


# --- incident report ----------------------------------------------------------------------------------------

def incident_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.ceasefire.models import CASUALTY_FIELDS, Incident
    from peaceops.ceasefire.models.incidents import Bearing, LocationPrecision, TimePrecision
    from peaceops.ceasefire.taxonomy import SUBTYPES, IncidentType
    from peaceops.core.models import Party
    from peaceops.core.models.places import PlaceKind
    from peaceops.core.models.sources import Credibility, Reliability

    label = {f.name: f.verbose_name for f in Incident._meta.get_fields() if hasattr(f, "verbose_name")}
    survey = [
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
    casualties = {name: errors.read(f"casualties/{name}", lambda n=name: v.integer(f"casualties/{n}"), 0)
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


def _photos(v: Values, received: Received, paths: tuple[str, ...]) -> list:
    attachments = []
    for path in paths:
        name = v.text(path)
        if name and name in received.attachments:
            attachments.append(received.attachments[name])
    return attachments


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
                                      _photos(v, received, ("photo",)))


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
        photos = _photos(v, received, ("photo",))
        if photos:
            incident.attachments.add(*photos)
    return incident


# --- returnee registration (household with a repeat per member) ---------------------------------------------

RELATIONSHIPS = (("head", gettext_lazy("head of household")), ("spouse", gettext_lazy("spouse")),
                 ("child", gettext_lazy("child")), ("parent", gettext_lazy("parent")),
                 ("sibling", gettext_lazy("brother or sister")), ("grandchild", gettext_lazy("grandchild")),
                 ("other", gettext_lazy("other relative or carer")))


def registration_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.core.models.people import Sex
    from peaceops.core.models.places import PlaceKind
    from peaceops.returns.models import Vulnerability

    survey = [
        {"type": "text", "name": "reference", "label": gettext_lazy("Registration card number"),
         "hint": gettext_lazy("As written on the card; leave empty if there is none.")},
        {"type": "date", "name": "registered_on", "label": gettext_lazy("Registered on"), "required": "yes",
         "constraint": ". <= today()", "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "select_one settlement", "name": "origin", "label": gettext_lazy("Coming from"),
         "appearance": "minimal autocomplete"},
        {"type": "select_one settlement", "name": "destination", "label": gettext_lazy("Returning to"),
         "appearance": "minimal autocomplete", "required": "yes"},
        {"type": "select_multiple vulnerability", "name": "vulnerabilities",
         "label": gettext_lazy("Vulnerabilities in the household")},
        {"type": "begin_repeat", "name": "member", "label": gettext_lazy("Household member (the head first)")},
        {"type": "text", "name": "name", "label": gettext_lazy("Full name, as written"), "required": "yes"},
        {"type": "select_one sex", "name": "sex", "label": gettext_lazy("Sex"), "required": "yes"},
        {"type": "integer", "name": "birth_year", "label": gettext_lazy("Year of birth"),
         "constraint": ". >= 1900 and . <= 2100"},
        {"type": "integer", "name": "birth_month", "label": gettext_lazy("Month of birth"),
         "constraint": ". >= 1 and . <= 12"},
        {"type": "integer", "name": "birth_day", "label": gettext_lazy("Day of birth"),
         "constraint": ". >= 1 and . <= 31"},
        {"type": "select_one relationship", "name": "relationship", "label": gettext_lazy("Relationship to head")},
        {"type": "end_repeat", "name": ""},
    ]
    choices = [
        *_places("settlement", (PlaceKind.SETTLEMENT,)),
        *_choices("vulnerability", Vulnerability.choices),
        *_choices("sex", Sex.choices),
        *_choices("relationship", RELATIONSHIPS),
    ]
    return survey, choices


def _household(v: Values, received: Received) -> dict:
    from peaceops.core.models.places import PlaceKind
    from peaceops.returns.services.households import MemberSpec, validate_vulnerabilities

    errors = Errors()
    registered_on = errors.read("registered_on", lambda: v.date("registered_on"))
    _not_future(errors, "registered_on", registered_on)
    origin = errors.read("origin", lambda: resolve_place(v.text("origin"), (PlaceKind.SETTLEMENT,))) \
        if v.text("origin") else None
    destination = errors.read("destination", lambda: resolve_place(v.text("destination"), (PlaceKind.SETTLEMENT,))) \
        if v.text("destination") else None
    if destination is None and "destination" not in errors.by_field:
        errors.add("destination", _("Say where the household is returning to."))
    vulnerabilities = errors.read("vulnerabilities", lambda: validate_vulnerabilities(v.words("vulnerabilities")), [])
    members = []
    for index, member in enumerate(v.repeat("member"), 1):
        path = f"member[{index}]"
        year, month, day = (errors.read(f"{path}/{n}", lambda n=n, m=member: m.integer(n, None))
                            for n in ("birth_year", "birth_month", "birth_day"))
        if year and year > timezone.localdate().year:
            errors.add(f"{path}/birth_year", _("%(year)s is in the future.") % {"year": year})
        members.append(MemberSpec(name=member.text("name"), sex=member.text("sex") or "U", birth_year=year,
                                  birth_month=month, birth_day=day, relationship=member.text("relationship")))
    if not members:
        errors.add("member", _("A household needs at least one member."))
    errors.raise_if_any()
    return {"members": members, "destination": destination, "origin": origin, "vulnerabilities": vulnerabilities,
            "registered_on": registered_on, "reference": v.text("reference")[:60]}


def save_registration(v: Values, received: Received):
    from peaceops.returns.services.households import register_household

    household = _household(v, received)
    return register_household(household.pop("members"), household.pop("destination"),
                              written_by=_("field form %(id)s") % {"id": received.instance_id}, **household)


def update_registration(household, v: Values, received: Received):
    """An edit changes where the household comes from and goes to and its vulnerabilities; members are people
    with identity records, so a changed list of members waits for a returns officer."""
    fields = _household(v, received)
    current = [m.person.names.filter(is_primary=True).values_list("full_name", flat=True).first()
               for m in household.members.select_related("person").order_by("pk")]
    if [m.name.strip() for m in fields["members"]] != current:
        raise ValidationError(_("The edit changes the household's members; a returns officer applies it."))
    if household.state != "waiting":
        raise ValidationError(_("Household %(ref)s is no longer waiting; a returns officer applies this edit.")
                              % {"ref": household.reference or household.pk})
    household.origin, household.destination = fields["origin"], fields["destination"]
    household.vulnerabilities = fields["vulnerabilities"]
    household.is_vulnerable = bool(fields["vulnerabilities"])
    household._change_reason = f"field edit {received.instance_id}"
    household.full_clean()
    household.save()
    return household


# --- observation-post log ----------------------------------------------------------------------------------

YES_NO = (("yes", gettext_lazy("yes")), ("no", gettext_lazy("no")))


def post_log_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.ceasefire.models import ObservationPostLog
    from peaceops.core.models.places import PlaceKind

    label = {f.name: f.verbose_name for f in ObservationPostLog._meta.get_fields() if hasattr(f, "verbose_name")}
    survey = [
        {"type": "select_one post", "name": "post", "label": label["post"], "required": "yes",
         "appearance": "minimal autocomplete"},
        {"type": "dateTime", "name": "shift_start", "label": label["shift_start"], "required": "yes",
         "constraint": ". <= now()", "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "dateTime", "name": "shift_end", "label": label["shift_end"], "required": "yes",
         "constraint": ". >= ${shift_start}", "constraint_message": gettext_lazy("The end is before the start.")},
        {"type": "select_one yes_no", "name": "manned", "label": label["manned"], "required": "yes",
         "default": "yes"},
        {"type": "integer", "name": "personnel", "label": label["personnel"], "constraint": ". >= 0",
         "default": "0"},
        {"type": "text", "name": "observations", "label": label["observations"], "appearance": "multiline"},
    ]
    return survey, [*_places("post", (PlaceKind.OBSERVATION_POST,)), *_choices("yes_no", YES_NO)]


def save_post_log(v: Values, received: Received):
    from peaceops.ceasefire import services
    from peaceops.core.models.places import PlaceKind

    errors = Errors()
    post = errors.read("post", lambda: resolve_place(v.text("post"), (PlaceKind.OBSERVATION_POST,)))
    start = errors.read("shift_start", lambda: v.datetime("shift_start"))
    end = errors.read("shift_end", lambda: v.datetime("shift_end"))
    for path, when in (("shift_start", start), ("shift_end", end)):
        if when is None and path not in errors.by_field:
            errors.add(path, _("Say when the shift started and ended."))
        _not_future(errors, path, when)
    personnel = errors.read("personnel", lambda: v.integer("personnel"), 0)
    errors.raise_if_any()
    return services.log_post(received.user, post, start, end, manned=v.text("manned") != "no",
                             personnel=personnel or 0, observations=v.text("observations"))


# --- patrol log (the route walked, as a geotrace) -------------------------------------------------------------

ROUTE_SNAP_KM = 5.0  # a vertex within this distance of a gazetteer place passes through it


def patrol_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.ceasefire.models import Patrol

    label = {f.name: f.verbose_name for f in Patrol._meta.get_fields() if hasattr(f, "verbose_name")}
    survey = [
        {"type": "text", "name": "route_name", "label": label["route_name"], "required": "yes"},
        {"type": "text", "name": "team", "label": label["team"]},
        {"type": "dateTime", "name": "started_at", "label": label["started_at"], "required": "yes",
         "constraint": ". <= now()", "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "dateTime", "name": "ended_at", "label": label["ended_at"],
         "constraint": ". >= ${started_at}", "constraint_message": gettext_lazy("The end is before the start.")},
        {"type": "geotrace", "name": "track", "label": gettext_lazy("The route as walked or driven"),
         "required": "yes",
         "hint": gettext_lazy("Record the track, or place a point at each place passed, in order.")},
        {"type": "text", "name": "findings", "label": label["findings"], "appearance": "multiline"},
    ]
    return survey, []


def _track(v: Values, errors: Errors) -> tuple[list, float]:
    """The gazetteer places the track passes, in order, and its length in km."""
    from peaceops.ceasefire import geo
    from peaceops.core.models import Place
    from peaceops.core.models.places import PlaceKind

    points = []
    for index, vertex in enumerate(filter(None, (p.strip() for p in v.text("track").split(";"))), 1):
        parts = vertex.split()
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            errors.add("track", _("Point %(n)s, “%(value)s”, is not latitude longitude.")
                       % {"n": index, "value": vertex})
            continue
        if not geo.in_region(lat, lon):
            errors.add("track", _("Point %(n)s (%(lat)s, %(lon)s) is outside the operating region.")
                       % {"n": index, "lat": lat, "lon": lon})
        points.append((lat, lon))
    if len(points) < 2:
        errors.add("track", _("A track has at least two points."))
        return [], 0.0
    located = list(Place.objects.filter(kind__in=(PlaceKind.SETTLEMENT, PlaceKind.CHECKPOINT,
                                                  PlaceKind.OBSERVATION_POST)).exclude(latitude=None))
    route: list = []
    for lat, lon in points:
        near = min(located, key=lambda p: geo.distance_km(lat, lon, float(p.latitude), float(p.longitude)),
                   default=None)
        if near and geo.distance_km(lat, lon, float(near.latitude), float(near.longitude)) <= ROUTE_SNAP_KM \
                and (not route or route[-1] != near):
            route.append(near)
    length = sum(geo.distance_km(*a, *b) for a, b in zip(points, points[1:]))
    if len(route) < 2 and "track" not in errors.by_field:
        errors.add("track", _("The track passes fewer than two places of the gazetteer (within %(km)s km); a "
                              "patrol's route is recorded from place to place.") % {"km": ROUTE_SNAP_KM})
    return route, length


def save_patrol(v: Values, received: Received):
    from peaceops.ceasefire import services

    errors = Errors()
    started = errors.read("started_at", lambda: v.datetime("started_at"))
    ended = errors.read("ended_at", lambda: v.datetime("ended_at"))
    if started is None and "started_at" not in errors.by_field:
        errors.add("started_at", _("Say when the patrol started."))
    _not_future(errors, "started_at", started)
    _not_future(errors, "ended_at", ended)
    route, length = _track(v, errors)
    errors.raise_if_any()
    return services.record_patrol(received.user, v.text("route_name"), route, started, ended,
                                  team=v.text("team"), findings=v.text("findings"), distance_km=Decimal(f"{length:.1f}"))


# --- facility damage assessment (with photos) ----------------------------------------------------------------

def assessment_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.restoration.models import DamageAssessment, Facility
    from peaceops.restoration.models.assessments import Severity

    label = {f.name: f.verbose_name for f in DamageAssessment._meta.get_fields() if hasattr(f, "verbose_name")}
    survey = [
        {"type": "select_one facility", "name": "facility", "label": label["facility"], "required": "yes",
         "appearance": "minimal autocomplete"},
        {"type": "date", "name": "date", "label": label["date"], "required": "yes", "constraint": ". <= today()",
         "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "text", "name": "assessor", "label": label["assessor"], "required": "yes"},
        {"type": "select_one severity", "name": "severity", "label": label["severity"], "required": "yes"},
        {"type": "integer", "name": "functionality", "label": label["functionality"], "required": "yes",
         "constraint": ". >= 0 and . <= 100",
         "constraint_message": gettext_lazy("Functionality is a percentage from 0 to 100.")},
        {"type": "text", "name": "needs", "label": label["needs"], "appearance": "multiline"},
        {"type": "image", "name": "photo_1", "label": gettext_lazy("Photo")},
        {"type": "image", "name": "photo_2", "label": gettext_lazy("Another photo"), "relevant": "${photo_1} != ''"},
        {"type": "image", "name": "photo_3", "label": gettext_lazy("Another photo"), "relevant": "${photo_2} != ''"},
    ]
    choices = [
        *_choices("facility", ((f"facility{f.pk}", f"{f.name} ({f.place.name})")
                               for f in Facility.objects.select_related("place").order_by("name", "pk"))),
        *_choices("severity", Severity.choices),
    ]
    return survey, choices


def save_assessment(v: Values, received: Received):
    from peaceops.core.uploads import RASTER_TYPES
    from peaceops.restoration.models import Facility
    from peaceops.restoration.services.assessments import record_assessment

    errors = Errors()
    key = v.text("facility")
    facility = Facility.objects.filter(pk=int(key[8:])).first() if key.startswith("facility") and \
        key[8:].isdigit() else None
    if facility is None:
        errors.add("facility", _("“%(key)s” is not a known facility.") % {"key": key})
    day = errors.read("date", lambda: v.date("date"))
    if day is None and "date" not in errors.by_field:
        errors.add("date", _("Say when the facility was assessed."))
    _not_future(errors, "date", day)
    severity = errors.read("severity", lambda: v.integer("severity", None))
    functionality = errors.read("functionality", lambda: v.integer("functionality", None))
    photos = _photos(v, received, ("photo_1", "photo_2", "photo_3"))
    for photo in photos:
        if photo.content_type not in RASTER_TYPES:
            errors.add("photos", _("“%(name)s” is not a photo: send a PNG, JPEG, GIF or WebP picture.")
                       % {"name": photo.filename})
    errors.raise_if_any()
    with transaction.atomic():
        assessment = record_assessment(facility, day, v.text("assessor"), severity, functionality,
                                       needs=v.text("needs"), user=received.user)
        if photos:
            assessment.photos.add(*photos)
    return assessment


# --- clearance report (mine action: one task, one day) -------------------------------------------------------

def clearance_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.restoration.models import ClearanceReport, ClearanceTask, OrdnanceType

    label = {f.name: f.verbose_name for f in ClearanceReport._meta.get_fields() if hasattr(f, "verbose_name")}
    survey = [
        {"type": "select_one task", "name": "task", "label": label["task"], "required": "yes",
         "appearance": "minimal autocomplete"},
        {"type": "date", "name": "date", "label": label["date"], "required": "yes", "constraint": ". <= today()",
         "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "decimal", "name": "area_cleared_m2", "label": label["area_cleared_m2"], "constraint": ". >= 0",
         "default": "0"},
        {"type": "decimal", "name": "road_cleared_km", "label": label["road_cleared_km"], "constraint": ". >= 0",
         "default": "0"},
        {"type": "begin_repeat", "name": "ordnance", "label": gettext_lazy("Explosive ordnance found")},
        {"type": "select_one ordnance_type", "name": "ordnance_type", "label": gettext_lazy("Type")},
        {"type": "integer", "name": "found", "label": gettext_lazy("Found"), "constraint": ". >= 0"},
        {"type": "integer", "name": "destroyed", "label": gettext_lazy("Destroyed"), "constraint": ". >= 0"},
        {"type": "end_repeat", "name": ""},
        {"type": "text", "name": "notes", "label": label["notes"], "appearance": "multiline"},
    ]
    choices = [
        *_choices("task", ((f"task{t.pk}", f"{t.code} {t.description}".strip())
                           for t in ClearanceTask.objects.order_by("code"))),
        *_choices("ordnance_type", OrdnanceType.choices),
    ]
    return survey, choices


def save_clearance(v: Values, received: Received):
    from peaceops.restoration.models import ClearanceTask
    from peaceops.restoration.services.mine_action import record_daily_report

    errors = Errors()
    key = v.text("task")
    task = ClearanceTask.objects.filter(pk=int(key[4:])).first() if key.startswith("task") and key[4:].isdigit() \
        else ClearanceTask.objects.filter(code=key).first()
    if task is None:
        errors.add("task", _("“%(key)s” is not a known clearance task.") % {"key": key})
    day = errors.read("date", lambda: v.date("date"))
    if day is None and "date" not in errors.by_field:
        errors.add("date", _("Say which day the report covers."))
    _not_future(errors, "date", day)
    area = errors.read("area_cleared_m2", lambda: v.decimal("area_cleared_m2")) or 0
    road = errors.read("road_cleared_km", lambda: v.decimal("road_cleared_km")) or 0
    ordnance: dict[str, tuple[int, int]] = {}
    for index, item in enumerate(v.repeat("ordnance"), 1):
        kind = item.text("ordnance_type")
        if not kind:
            continue
        found = errors.read(f"ordnance[{index}]/found", lambda i=item: i.integer("found")) or 0
        destroyed = errors.read(f"ordnance[{index}]/destroyed", lambda i=item: i.integer("destroyed")) or 0
        before = ordnance.get(kind, (0, 0))
        ordnance[kind] = (before[0] + found, before[1] + destroyed)
    errors.raise_if_any()
    return record_daily_report(task, day, Decimal(f"{area:.1f}"), Decimal(f"{road:.2f}"), ordnance,
                               notes=v.text("notes"))


@cache
def forms() -> dict[str, FieldForm]:
    return {form.form_id: form for form in (
        FieldForm("incident_report", gettext_lazy("Incident report"), "ceasefire.file", "ceasefire.review",
                  "ceasefire.Incident", "ceasefire.view_all", incident_rows, save_incident, update_incident),
        FieldForm("returnee_registration", gettext_lazy("Returnee registration"), "returns.change",
                  "returns.change", "returns.Household", "returns.view", registration_rows, save_registration,
                  update_registration),
        FieldForm("observation_post_log", gettext_lazy("Observation-post log"), "ceasefire.log", "ceasefire.review",
                  "ceasefire.ObservationPostLog", "ceasefire.view_all", post_log_rows, save_post_log),
        FieldForm("patrol_log", gettext_lazy("Patrol log"), "ceasefire.log", "ceasefire.review",
                  "ceasefire.Patrol", "ceasefire.view_all", patrol_rows, save_patrol),
        FieldForm("facility_assessment", gettext_lazy("Facility damage assessment"), "restoration.assess",
                  "restoration.edit", "restoration.DamageAssessment", "restoration.view_assessments",
                  assessment_rows, save_assessment),
        FieldForm("clearance_report", gettext_lazy("Clearance report"), "restoration.edit", "restoration.edit",
                  "restoration.ClearanceReport", "restoration.view", clearance_rows, save_clearance),
    )}
