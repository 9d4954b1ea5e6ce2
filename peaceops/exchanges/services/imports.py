"""Importing a party's list (CSV or XLSX): names kept exactly as written, every bad row reported by line,
and nothing written unless the whole file is good."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from peaceops.core import audit, csvsafe
from peaceops.core.importing import RowProblems
from peaceops.core.text import SEX_WORDS, detect_script
from peaceops.exchanges.models import PartyList, PartyListEntry
from peaceops.exchanges.services.people import salvage_birth_date
from peaceops.search import services as name_search

# Encodings an officer may name for a file that is not UTF-8. Guessing is refused: a wrong guess silently
# corrupts names, which is worse than asking.
KNOWN_ENCODINGS = ("utf-8", "utf-16", "cp1251", "koi8-r", "cp1254", "iso-8859-9", "cp1252")

# Header spellings accepted for each field (compared case-insensitively, spaces and dashes ignored).
HEADERS = {
    "reference": {"reference", "ref", "id", "no", "номер", "համար", "nömrə"},
    "name": {"name", "fullname", "фио", "имя", "անուն", "անունազգանուն", "ad", "adsoyad", "soyadadataadı"},
    "father_name": {"fathername", "father", "patronymic", "отчество", "հայրանուն", "ataadı"},
    "birth_date": {"birthdate", "dateofbirth", "dob", "born", "датарождения", "ծննդյանամսաթիվ", "doğumtarixi"},
    "birth_place": {"birthplace", "placeofbirth", "месторождения", "ծննդավայր", "doğumyeri"},
    "sex": {"sex", "gender", "пол", "սեռ", "cins"},
}
SEX_VALUES = SEX_WORDS  # the one vocabulary (core.text), shared with the linkage engine


@dataclass(frozen=True)
class LineError:
    line: int
    message: str
    column: str = ""  # the file's own header of the column at fault, when one is

    def __str__(self) -> str:
        if self.column:
            return _("line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line, "column": self.column, "message": self.message}
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class ListImportError(Exception):
    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors[:20]))


def _norm_header(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", str(text or "")).casefold() if ch.isalnum())


def decode(data: bytes, encoding: str = "") -> tuple[str, str]:
    """The file's text and the encoding used. UTF-8 (with or without BOM) and BOM-marked UTF-16 are
    recognised; any other encoding must be named by the officer."""
    if encoding:
        if encoding.lower() not in KNOWN_ENCODINGS:
            raise ListImportError([LineError(0, _("unknown encoding %(enc)s; use one of: %(known)s") % {
                "enc": encoding, "known": ", ".join(KNOWN_ENCODINGS)})])
        try:
            return data.decode(encoding), encoding.lower()
        except UnicodeDecodeError as exc:
            raise ListImportError([LineError(0, _("the file is not valid %(enc)s (byte %(pos)s)") % {
                "enc": encoding, "pos": exc.start})]) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        raise ListImportError([LineError(0, _(
            "the file is not UTF-8 and its encoding is unknown (first bad byte at %(pos)s); save it as UTF-8 "
            "or name its encoding") % {"pos": exc.start})]) from None


def read_rows(data: bytes, filename: str, encoding: str = "") -> tuple[list[tuple[int, dict]], str]:
    """(line number, {header: value}) for each data row, and the encoding."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ListImportError([LineError(0, _("not a readable XLSX file (%(err)s)") % {"err": exc})]) from None
        values = [["" if v is None else (v.isoformat()[:10] if isinstance(v, dt.date) else str(v)) for v in row]
                  for row in sheet.iter_rows(values_only=True)]
        used = "xlsx"
    else:
        text, used = decode(data, encoding)
        values = list(csvsafe.reader(io.StringIO(text)))
    if not values:
        raise ListImportError([LineError(0, _("the file is empty"))])
    header = [str(h).strip() for h in values[0]]
    rows = [(number, dict(zip(header, row))) for number, row in enumerate(values[1:], start=2)
            if any(str(cell).strip() for cell in row)]
    return rows, used


