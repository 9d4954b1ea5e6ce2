"""Gazetteers in the field's formats merged into PeaceOps' own: GeoNames dumps and OCHA common operational datasets.

A row becomes a new place only when nothing in the gazetteer already is that place. It is the same place when it
carries the place's P-code, or when one of its names meets one of the place's names (on the script-independent
key the resolver uses) and the two lie close enough together (or one has no coordinates yet). Its names then
join the place as aliases and its coordinates, P-code and population fill what was missing; nothing already
recorded is overwritten. A row that could be two existing places, or whose P-code and names point at different
places, is a conflict: reported with its line for the operator to settle (an alias or a P-code added by hand),
never guessed. A namesake far away is a place of its own, as villages of one name often are.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from peaceops.core import csvsafe
from peaceops.core.context import acting_as
from peaceops.core.models import Place, PlaceAlias
from peaceops.core.models.places import AliasKind, AliasLanguage, PlaceKind
from peaceops.core.text import detect_script, place_key, record_number

# How far apart two records of one place may lie (km): a village's point moves between sources, a district's
# centre more.
SAME_PLACE_KM: dict[str, float] = {PlaceKind.SETTLEMENT: 5.0, PlaceKind.REGION: 60.0, PlaceKind.COUNTRY: math.inf}
# Words that name the kind of an administrative unit rather than the unit ("Hadrut district" is "Hadrut").
_UNIT_WORDS = re.compile(r"\b(district|rayon|raion|region|province|marz|city|район|область|марз|город|"
                         r"rayonu|şəhəri|շրջան|մարզ|քաղաք)\b", re.IGNORECASE)
# P-codes PeaceOps made up where no official one was known (the demo's); an official COD P-code replaces them.
LOCAL_PCODE_PREFIX = "PO-"
_AZ_LETTERS = re.compile("[əƏıİğĞşŞçÇöÖüÜ]")
_LANGUAGES = {choice.value for choice in AliasLanguage}


class GazetteerFileError(ValueError):
    """The file as a whole cannot be read in the format asked for."""


@dataclass
class Row:
    line: int
    name: str
    kind: str
    names: dict[str, str] = field(default_factory=dict)  # name as written → alias language
    latitude: float | None = None
    longitude: float | None = None
    pcode: str = ""
    parent_pcode: str = ""
    population: int | None = None


@dataclass
class ImportReport:
    read: int = 0
    created: list[str] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (row's name, the place it joined)
    aliases_added: int = 0
    namesakes: list[tuple[str, str, float]] = field(default_factory=list)  # (new place, existing, km apart)
    conflicts: list[tuple[int, str, str]] = field(default_factory=list)  # (line, name, reason)
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    outside: int = 0
    other_features: int = 0
    dry_run: bool = False

    def as_json(self) -> dict:
        return {"read": self.read, "created": self.created, "merged": [list(m) for m in self.merged],
                "aliases_added": self.aliases_added,
                "namesakes": [{"place": n, "namesake_of": o, "km": round(km, 1)} for n, o, km in self.namesakes],
                "conflicts": [{"line": ln, "name": n, "reason": r} for ln, n, r in self.conflicts],
                "bad_rows": [{"line": ln, "reason": r} for ln, r in self.bad_rows],
                "outside_bbox": self.outside, "other_features": self.other_features, "dry_run": self.dry_run}


# ------------------------------------------------------------------------------------------------ reading files

def _language(name: str) -> str:
    script = detect_script(name)
    if script == "Armn":
        return AliasLanguage.HY
    if script == "Cyrl":
        return AliasLanguage.RU
    if script == "Latn":
        return AliasLanguage.AZ if _AZ_LETTERS.search(name) else AliasLanguage.EN
    return ""  # other scripts are not the region's: not kept


def _number(text: str, low: float, high: float) -> float | None:
    value = float(text)
    if not low <= value <= high:
        raise ValueError
    return value


def read_geonames(data: bytes, report: ImportReport) -> list[Row]:
    """A GeoNames dump (`AM.txt`, `AZ.txt`, `allCountries.txt`): 19 tab-separated columns, no header.
    Populated places (feature class P) become settlements, first- and second-order administrative divisions
    regions, independent political entities countries; other features (rivers, peaks) are counted and left."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise GazetteerFileError("A GeoNames dump is UTF-8 text; this file is not.") from None
    rows: list[Row] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        report.read += 1
        if len(cols) < 15:
            if report.read == 1 and len(rows) == 0 and len(cols) < 5:
                raise GazetteerFileError("This is not a GeoNames dump: its lines have no tab-separated columns.")
            report.bad_rows.append((line_no, f"{len(cols)} columns where a GeoNames line has 19"))
            continue
        feature_class, feature_code = cols[6], cols[7]
        if feature_class == "P":
            kind = PlaceKind.SETTLEMENT
        elif feature_class == "A" and feature_code in ("ADM1", "ADM2", "ADM3"):
            kind = PlaceKind.REGION
        elif feature_class == "A" and feature_code.startswith("PCL"):
            kind = PlaceKind.COUNTRY
        else:
            report.other_features += 1
            continue
        name = cols[1].strip()
        if not place_key(name):
            report.bad_rows.append((line_no, "no name"))
            continue
        try:
            latitude, longitude = _number(cols[4], -90, 90), _number(cols[5], -180, 180)
        except ValueError:
            report.bad_rows.append((line_no, f"coordinates “{cols[4]}, {cols[5]}” are not a point on Earth"))
            continue
        names = {name: _language(name) or AliasLanguage.OTHER}
        for other in [cols[2], *cols[3].split(",")]:
            other = other.strip()
            language = _language(other)
            # Alternate names carry codes (airport, postal) and other scripts: keep the region's names only.
            code = len(other) <= 4 and other.isupper()  # airport and other codes (LWN, UBBS)
            if language and not code and other not in names and len(other) <= 200 \
                    and not any(c.isdigit() for c in other):
                names[other] = language
        population = record_number(cols[14]) or None
        rows.append(Row(line_no, name, kind, names, latitude, longitude, population=population))
    return rows


