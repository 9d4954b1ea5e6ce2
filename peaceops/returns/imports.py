"""Imports of registrations and manifests from CSV, XLSX or HXL.

Two ways in, one set of rules:
- `import_file` (CLI, API, tests): the whole file is checked first and written in one transaction; any bad row
  means nothing is written, and every bad row is reported with its line number.
- `IMPORTERS` (the generic intake screens): the intake machinery saves row by row and quarantines bad rows for
  correction. A registration row is one person; it joins (or starts) the household named by its reference, so the
  household is whole and consistent after every saved row.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from peaceops.core.models import Person, PersonName
from peaceops.core.models.places import PlaceKind
from peaceops.intake.tabular import Column, ImportSpec, RowError, TableError, map_columns, read_table
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


class ImportFailed(Exception):
    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"line {n}: {m}" for n, m in errors[:20]))


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


def save_registration_row(values: dict[str, str], context=None) -> Household:
    """One person joins the household with this reference (started if new, with this person as head)."""
    member, details = _parse_registration(values)
    household = Household.objects.filter(reference=values["household"]).first()
    if household is None:
        return services.register_household([member], reference=values["household"], written_by="import", **details)
    if household.state != "waiting":
        raise RowError(_("household %(ref)s is no longer waiting") % {"ref": values["household"]})
    if household.destination_id != details["destination"].pk:
        raise RowError(_("household %(ref)s goes to %(place)s, not %(other)s") % {
            "ref": values["household"], "place": household.destination.name, "other": details["destination"].name})
    person = Person.objects.create(sex=member.sex, birth_year=member.birth_year, birth_month=member.birth_month,
                                   birth_day=member.birth_day)
    PersonName.objects.create(person=person, full_name=member.name, is_primary=True, written_by="import")
    HouseholdMember.objects.create(household=household, person=person, relationship=member.relationship)
    Household.objects.filter(pk=household.pk).update(size=household.members.count())
    return household


def save_manifest_row(values: dict[str, str], context) -> None:
    convoy_id = (context.extra or {}).get("convoy_id") if context else None
    convoy = Convoy.objects.filter(pk=convoy_id).first()
    if convoy is None:
        raise RowError(_("name the planned convoy the manifest is for"))
    household = Household.objects.filter(reference=values["household"]).first()
    if household is None:
        raise RowError(_("no household with reference %(ref)s") % {"ref": values["household"]})
    vehicle = None
    if values.get("vehicle"):
        vehicle = Vehicle.objects.filter(convoy=convoy, label=values["vehicle"]).first()
        if vehicle is None:
            raise RowError(_("convoy %(c)d has no vehicle “%(v)s”") % {"c": convoy.pk, "v": values["vehicle"]})
    services.add_household_to_convoy(convoy, household, vehicle)


def _messages(exc: Exception) -> str:
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def parse_rows(data: bytes, filename: str, spec: ImportSpec) -> list[tuple[int, dict[str, str]]]:
    try:
        table = read_table(data, filename)
        mapping = map_columns(spec, table)
    except TableError as exc:
        raise ImportFailed([(1, str(exc))]) from None
    return [(line, {name: str(cells[i]).strip() if i < len(cells) else "" for i, name in mapping.items()})
            for line, cells in table.rows]


def import_registrations(rows: list[tuple[int, dict[str, str]]]) -> list[Household]:
    """All or nothing: rows grouped by household reference, every row checked, then one transaction."""
    errors: list[tuple[int, str]] = []
    groups: OrderedDict[str, list[tuple[int, MemberSpec, dict]]] = OrderedDict()
    for line, values in rows:
        missing = [c.name for c in REGISTRATION_COLUMNS if c.required and not values.get(c.name)]
        if missing:
            errors.append((line, _("empty required value(s): %(cols)s") % {"cols": ", ".join(missing)}))
            continue
        try:
            member, details = _parse_registration(values)
        except (RowError, ValidationError) as exc:
            errors.append((line, _messages(exc)))
            continue
        groups.setdefault(values["household"], []).append((line, member, details))
    for reference, members in groups.items():
        first = members[0][2]
        for line, _member, details in members[1:]:
            if details["destination"] != first["destination"]:
                errors.append((line, _("household %(ref)s: members give different destinations") % {"ref": reference}))
        if Household.objects.filter(reference=reference).exists():
            errors.append((members[0][0], _("household %(ref)s is already registered") % {"ref": reference}))
    if errors:
        raise ImportFailed(sorted(errors))
    created = []
    with transaction.atomic():
        for reference, members in groups.items():
            details = members[0][2]
            details["vulnerabilities"] = sorted({v for _l, _m, d in members for v in d["vulnerabilities"]})
            created.append(services.register_household([m for _l, m, _d in members], reference=reference,
                                                       written_by="import", **details))
    return created


def import_manifest(rows: list[tuple[int, dict[str, str]]], convoy_id: int | None) -> int:
    """All or nothing: a savepoint per row collects every row's error, then the whole file rolls back if any."""
    from peaceops.intake.tabular import ImportContext

    errors: list[tuple[int, str]] = []
    context = ImportContext(user=None, batch=None, spec=MANIFEST_SPEC, extra={"convoy_id": convoy_id})
    with transaction.atomic():
        for line, values in rows:
            try:
                with transaction.atomic():
                    if not values.get("household"):
                        raise RowError(_("empty required value(s): household"))
                    save_manifest_row(values, context)
            except (RowError, ValidationError) as exc:
                errors.append((line, _messages(exc)))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed(errors)
    return len(rows)


def import_file(kind: str, path: Path, convoy_id: int | None = None) -> str:
    data = Path(path).read_bytes()
    if kind == "registrations":
        households = import_registrations(parse_rows(data, path.name, REGISTRATION_SPEC))
        return f"{len(households)} households, {sum(h.size for h in households)} people registered"
    count = import_manifest(parse_rows(data, path.name, MANIFEST_SPEC), convoy_id)
    return f"{count} households added to convoy {convoy_id}"


REGISTRATION_SPEC = ImportSpec(
    key="returns.registrations", label=_lazy("Household registrations (one row per person)"),
    capability="returns.change", columns=REGISTRATION_COLUMNS, save_row=save_registration_row,
    description=_lazy("Rows with the same household reference form one household; the first is its head."))
MANIFEST_SPEC = ImportSpec(
    key="returns.manifest", label=_lazy("Convoy manifest (one row per household)"), capability="returns.change",
    columns=MANIFEST_COLUMNS, save_row=save_manifest_row)

IMPORTERS = [REGISTRATION_SPEC]
