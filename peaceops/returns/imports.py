"""Imports of registrations and convoy manifests from CSV, XLSX or HXL, through the intake machinery (the
intake screens, `peaceops intake run` and `peaceops returns import` alike): good rows are kept, each bad row is
quarantined with its line and reason to be corrected and resubmitted.

A registration row is one person; it joins (or starts) the household named by its reference, so the household is
whole and consistent after every saved row. A person already in that household under the same name is skipped,
so importing a file twice registers nobody twice. A manifest row puts one household on the convoy named by the
import's `convoy` parameter.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from peaceops.core.importing import (
    SKIPPED,
    Column,
    ImportContext,
    ImportSpec,
    RowError,
    RowOutcome,
    RowProblems,
    remembered,
    row_messages,
)
from peaceops.core.models import PersonName
from peaceops.core.models.places import PlaceKind
from peaceops.core.text import record_number
from peaceops.linkage.dates import salvage_birth_date
from peaceops.returns import services
from peaceops.returns.models import Convoy, Household, HouseholdMember, Vehicle
from peaceops.returns.services import MemberSpec
from peaceops.returns.services.households import (
    BirthParts,
    member_person,
    parse_needs,
    refresh_household_needs,
)
from peaceops.returns.services.inputs import resolve_place
from peaceops.returns.services.registering import (
    NewPerson,
    PreparedHousehold,
    PreparedMember,
    new_person,
    write_prepared,
)

REGISTRATION_COLUMNS = (
    Column("household", hxl="#group+code", required=True, aliases=("household reference", "reference")),
    Column("name", hxl="#affected+name", required=True, aliases=("name as written", "full name")),
    Column("sex", hxl="#affected+sex"),
    Column("birth_date", hxl="#date+birth", aliases=("born", "date of birth")),
    Column("relationship", hxl="#affected+relationship"),
    Column("destination", hxl="#loc+destination", required=True),
    Column("origin", hxl="#loc+origin"),
    Column("vulnerabilities", hxl="#indicator+vulnerability", aliases=("needs", "vulnerability")),
    Column("carer", hxl="#affected+carer", aliases=("carer beside", "caregiver")),
    Column("registered_on", hxl="#date+registered", aliases=("registered",)),
)
MANIFEST_COLUMNS = (
    Column("household", hxl="#group+code", required=True, aliases=("household reference", "reference")),
    Column("vehicle", hxl="#transport+name", aliases=("bus",)),
)


def _birth(values: dict[str, str], context: ImportContext | None, read: dict | None = None) -> BirthParts:
    """The birth date's valid parts: a typo in one part keeps the others and warns (1945-04-93 keeps 1945-04,
    month 0 keeps the year), never refusing the person for it. `read`: the dates already read, by text (a file
    repeats birth dates: each distinct text is read once an import)."""
    text = values.get("birth_date", "")
    known = read.get(text) if read is not None else None
    salvaged = known if known is not None else salvage_birth_date(text)
    if read is not None and known is None:
        read[text] = salvaged
    date, warning = salvaged.date, salvaged.warning
    if date is not None and date.year is None:  # --MM-DD: the registry keeps no birthday without its year
        date, warning = None, _("birth_date %(text)s has no year; ignored") % {"text": text}
    if warning and context is not None:
        context.warn("birth_date", warning)
    if date is None:
        return {"birth_year": None, "birth_month": None, "birth_day": None}
    return {"birth_year": date.year, "birth_month": date.month, "birth_day": date.day}


def _iso_day(text: str, read: dict | None = None) -> dt.date:
    """`text` as a day; `read`: a chunk's days already read, by text (a refusal is not remembered)."""
    if read is not None and (day := read.setdefault("day", {}).get(text)) is not None:
        return day
    try:
        day = dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise RowError(_("“%(value)s” is not an ISO date (YYYY-MM-DD)") % {"value": text}) from None
    if read is not None:
        read["day"][text] = day
    return day