_COD_NAME = re.compile(r"^adm(?:in)?(\d)(?:_?name)?_([a-z]{2})$", re.IGNORECASE)
_COD_PCODE = re.compile(r"^adm(?:in)?(\d)_?pcod(?:e)?$", re.IGNORECASE)


def _table(data: bytes, filename: str) -> list[dict[str, str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a bad file
            raise GazetteerFileError(f"The workbook cannot be read: {exc}") from None
        values = list(sheet.iter_rows(values_only=True))
        header = [str(h or "").strip() for h in (values[0] if values else [])]
        return [{h: "" if v is None else str(v).strip() for h, v in zip(header, row)} for row in values[1:]]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GazetteerFileError("The table is not UTF-8 text; save it as CSV UTF-8 or XLSX.") from None
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()}
            for row in csvsafe.DictReader(io.StringIO(text))]


def read_cod(data: bytes, filename: str, report: ImportReport) -> list[Row]:
    """An OCHA COD administrative-boundaries table (the tabular `adm…` CSV or XLSX from HDX): per row one unit
    of the lowest level with its parents, columns `ADM1_EN`, `ADM1_RU`, `ADM1_PCODE` (or `admin1Name_en`,
    `admin1Pcode`). Each unit is one place, a region (level 0: the country), under its parent by P-code."""
    table = _table(data, filename)
    if not table:
        raise GazetteerFileError("The table has no rows.")
    levels: dict[int, dict[str, str]] = {}
    for column in table[0]:
        if m := _COD_NAME.match(column):
            levels.setdefault(int(m.group(1)), {})[column] = m.group(2).lower()
        elif m := _COD_PCODE.match(column):
            levels.setdefault(int(m.group(1)), {})[column] = "pcode"
    levels = {n: cols for n, cols in levels.items() if "pcode" in cols.values()}
    if not levels:
        raise GazetteerFileError("No ADMn_PCODE column: this is not a COD administrative table.")
    rows: dict[str, Row] = {}
    for line_no, record in enumerate(table, start=2):
        report.read += 1
        parent = ""
        for level in sorted(levels):
            columns = levels[level]
            pcode = next(record.get(c, "") for c, lang in columns.items() if lang == "pcode")
            names = {record[c]: lang for c, lang in columns.items() if lang != "pcode" and record.get(c)}
            if not pcode:
                continue
            if pcode not in rows:
                if not names:
                    report.bad_rows.append((line_no, f"unit {pcode} has no name"))
                    break
                canonical = next((n for n, lang in names.items() if lang == "en"), next(iter(names)))
                rows[pcode] = Row(line_no, canonical, PlaceKind.COUNTRY if level == 0 else PlaceKind.REGION,
                                  {n: lang if lang in _LANGUAGES else AliasLanguage.OTHER for n, lang in names.items()},
                                  pcode=pcode, parent_pcode=parent)
            parent = pcode
    return list(rows.values())


