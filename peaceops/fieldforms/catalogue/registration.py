"""The returnee registration: a household, with a repeat per member."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.core.importing import remembered
from peaceops.fieldforms.catalogue.base import (
    CHUNK,
    FUTURE_SLACK,
    BulkSave,
    Errors,
    Received,
    _choices,
    _not_future,
    _places,
    resolve_place,
)
from peaceops.fieldforms.instances import Values

# --- returnee registration (household with a repeat per member) ---------------------------------------------

RELATIONSHIPS = (("head", gettext_lazy("head of household")), ("spouse", gettext_lazy("spouse")),
                 ("child", gettext_lazy("child")), ("parent", gettext_lazy("parent")),
                 ("sibling", gettext_lazy("brother or sister")), ("grandchild", gettext_lazy("grandchild")),
                 ("other", gettext_lazy("other relative or carer")))


def registration_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.core.models.people import Sex
    from peaceops.core.models.places import PlaceKind
    from peaceops.returns.models import Vulnerability

    survey: list[dict] = [
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


def _settlement(key: str, places: dict | None):
    """A settlement from the form's choice; with `places` (a bulk import), each key is resolved once."""
    from peaceops.core.models.places import PlaceKind

    if places is None:
        return resolve_place(key, (PlaceKind.SETTLEMENT,))
    return remembered(places, key, lambda: resolve_place(key, (PlaceKind.SETTLEMENT,)), (ValidationError,))


def _leaf(node: dict, name: str) -> str:
    """`Values(node).text(name)` for a name without "/": the first of a repeated leaf, stripped; a group reads
    as ""."""
    value = node.get(name, "")
    if type(value) is list:
        value = value[0] if value else ""
    return value.strip() if isinstance(value, str) else ""


def _whole(errors: Errors, node: dict, name: str) -> int | None:
    """`Values(node).integer(name, None)` through `errors.read`: None when empty, the reason under the field's
    own name when not a whole number (as `FieldValueError` names it)."""
    raw = _leaf(node, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors.add(name, _("“%(value)s” is not a whole number.") % {"value": raw})
        return None


def _vulnerabilities(words: list[str], cache: dict | None) -> list[str]:
    from peaceops.returns.services.households import validate_vulnerabilities

    if cache is None:
        return validate_vulnerabilities(words)
    # The same few combinations in every row of an import: checked once each (a refusal too), a fresh list each.
    return list(remembered(cache, ("vulnerabilities", tuple(words)), lambda: validate_vulnerabilities(words),
                           (ValidationError,)))


def _household(v: Values, received: Received, places: dict | None = None) -> dict:
    """The household an instance describes, every broken rule at once. Its values are read off the instance's
    dict once, as `Values` reads them. `places`: a bulk import's cache (settlements, vulnerabilities, and
    under `CHUNK` the chunk's reading of today's date)."""
    from peaceops.returns.services.households import MemberSpec

    data = v.data
    errors = Errors()
    registered_on = errors.read("registered_on", lambda: v.date("registered_on"))
    if places is None:
        today = None
        _not_future(errors, "registered_on", registered_on)
    else:
        today = _today(places)
        latest = places[CHUNK].get("latest")
        if latest is None:
            latest = places[CHUNK]["latest"] = timezone.localtime(timezone.now() + FUTURE_SLACK).date()
        if registered_on is not None and registered_on > latest:  # `_not_future` of a date, its clock read once
            _not_future(errors, "registered_on", registered_on)
    origin_key, destination_key = _leaf(data, "origin"), _leaf(data, "destination")
    origin = errors.read("origin", lambda: _settlement(origin_key, places)) if origin_key else None
    destination = errors.read("destination", lambda: _settlement(destination_key, places)) \
        if destination_key else None
    if destination is None and "destination" not in errors.by_field:
        errors.add("destination", _("Say where the household is returning to."))
    words = _leaf(data, "vulnerabilities").split()
    vulnerabilities = errors.read("vulnerabilities", lambda: _vulnerabilities(words, places), [])
    members = []
    # Read once: a household's members are checked in the same instant (a bulk import: the chunk's date).
    this_year = (today or timezone.localdate()).year
    node = data.get("member", [])
    for index, member in enumerate([item for item in (node if isinstance(node, list) else [node])
                                    if isinstance(item, dict)], 1):
        year, month, day = (_whole(errors, member, n) for n in ("birth_year", "birth_month", "birth_day"))
        if year and year > this_year:
            errors.add(f"member[{index}]/birth_year", _("%(year)s is in the future.") % {"year": year})
        members.append(MemberSpec(name=_leaf(member, "name"), sex=_leaf(member, "sex") or "U", birth_year=year,
                                  birth_month=month, birth_day=day, relationship=_leaf(member, "relationship")))
    if not members:
        errors.add("member", _("A household needs at least one member."))
    errors.raise_if_any()
    return {"members": members, "destination": destination, "origin": origin, "vulnerabilities": vulnerabilities,
            "registered_on": registered_on, "reference": _leaf(data, "reference")[:60]}


def _today(places: dict):
    """The chunk's reading of today's date, kept in the import's cache under `CHUNK`."""
    chunk = places.setdefault(CHUNK, {})
    today = chunk.get("today")
    if today is None:
        today = chunk["today"] = timezone.localdate()
    return today


def save_registration(v: Values, received: Received):
    from peaceops.returns.services.households import register_household

    household = _household(v, received)
    return register_household(household.pop("members"), household.pop("destination"),
                              written_by=_("field form %(id)s") % {"id": received.instance_id}, **household)


def prepare_registration(v: Values, received: Received, places: dict):
    """What `save_registration` checks, without writing: the household ready for `write_registrations` (the
    returns module's bulk registration). `places` is the chunk's cache of resolved settlements."""
    from peaceops.returns.services.registering import prepare_household

    household = _household(v, received, places)
    # The chunk's reading of the date: identities checked as `NewPerson`s, no instances.
    return prepare_household(household.pop("members"), household.pop("destination"),
                             written_by=_("field form %(id)s") % {"id": received.instance_id}, today=_today(places),
                             **household)


@dataclass(frozen=True, slots=True)
class WrittenHousehold:
    """A household just written: its id is all a chunk reads of it (no `Household` instance made a row)."""

    pk: int


def write_registrations(prepared: list, user, note: str) -> list[WrittenHousehold]:
    """The prepared households of a chunk, written in bulk (`bulk_register`'s rows, versions and audit, through
    its `write_prepared`); each household's id in the same order."""
    from peaceops.returns.services.registering import write_prepared

    ids = write_prepared(prepared, user=user, reason=note, note=note)
    return [WrittenHousehold(_started(pk)) for pk in ids]


def _started(pk: int | None) -> int:
    assert pk is not None, "a registration from a form starts a household: written by write_prepared"
    return pk


def _taken(references: set[str]) -> set[str]:
    from peaceops.returns.services.registering import taken_references

    return taken_references(references)


def _reference_taken(reference: str) -> ValidationError:
    from peaceops.returns.services.registering import reference_taken

    return reference_taken(reference)


REGISTRATION_BULK = BulkSave(prepare=prepare_registration, write=write_registrations,
                             unique=lambda prepared: prepared.reference, taken=_taken, taken_error=_reference_taken)


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