def _parse_registration(values: dict[str, str], context: ImportContext | None = None,
                        person_of: Callable[[MemberSpec], Any] = member_person,
                        read: dict | None = None) -> tuple[MemberSpec, dict, Any]:
    """The member, household and (unsaved, checked) identity record a row describes, with every problem of the
    row at once (refused as a whole). `person_of` makes the record by `member_person`'s rules: a `Person`
    (one row at a time) or a `NewPerson` (a chunk, no model instance). `read`: given for a chunk, its
    registration days already read (by text); birth dates are then remembered in `context.cache` for the
    import, so each distinct text is read once."""
    problems = RowProblems()
    sex = (values.get("sex") or "U").strip().upper()[:1]
    if sex not in {"F", "M", "U"}:
        problems.add("sex", _("“%(value)s” is not F, M or empty") % {"value": values.get("sex", "")})
        sex = "U"
    birth = _birth(values, context, None if read is None or context is None
                   else context.cache.setdefault("returns.births", {}))
    places = context.cache if context is not None else {}
    household = {
        "destination": problems.check("destination", lambda: _place(places, values["destination"])),
        "origin": problems.check("origin", lambda: _place(places, values["origin"])) if values.get("origin")
        else None,
        "vulnerabilities": [],
        "registered_on": problems.check("registered_on", lambda: _iso_day(values["registered_on"], read))
        if values.get("registered_on") else None,
    }
    # Needs and seat needs in one column ("elderly, wheelchair, carer"); the carer, by name as written, is a member
    # of the same household listed before this row (or registered already).
    needs, seat_needs = problems.check("vulnerabilities", lambda: _needs(context, values.get("vulnerabilities") or ""),
                                       default=([], []))
    carer = (values.get("carer") or "").strip()
    if carer:
        seat_needs = sorted({*seat_needs, "carer"})
    elif "carer" in seat_needs:
        problems.add("carer", _("needs a carer beside them: name the carer in the carer column"))
    if carer and carer == values["name"].strip():
        problems.add("carer", _("nobody can be their own carer"))
    household["carer"] = carer
    member = MemberSpec(name=values["name"].strip(), sex=sex, relationship=values.get("relationship", ""),
                        needs=needs, seat_needs=seat_needs, **birth)
    person = problems.check("name", lambda: person_of(member))  # the identity rules of every registration
    problems.raise_if_any()
    return member, household, person


def _needs(context: ImportContext | None, text: str) -> tuple[list[str], list[str]]:
    """`parse_needs(text)`, each distinct text (in the active language) parsed once per import: a file repeats
    a handful of need lists over thousands of rows. A refusal is remembered and raised again (a copy, so one
    exception's traceback does not grow with every row that repeats it)."""
    if not text:
        return [], []
    if context is None:
        return parse_needs(text)
    key = ("returns.needs", get_language(), text)
    if key not in context.cache:
        try:
            context.cache[key] = parse_needs(text)
        except ValidationError as exc:
            context.cache[key] = exc
    found = context.cache[key]
    if isinstance(found, ValidationError):
        raise copy.copy(found)
    needs, seats = found
    return list(needs), list(seats)


def _place(cache: dict, text: str):
    return remembered(cache, ("returns.settlement", text.strip().casefold()),
                      lambda: resolve_place(text, (PlaceKind.SETTLEMENT,)), (ValidationError,))