def _field_map(header: list[str]) -> dict[str, str]:
    mapping = {}
    for column in header:
        key = _norm_header(column)
        for field, spellings in HEADERS.items():
            if key in spellings and field not in mapping:
                mapping[field] = column
    return mapping


def parse_entries(rows: list[tuple[int, dict]], today: dt.date | None = None,
                  warnings: list[LineError] | None = None) -> tuple[list[PartyListEntry], list[LineError]]:
    """Entries and errors (rows that refuse the list). A birth date wrong in part is no error: the entry keeps
    it as written, matching reads its valid parts, and `warnings` (when given) hears of it by line and column."""
    warnings = warnings if warnings is not None else []
    if not rows:
        return [], [LineError(1, _("the file has a header but no rows"))]
    mapping = _field_map(list(rows[0][1].keys()))
    if "name" not in mapping:
        return [], [LineError(1, _("no name column (expected a header such as name, ФИО, անուն or ad)"))]
    entries: list[PartyListEntry] = []
    errors: list[LineError] = []
    seen_refs: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    for line, row in rows:
        value = {field: str(row.get(column, "") or "").strip() for field, column in mapping.items()}
        # Every problem of the row, each under the file's own column header, so one round of corrections fixes
        # the row (RowProblems, as every other importer): a row reported for its name alone came back for its sex.
        problems = RowProblems()
        # Names exactly as written: only Unicode-normalised (NFC) so the same letters compare equal.
        name = unicodedata.normalize("NFC", value.get("name", ""))
        if not name:
            problems.add(mapping["name"], _("the row has no name"))
        _parts, warning = salvage_birth_date(value.get("birth_date", ""), today)
        if warning:
            warnings.append(LineError(line, warning, mapping["birth_date"]))
        sex_text = value.get("sex", "").casefold()
        sex = SEX_VALUES.get(sex_text, "")
        if sex_text and not sex:
            problems.add(mapping["sex"], _("sex %(value)s is not recognised") % {"value": value["sex"]})
        reference = value.get("reference", "")
        if reference and reference in seen_refs:
            problems.add(mapping["reference"], _("duplicate entry: reference %(ref)s already on line %(other)s")
                         % {"ref": reference, "other": seen_refs[reference]})
        person_key = (name.casefold(), value.get("father_name", "").casefold(), value.get("birth_date", ""))
        if name and person_key in seen_people:
            problems.add("", _("duplicate entry: the same person as on line %(other)s")
                         % {"other": seen_people[person_key]})
        if problems:
            errors.append(LineError(line, "; ".join(problems.messages())))
            continue
        if reference:
            seen_refs[reference] = line
        seen_people[person_key] = line
        entries.append(PartyListEntry(
            line=line, reference=reference, full_name=name, father_name=value.get("father_name", ""),
            birth_date=value.get("birth_date", ""), birth_place=value.get("birth_place", ""), sex=sex,
            raw={k: str(v) for k, v in row.items()}))
    return entries, errors


def import_party_list(data: bytes, filename: str, *, party, kind: str, received_on: dt.date, title: str = "",
                      received_via=None, encoding: str = "", user=None) -> PartyList:
    """Import a whole list or nothing: raises ListImportError with every bad line. Warnings (a field read in
    part) do not stop it; the list carries them in `party_list.warnings`."""
    rows, used = read_rows(data, filename, encoding)
    warnings: list[LineError] = []
    entries, errors = parse_entries(rows, warnings=warnings)
    if errors:
        raise ListImportError(errors)
    with transaction.atomic():
        party_list = PartyList.objects.create(
            party=party, kind=kind, received_on=received_on, received_via=received_via, source_file=filename[:255],
            encoding=used, imported_by=user if user and user.is_authenticated else None,
            title=title or filename[:200])
        for entry in entries:
            entry.party_list = party_list
            entry.script = detect_script(entry.full_name)
        bulk_create_with_history(entries, PartyListEntry, batch_size=500)
        name_search.index(name_search.LIST_ENTRY, party_list.entries.values_list("pk", "full_name"), replace=False)
        audit.record_bulk(PartyListEntry, len(entries), f"list {party_list.pk} from {filename}"[:200],
                          actor=getattr(user, "username", None))
    party_list.warnings = warnings
    return party_list