# ----------------------------------------------------------------------------------------------------- merging

def _keys(names, kind: str) -> set[str]:
    keys = {place_key(n) for n in names}
    if kind != PlaceKind.SETTLEMENT:
        keys |= {place_key(_UNIT_WORDS.sub(" ", n)) for n in names}
    keys.discard("")
    return keys


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


class _Gazetteer:
    """The places of one kind family, indexed by name key, kept current as the import adds to them."""

    def __init__(self) -> None:
        self.places: dict[int, Place] = {}
        self.by_key: dict[str, set[int]] = {}
        self.by_pcode: dict[str, int] = {}
        self.names: dict[int, set[tuple[str, str]]] = {}
        for place in Place.objects.all():
            self._add(place, [place.name])
        for alias in PlaceAlias.objects.select_related(None).only("place_id", "name", "language"):
            self.names.setdefault(alias.place_id, set()).add((alias.name, alias.language))
            self._index(alias.place_id, [alias.name])

    def _add(self, place: Place, names) -> None:
        self.places[place.pk] = place
        if place.pcode:
            self.by_pcode[place.pcode] = place.pk
        self._index(place.pk, names)

    def _index(self, pk: int, names) -> None:
        kind = self.places[pk].kind
        # Each half of a neutral name ("Martuni / Khojavend district") is a name of the place on its own.
        names = [part for name in names for part in [name, *name.split(" / ")]]
        for key in _keys(names, kind):
            self.by_key.setdefault(key, set()).add(pk)

    def candidates(self, row: Row) -> list[Place]:
        ids = set().union(*(self.by_key.get(k, set()) for k in _keys(row.names, row.kind)))
        return [self.places[pk] for pk in ids if self.places[pk].kind == row.kind]


def _km(place: Place, row: Row) -> float | None:
    if place.latitude is None or place.longitude is None or row.latitude is None or row.longitude is None:
        return None
    return distance_km(float(place.latitude), float(place.longitude), row.latitude, row.longitude)


def _add_aliases(place: Place, row: Row, index: _Gazetteer) -> int:
    known = index.names.setdefault(place.pk, set())
    known_names = {name for name, _lang in known} | {place.name}
    added = 0
    for name, language in row.names.items():
        if name in known_names:
            continue
        PlaceAlias.objects.create(place=place, name=name, language=language,
                                  kind=AliasKind.OFFICIAL if name == row.name else AliasKind.TRANSLITERATION)
        known.add((name, language))
        known_names.add(name)
        added += 1
    index._index(place.pk, row.names)
    return added


def _fill(place: Place, row: Row, parent: Place | None) -> None:
    """What the place lacks and the row knows; nothing recorded is overwritten."""
    changed = []
    if not place.has_coordinates and row.latitude is not None and row.longitude is not None:
        place.latitude, place.longitude = round(row.latitude, 6), round(row.longitude, 6)
        changed += ["latitude", "longitude"]
    if row.pcode and (not place.pcode or place.pcode.startswith(LOCAL_PCODE_PREFIX)) and place.pcode != row.pcode:
        place.pcode = row.pcode
        changed.append("pcode")
    if place.population is None and row.population:
        place.population = row.population
        changed.append("population")
    if place.parent_id is None and parent is not None and parent.pk != place.pk:
        place.parent = parent
        changed.append("parent")
    if changed:
        place.save()