def save_registration_row(values: dict[str, str], context: ImportContext | None = None) -> Household | object:
    """One person joins the household with this reference (started if new, with this person as head)."""
    member, details, person = _parse_registration(values, context)
    carer_name = details.pop("carer")
    household = Household.objects.filter(reference=values["household"]).first()
    if household is None:
        if carer_name:
            raise RowError("carer: " + _("carer “%(name)s” is not a member of household %(ref)s listed before this "
                                         "row") % {"name": carer_name, "ref": values["household"]})
        return services.register_household([member], reference=values["household"], written_by="import", **details)
    if PersonName.objects.filter(person_id__in=household.members.values("person_id"),
                                 full_name=member.name.strip()).exists():
        return SKIPPED  # registered by an earlier import of this row
    problems = RowProblems()
    if household.state != "waiting":
        problems.add("household", _("household %(ref)s is no longer waiting") % {"ref": values["household"]})
    if household.destination_id != details["destination"].pk:
        problems.add("destination", _("household %(ref)s goes to %(place)s, not %(other)s") % {
            "ref": values["household"], "place": household.destination.name, "other": details["destination"].name})
    carer = None
    if carer_name:
        carer = household.members.filter(person__names__full_name=carer_name).first()
        if carer is None:
            problems.add("carer", _("carer “%(name)s” is not a member of household %(ref)s listed before this row")
                         % {"name": carer_name, "ref": values["household"]})
    problems.raise_if_any()
    person.save()
    PersonName.objects.create(person=person, full_name=member.name, is_primary=True, written_by="import")
    HouseholdMember.objects.create(household=household, person=person, relationship=member.relationship,
                                   needs=list(member.needs), seat_needs=list(member.seat_needs),
                                   carer_id=carer.person_id if carer else None)
    household.size = household.members.count()
    household.save(update_fields=["size"])
    refresh_household_needs(household)
    return household


def save_registration_rows(rows: list[tuple[int, dict[str, str]]], context: ImportContext) -> list[RowOutcome]:
    """A chunk of registrations in bulk, row for row by the same rules as `save_registration_row` (and so the
    form's: `member_person`, the gazetteer, `parse_needs`), with the same outcome for each row;
    the good rows are written with a few INSERTs per table, their versions and one audit event per model, and
    each household's size and needs are updated once for the chunk."""
    outcomes: dict[int, RowOutcome] = {}
    parsed = []
    today = timezone.localdate()  # the chunk's reading of the date, for "a birth date cannot be in the future"

    read: dict = {}  # the chunk's dates, each distinct text read once

    def person_of(member: MemberSpec) -> NewPerson:
        return new_person(member, today)

    for line, values in rows:
        context.warnings = []
        try:
            member, details, person = _parse_registration(values, context, person_of, read)
        except (RowError, ValidationError, ValueError) as exc:
            outcomes[line] = RowOutcome("refused", row_messages(exc))
            continue
        parsed.append((line, values["household"], member, person, details, list(context.warnings)))
    context.warnings = []

    references = {reference for _l, reference, *_rest in parsed}
    known: dict[str, Household] = {}
    for registered in Household.objects.filter(reference__in=references).select_related("destination"):
        known.setdefault(registered.reference, registered)  # the first by the model's order, as .first() finds
    taken = set(HouseholdMember.objects.filter(household__in=known.values()).values_list(
        "household__reference", "person__names__full_name"))

    started: dict[str, dict] = {}  # households this chunk starts: head spec, details, members
    joined: dict[int, list] = {}  # existing household id -> [(person, member, details)]
    for line, reference, member, person, details, warnings in parsed:
        if (reference, member.name) in taken:
            outcomes[line] = RowOutcome("skipped", warnings=warnings)
            continue
        household = known.get(reference)
        destination = household.destination if household else (started[reference]["details"]["destination"]
                                                                if reference in started else None)
        problems = RowProblems()  # every reason the household refuses this member, as save_registration_row
        if household is not None and household.state != "waiting":
            problems.add("household", _("household %(ref)s is no longer waiting") % {"ref": reference})
        if destination is not None and destination.pk != details["destination"].pk:
            problems.add("destination", _("household %(ref)s goes to %(place)s, not %(other)s") % {
                "ref": reference, "place": destination.name, "other": details["destination"].name})
        if details["carer"] and (reference, details["carer"]) not in taken:
            problems.add("carer", _("carer “%(name)s” is not a member of household %(ref)s listed before this row")
                         % {"name": details["carer"], "ref": reference})
        if problems:
            outcomes[line] = RowOutcome("refused", problems.messages())
            continue
        taken.add((reference, member.name))
        outcomes[line] = RowOutcome("saved", warnings=warnings)
        if household is not None:
            joined.setdefault(household.pk, []).append((person, member, details))
        elif reference in started:
            started[reference]["members"].append((person, member, details))
        else:
            started[reference] = {"details": details, "members": [(person, member, details)]}

    _write_registrations(context, known, started, joined)
    return [outcomes[line] for line, _values in rows]


