"""Imports of registrations and convoy manifests from CSV, XLSX or HXL, through the intake machinery (the
intake screens, `peaceops intake run` and `peaceops returns import` alike): good rows are kept, each bad row is
quarantined with its line and reason to be corrected and resubmitted.

A registration row is one person; it joins (or starts) the household named by its reference, so the household is
whole and consistent after every saved row. A person already in that household under the same name is skipped,
so importing a file twice registers nobody twice. A manifest row puts one household on the convoy named by the
import's `convoy` parameter.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from peaceops.core.models import Person, PersonName
from peaceops.core.models.places import PlaceKind
from peaceops.intake.tabular import SKIPPED, Column, ImportContext, ImportSpec, RowError
from peaceops.returns import services
from peaceops.returns.forms import parse_birth, resolve_place
from peaceops.returns.models import Convoy, Household, HouseholdMember, Vehicle
from peaceops.returns.services import MemberSpec
from peaceops.returns.services.households import validate_vulnerabilities

REGISTRATION_COLUMNS = (
    Column("household", hxl="#group+code", required=True, aliases=("household reference", "reference")),
    Column("name", hxl="#affected+name", required=True, aliases=("name as written", "full name")),
    Column("sex", hxl="#affected+sex"),
    Column("birth_date", hxl="#date+birth", aliases=("born", "date of birth")),
    Column("relationship", hxl="#affected+relationship"),
    Column("destination", hxl="#loc+destination", required=True),
    Column("origin", hxl="#loc+origin"),
    Column("vulnerabilities", hxl="#indicator+vulnerability"),
    Column("registered_on", hxl="#date+registered", aliases=("registered",)),
)
MANIFEST_COLUMNS = (
    Column("household", hxl="#group+code", required=True, aliases=("household reference", "reference")),
    Column("vehicle", hxl="#transport+name", aliases=("bus",)),
)


def _parse_registration(values: dict[str, str]) -> tuple[MemberSpec, dict]:
    sex = (values.get("sex") or "U").strip().upper()[:1]
    if sex not in {"F", "M", "U"}:
        raise RowError(_("sex must be F, M or empty"))
    try:
        birth = parse_birth(values.get("birth_date", "")) if values.get("birth_date") else {}
        person = Person(sex=sex, **birth)
        person.full_clean(exclude=["uuid"])
        household = {
            "destination": resolve_place(values["destination"], (PlaceKind.SETTLEMENT,)),
            "origin": resolve_place(values["origin"], (PlaceKind.SETTLEMENT,)) if values.get("origin") else None,
            "vulnerabilities": validate_vulnerabilities(
                [v.strip() for v in (values.get("vulnerabilities") or "").replace(";", ",").split(",") if v.strip()]),
            "registered_on": dt.date.fromisoformat(values["registered_on"][:10]) if values.get("registered_on")
            else None,
        }
    except ValueError:
        raise RowError(_("registered_on is not an ISO date")) from None
    member = MemberSpec(name=values["name"], sex=sex, relationship=values.get("relationship", ""), **birth)
    return member, household


def save_registration_row(values: dict[str, str], context: ImportContext | None = None) -> Household | object:
    """One person joins the household with this reference (started if new, with this person as head)."""
    member, details = _parse_registration(values)
    household = Household.objects.filter(reference=values["household"]).first()
    if household is None:
        return services.register_household([member], reference=values["household"], written_by="import", **details)
    if PersonName.objects.filter(person_id__in=household.members.values("person_id"),
                                 full_name=member.name.strip()).exists():
        return SKIPPED  # registered by an earlier import of this row
    if household.state != "waiting":
        raise RowError(_("household %(ref)s is no longer waiting") % {"ref": values["household"]})
    if household.destination_id != details["destination"].pk:
        raise RowError(_("household %(ref)s goes to %(place)s, not %(other)s") % {
            "ref": values["household"], "place": household.destination.name, "other": details["destination"].name})
    person = Person.objects.create(sex=member.sex, birth_year=member.birth_year, birth_month=member.birth_month,
                                   birth_day=member.birth_day)
    PersonName.objects.create(person=person, full_name=member.name, is_primary=True, written_by="import")
    HouseholdMember.objects.create(household=household, person=person, relationship=member.relationship)
    household.size = household.members.count()
    household.vulnerabilities = sorted({*household.vulnerabilities, *details["vulnerabilities"]})
    household.is_vulnerable = bool(household.vulnerabilities)
    household.save(update_fields=["size", "vulnerabilities", "is_vulnerable"])
    return household


def save_manifest_row(values: dict[str, str], context: ImportContext) -> None:
    convoy_id = str((context.extra or {}).get("convoy", "")).strip()
    convoy = Convoy.objects.filter(pk=int(convoy_id)).first() if convoy_id.isdigit() else None
    if convoy is None:
        raise RowError(_("no convoy %(id)s: name the planned convoy the manifest is for") % {"id": convoy_id})
    household = Household.objects.filter(reference=values["household"]).first()
    if household is None:
        raise RowError(_("no household with reference %(ref)s") % {"ref": values["household"]})
    vehicle = None
    if values.get("vehicle"):
        vehicle = Vehicle.objects.filter(convoy=convoy, label=values["vehicle"]).first()
        if vehicle is None:
            raise RowError(_("convoy %(c)d has no vehicle “%(v)s”") % {"c": convoy.pk, "v": values["vehicle"]})
    services.add_household_to_convoy(convoy, household, vehicle)


REGISTRATION_SPEC = ImportSpec(
    key="returns.registrations", label=_lazy("Household registrations (one row per person)"),
    capability="returns.change", columns=REGISTRATION_COLUMNS, save_row=save_registration_row,
    description=_lazy("Rows with the same household reference form one household; the first is its head."))
MANIFEST_SPEC = ImportSpec(
    key="returns.manifest", label=_lazy("Convoy manifest (one row per household)"), capability="returns.change",
    columns=MANIFEST_COLUMNS, save_row=save_manifest_row, parameters=(("convoy", _lazy("Convoy id")),),
    description=_lazy("Each household goes on the planned convoy given with the file (on the first vehicle with "
                      "room, or the one named)."))
SPECS = {"registrations": REGISTRATION_SPEC, "manifest": MANIFEST_SPEC}
IMPORTERS = [REGISTRATION_SPEC, MANIFEST_SPEC]