def _merge_row(row: Row, index: _Gazetteer, report: ImportReport) -> None:
    parent = index.places.get(index.by_pcode.get(row.parent_pcode, -1)) if row.parent_pcode else None
    by_code = index.places.get(index.by_pcode[row.pcode]) if row.pcode in index.by_pcode else None
    radius = SAME_PLACE_KM.get(row.kind, SAME_PLACE_KM[PlaceKind.SETTLEMENT])
    near: list[tuple[Place, float | None]] = []
    far: list[tuple[Place, float]] = []
    for place in index.candidates(row):
        km = _km(place, row)
        if km is not None and km > radius:
            far.append((place, km))
        else:
            near.append((place, km))
    if by_code is not None:
        named_elsewhere = [p for p, _km_ in near if p.pk != by_code.pk and not p.pcode]
        if named_elsewhere:
            report.conflicts.append((row.line, row.name, f"its P-code {row.pcode} is {by_code.name}'s, but its "
                                     f"names are {named_elsewhere[0].name}'s"))
            return
        target = by_code
    elif len(near) == 1:
        target = near[0][0]
        if target.pcode and row.pcode and target.pcode != row.pcode \
                and not target.pcode.startswith(LOCAL_PCODE_PREFIX):
            report.conflicts.append((row.line, row.name, f"its name is {target.name}'s, whose P-code is "
                                     f"{target.pcode}, not {row.pcode}"))
            return
    elif len(near) > 1:
        listed = "; ".join(f"{p.name} (id {p.pk}" + (f", {km:.1f} km" if km is not None else "") + ")"
                           for p, km in sorted(near, key=lambda pk: pk[1] if pk[1] is not None else math.inf))
        report.conflicts.append((row.line, row.name, f"it could be any of: {listed}"))
        return
    else:
        target = None
    if target is not None:
        report.aliases_added += _add_aliases(target, row, index)
        _fill(target, row, parent)
        if target.pcode:
            index.by_pcode[target.pcode] = target.pk
        report.merged.append((row.name, target.name))
        return
    place = Place.objects.create(
        name=row.name[:200], kind=row.kind, parent=parent, pcode=row.pcode, population=row.population,
        latitude=None if row.latitude is None else round(row.latitude, 6),
        longitude=None if row.longitude is None else round(row.longitude, 6))
    index._add(place, [place.name])
    report.aliases_added += _add_aliases(place, row, index)
    report.created.append(place.name)
    for other, km in far:
        report.namesakes.append((place.name, other.name, km))


def import_gazetteer(path: Path, fmt: str, *, bbox: tuple[float, float, float, float] | None = None,
                     dry_run: bool = False, actor: str = "system:cli places import") -> ImportReport:
    """Read `path` in `fmt` ("geonames" or "cod") and merge it; with `dry_run` the same work is done and undone."""
    report = ImportReport(dry_run=dry_run)
    data = Path(path).read_bytes()
    if fmt == "geonames":
        rows = read_geonames(data, report)
    elif fmt == "cod":
        rows = read_cod(data, Path(path).name, report)
    else:
        raise GazetteerFileError(f"Unknown format “{fmt}”: geonames or cod.")
    if bbox is not None:
        west, south, east, north = bbox
        kept = [r for r in rows if r.latitude is None or r.longitude is None
                or (south <= r.latitude <= north and west <= r.longitude <= east)]
        report.outside = len(rows) - len(kept)
        rows = kept
    # Rows keep the file's order, in which a COD unit's parent always comes first (read_cod adds it first).
    with acting_as(actor), transaction.atomic():
        index = _Gazetteer()
        for row in rows:
            _merge_row(row, index, report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """`west,south,east,north` in degrees (GeoJSON's order)."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise GazetteerFileError(f"--bbox takes west,south,east,north in degrees, such as 45.5,39.0,47.5,40.5; "
                                 f"not “{text}”.") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise GazetteerFileError(f"--bbox {text}: west must be less than east and south less than north.")
    return west, south, east, north