def _write_registrations(context: ImportContext, known: dict, started: dict, joined: dict) -> None:
    """The chunk's good rows through the returns module's bulk registration (`services.registering`): new
    households with their members, and members joining households registered before; carers by name within
    the household, among the members written before (earlier chunks, earlier imports) or now."""
    wanted = {d["carer"] for entries in joined.values() for _p, _m, d in entries if d["carer"]}
    earlier: dict[tuple[str, str], int] = {}
    if wanted:
        earlier = {(ref, name): pk for ref, name, pk in HouseholdMember.objects.filter(
            household__in=known.values(), person__names__full_name__in=wanted).values_list(
            "household__reference", "person__names__full_name", "person_id")}

    def prepared(entries, reference):
        members, index = [], {}
        for person, member, details in entries:
            new = PreparedMember(person=person, name=member.name, relationship=member.relationship,
                                 needs=list(member.needs), seat_needs=list(member.seat_needs))
            if details["carer"]:
                new.carer_index = index.get(details["carer"])
                if new.carer_index is None:
                    new.carer_person_id = earlier.get((reference, details["carer"]))
            index.setdefault(member.name, len(members))
            members.append(new)
        return members

    households = [PreparedHousehold(members=prepared(h["members"], reference), reference=reference,
                                    destination=h["details"]["destination"], origin=h["details"]["origin"],
                                    registered_on=h["details"]["registered_on"], written_by="import")
                  for reference, h in started.items()]
    households += [PreparedHousehold(members=prepared(joined[h.pk], h.reference), household=h, written_by="import")
                   for h in known.values() if h.pk in joined]
    write_prepared(households, user=context.user, reason="import")


FLOW_COLUMNS = (
    Column("checkpoint", hxl="#loc+checkpoint", required=True),
    Column("day", hxl="#date+reported", required=True, aliases=("date", "reporting day")),
    Column("direction", hxl="#indicator+direction", required=True),
    Column("vehicle", hxl="#indicator+transport", required=True, aliases=("means", "means of travel", "transport")),
    Column("purpose", hxl="#indicator+purpose", required=True, aliases=("reason",)),
    Column("people", hxl="#affected+num", required=True, aliases=("persons", "individuals")),
    Column("vehicles", hxl="#transport+num", aliases=("vehicle count",)),
)
_FLOW_WORDS = {
    "direction": {"in": "in", "incoming": "in", "inbound": "in", "out": "out", "outgoing": "out",
                  "outbound": "out"},
    "vehicle": {"foot": "foot", "on foot": "foot", "pedestrian": "foot", "car": "car", "bus": "bus",
                "minibus": "bus", "truck": "truck", "lorry": "truck", "other": "other"},
    "purpose": {"return": "return", "departure": "departure", "secondary": "secondary",
                "secondary displacement": "secondary", "visit": "visit", "work": "work", "trade": "work",
                "other": "other"},
}


def _flow_word(values: dict[str, str], column: str) -> str:
    text = (values.get(column) or "").strip().casefold()
    if text not in _FLOW_WORDS[column]:
        raise RowError(_("“%(value)s” is not one of %(allowed)s") % {
            "value": values.get(column, ""), "allowed": ", ".join(sorted(set(_FLOW_WORDS[column].values())))})
    return _FLOW_WORDS[column][text]


def _count(values: dict[str, str], column: str) -> int:
    text = (values.get(column) or "").strip() or "0"
    if (number := record_number(text)) is None:
        raise RowError(_("must be a whole number of 0 or more, not “%(value)s”") % {"value": text})
    return number


