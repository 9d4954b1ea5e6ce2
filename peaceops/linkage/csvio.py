"""CSV in and out for the `link` command, kept free of Django so it can be tested on its own."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from peaceops.linkage.dates import parse_birth_date
from peaceops.linkage.interface import MatchProposal


@dataclass(frozen=True)
class RowError:
    path: str
    line: int  # 1-based physical line in the file (the header is line 1)
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class ReadResult:
    records: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    fatal: bool = False  # the file as a whole is unusable (no header, no id column)


def read_records(path: str | Path) -> ReadResult:
    """Read a UTF-8 CSV of people. Every bad row is reported with its line and reason; the rest are kept."""
    result = ReadResult()
    p = str(path)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        if not header:
            result.errors.append(RowError(p, 1, "empty file: a header row with an `id` column is required"))
            result.fatal = True
            return result
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
                result.errors.append(RowError(p, line, "more fields than the header has"))
                continue
            rid = rec.get("id") or ""
            if not rid:
                result.errors.append(RowError(p, line, "empty id"))
                continue
            if rid in seen:
                result.errors.append(RowError(p, line, f"duplicate id {rid!r} (first on line {seen[rid]})"))
                continue
            try:
                parse_birth_date(rec.get("birth_date"))
            except ValueError as exc:
                result.errors.append(RowError(p, line, str(exc)))
                continue
            seen[rid] = line
            result.records.append({k: v for k, v in rec.items() if v not in (None, "")} | {"id": rid})
    return result


def write_pairs(path: str | Path, proposals: Iterable[MatchProposal], explain: bool = False) -> int:
    """Write `left_id,right_id,probability[,explanation]`; returns the number of pairs written."""
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
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
        return [(r["left_id"], r["right_id"], float(r["probability"])) for r in csv.DictReader(fh)]


def summarise_errors(errors: Sequence[RowError], limit: int = 50) -> list[str]:
    lines = [str(e) for e in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"... and {len(errors) - limit} more bad rows")
    return lines
