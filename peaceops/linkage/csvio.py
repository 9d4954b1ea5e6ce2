"""CSV in and out for the `link` command, kept free of Django so it can be tested on its own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from peaceops.core import csvsafe
from peaceops.linkage.dates import salvage_birth_date
from peaceops.linkage.interface import MatchProposal


@dataclass(frozen=True)
class RowError:
    path: str
    line: int  # 1-based physical line in the file (the header is line 1)
    reason: str
    column: str = ""  # the header's name of the column at fault, when one is

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        return f"{where}: column {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"


@dataclass
class ReadResult:
    records: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # rows refused (no usable name, no usable id)
    warnings: list[RowError] = field(default_factory=list)  # rows kept with a field read in part or not at all
    fatal: bool = False  # the file as a whole is unusable (no header, no id column)


NAME_COLUMNS = ("name", "given_name", "surname")
# Other spellings of the recognised columns, as public data sets and other tools write them (FEBRL: rec_id,
# date_of_birth). Used only where the file has no column of the recognised name.
HEADER_ALIASES = {"rec_id": "id", "record_id": "id", "date_of_birth": "birth_date", "dob": "birth_date",
                  "first_name": "given_name", "forename": "given_name", "last_name": "surname",
                  "place_of_birth": "birth_place", "gender": "sex"}


def read_records(path: str | Path) -> ReadResult:
    """Read a UTF-8 CSV of people. A row is refused only without a usable name or id; a bad field is read
    as far as it is valid (or left unknown), and reported as a warning with its line and column."""
    result = ReadResult()
    p = str(path)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csvsafe.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        if not header:
            result.errors.append(RowError(p, 1, "empty file: a header row with an `id` column is required"))
            result.fatal = True
            return result
        written = header
        header = [HEADER_ALIASES[h] if h in HEADER_ALIASES and HEADER_ALIASES[h] not in header else h
                  for h in header]
        as_written = dict(zip(header, written, strict=True))  # warnings name the file's own column
        if "id" not in header:
            result.errors.append(RowError(p, 1, f"no `id` column in header ({', '.join(header)})"))
            result.fatal = True
            return result
        reader.fieldnames = header
        seen: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            rec = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k is not None}
            if None in row:
                result.warnings.append(RowError(p, line, "more fields than the header has; the extra fields "
                                                "were ignored"))
            rid = rec.get("id") or ""
            if not rid:
                result.errors.append(RowError(p, line, "empty id"))
                continue
            if rid in seen:
                result.errors.append(RowError(p, line, f"duplicate id {rid!r} (first on line {seen[rid]})"))
                continue
            if not any(rec.get(col) for col in NAME_COLUMNS):
                result.errors.append(RowError(p, line, "no name (name, or given_name and surname)"))
                continue
            # A bad date keeps what is valid of it (1945-04-93 → 1945-04) and the person is still matched.
            salvaged = salvage_birth_date(rec.get("birth_date"))
            if salvaged.warning:
                result.warnings.append(RowError(p, line, salvaged.warning, as_written["birth_date"]))
                rec["birth_date"] = salvaged.date.iso() if salvaged.date else ""
            seen[rid] = line
            result.records.append({k: v for k, v in rec.items() if v not in (None, "")} | {"id": rid})
    return result


def write_pairs(path: str | Path, proposals: Iterable[MatchProposal], explain: bool = False) -> int:
    """Write `left_id,right_id,probability[,explanation]`; returns the number of pairs written."""
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csvsafe.writer(fh)
        writer.writerow(["left_id", "right_id", "probability", *(["explanation"] if explain else [])])
        for prop in proposals:
            row = [prop.left_id, prop.right_id, f"{prop.probability:.6f}"]
            if explain:
                row.append(format_explanation(prop))
            writer.writerow(row)
            n += 1
    return n


def format_explanation(prop: MatchProposal) -> str:
    """`field: level (+w.ww); ...` — which fields agreed and which did not, with their weights."""
    return "; ".join(f"{e.field}: {e.level} ({e.match_weight:+.2f})" for e in prop.explanation)


def read_pairs(path: str | Path) -> list[tuple[str, str, float]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [(r["left_id"], r["right_id"], float(r["probability"])) for r in csvsafe.DictReader(fh)]


def summarise_errors(errors: Sequence[RowError], limit: int = 50, what: str = "bad rows") -> list[str]:
    lines = [str(e) for e in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"... and {len(errors) - limit} more {what}")
    return lines