def _checkpoint(cache: dict, text: str):
    return remembered(cache, ("returns.checkpoint", text.strip().casefold()),
                      lambda: resolve_place(text, (PlaceKind.CHECKPOINT,)), (ValidationError,))


def save_flow_row(values: dict[str, str], context: ImportContext | None = None) -> None:
    """One line of a checkpoint's day sheet (no names). The row replaces the count of its checkpoint, day,
    direction, means and purpose, so importing a file again changes nothing. A bad row is refused with all its
    problems."""
    cache = context.cache if context is not None else {}
    problems = RowProblems()
    checkpoint = problems.check("checkpoint", lambda: _checkpoint(cache, values["checkpoint"]))
    day = problems.check("day", lambda: _iso_day(values["day"]))
    words = {column: problems.check(column, lambda c=column: _flow_word(values, c))
             for column in ("direction", "vehicle", "purpose")}
    counts = {column: problems.check(column, lambda c=column: _count(values, c)) for column in ("people", "vehicles")}
    problems.raise_if_any()
    line = services.FlowLine(words["direction"], words["vehicle"], words["purpose"], counts["people"],
                             counts["vehicles"])
    user = getattr(context, "user", None)
    services.record_flow_counts(checkpoint, day, [line], user=user if getattr(user, "pk", None) else None)


def save_manifest_row(values: dict[str, str], context: ImportContext) -> None:
    convoy_id = str((context.extra or {}).get("convoy", "")).strip()
    convoy_number = record_number(convoy_id)
    convoy = Convoy.objects.filter(pk=convoy_number).first() if convoy_number else None
    if convoy is None:
        raise RowError(_("no convoy %(id)s: name the planned convoy the manifest is for") % {"id": convoy_id})
    problems = RowProblems()
    household = Household.objects.filter(reference=values["household"]).first()
    if household is None:
        problems.add("household", _("no household with reference %(ref)s") % {"ref": values["household"]})
    vehicle = None
    if values.get("vehicle"):
        vehicle = Vehicle.objects.filter(convoy=convoy, label=values["vehicle"]).first()
        if vehicle is None:
            problems.add("vehicle", _("convoy %(c)d has no vehicle “%(v)s”") % {"c": convoy.pk, "v": values["vehicle"]})
    problems.raise_if_any()
    assert household is not None  # refused above otherwise
    services.add_household_to_convoy(convoy, household, vehicle)


REGISTRATION_SPEC = ImportSpec(
    key="returns.registrations", label=_lazy("Household registrations (one row per person)"),
    capability="returns.change", columns=REGISTRATION_COLUMNS, save_row=save_registration_row,
    save_rows=save_registration_rows,
    description=_lazy("Rows with the same household reference form one household; the first is its head."))
MANIFEST_SPEC = ImportSpec(
    key="returns.manifest", label=_lazy("Convoy manifest (one row per household)"), capability="returns.change",
    columns=MANIFEST_COLUMNS, save_row=save_manifest_row, parameters=(("convoy", _lazy("Convoy id")),),
    description=_lazy("Each household goes on the planned convoy given with the file (on the first vehicle with "
                      "room, or the one named)."))
FLOW_SPEC = ImportSpec(
    key="returns.flows", label=_lazy("Flow counts at checkpoints (one row per checkpoint, day, direction, means "
                                     "and purpose)"),
    capability="returns.record_flows", columns=FLOW_COLUMNS, save_row=save_flow_row,
    description=_lazy("People counted passing a checkpoint outside convoys, without names. A row replaces the "
                      "count it names, so a corrected file can be imported again; 0 people removes the count."))
SPECS = {"registrations": REGISTRATION_SPEC, "manifest": MANIFEST_SPEC, "flows": FLOW_SPEC}
IMPORTERS = [REGISTRATION_SPEC, MANIFEST_SPEC, FLOW_SPEC]
