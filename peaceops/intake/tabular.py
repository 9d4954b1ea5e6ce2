"""Import machinery written once: read CSV, XLSX or HXL-tagged CSV; map headers to a spec's columns; save each
row in its own savepoint; quarantine every bad row with its line and reasons; keep the rest.

An app declares what it imports in `imports.py`:

    IMPORTERS = [ImportSpec(key="returns.households", label=_("Households"), capability="returns.change",
                            columns=(Column("head_name", hxl="#affected+name", required=True), ...),
                            save_row=save_household_row)]

`save_row(values: dict[str, str], context: ImportContext)` raises RowError or Django's ValidationError for a bad
row; anything it wrote for that row is rolled back, and the row goes to the quarantine, where a user can correct
it and resubmit (`resubmit`). It returns `SKIPPED` for a row the system already holds (same source id), so
importing a file twice changes nothing. `parameters` are values an import needs besides the file (a manifest's
convoy): the upload form and the CLI ask for them and `save_row` finds them in `context.extra`.

Speed: rows are written in chunks of `CHUNK_ROWS`, one transaction per chunk and a savepoint per row inside it;
the audit chain gets one bulk event per model per chunk naming every id (rows rolled back are left out), while
simple-history still keeps each version. `context.cache` holds per-import lookups and is emptied whenever a row
is rolled back, so it never remembers something that was not written.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from peaceops.core import audit
from peaceops.intake.models import ImportBatch, QuarantinedRow


class TableError(ValueError):
    """The file as a whole cannot be read (encoding, format, missing required columns)."""


class RowError(ValueError):
    """One row is wrong; the message says what to fix."""


@dataclass(frozen=True)
class Column:
    name: str
    hxl: str = ""  # e.g. "#date+arrival"; matches a file's tag with the same hashtag and at least these attributes
    required: bool = False
    aliases: tuple[str, ...] = ()  # other header spellings accepted (case-insensitive)


CHUNK_ROWS = 500
SKIPPED = object()  # returned by save_row: the row is already in the system, nothing to write


@dataclass
class ImportContext:
    user: object
    batch: ImportBatch | None
    spec: ImportSpec
    extra: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # per-import lookups; emptied when a row is rolled back

    def cached(self, key: object, compute: Callable[[], object]) -> object:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass(frozen=True)
class ImportSpec:
    key: str
    label: str
    capability: str
    columns: tuple[Column, ...]
    save_row: Callable[[dict[str, str], ImportContext], object]
    description: str = ""
    parameters: tuple[tuple[str, str], ...] = ()  # (name, label) of values the import needs besides the file


@dataclass
class Table:
    headers: list[str]
    hxl_tags: list[str] | None
    rows: Iterator[tuple[int, list[str]]]


def _decode(data: bytes, filename: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TableError(
            f"{filename}: the file is not UTF-8 text (first undecodable byte on line {line}). "
            "Save it as “CSV UTF-8” and import it again; names in Armenian, Cyrillic and Latin need UTF-8."
        ) from None


def _is_hxl_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


def read_table(data: bytes, filename: str) -> Table:
    """Headers, optional HXL hashtag row, and data rows with the line numbers a user sees in their editor."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        raw_rows = _xlsx_rows(data, filename)
    elif suffix in {".csv", ".txt", ".hxl", ""}:
        text = _decode(data, filename)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        raw_rows = ((number, row) for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1))
    else:
        raise TableError(f"{filename}: unsupported file type “{suffix}”; use CSV (UTF-8), XLSX or HXL CSV.")
    rows = iter(raw_rows)
    first = next(rows, None)
    if first is None:
        raise TableError(f"{filename}: the file is empty.")
    headers = [h.strip() for h in first[1]]
    hxl_tags = None
    if _is_hxl_row(headers):  # a file with hashtags only and no text headers
        hxl_tags, headers = headers, headers
    else:
        peek = next(rows, None)
        if peek is not None and _is_hxl_row(peek[1]):
            hxl_tags = [t.strip() for t in peek[1]]
        elif peek is not None:
            rows = _prepend(peek, rows)
    return Table(headers, hxl_tags, ((n, r) for n, r in rows if any(str(c).strip() for c in r)))


def _prepend(item, iterator):
    yield item
    yield from iterator


def _xlsx_rows(data: bytes, filename: str):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged file
        raise TableError(f"{filename}: not a readable XLSX workbook ({exc.__class__.__name__}).") from None
    sheet = book.worksheets[0]
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v)) for v in row]


def _tag_parts(tag: str) -> tuple[str, frozenset[str]]:
    parts = tag.strip().lower().replace(" ", "").split("+")
    return parts[0], frozenset(p for p in parts[1:] if p)


def map_columns(spec: ImportSpec, table: Table) -> dict[int, str]:
    """Which file column feeds which spec column: by header name or alias, else by HXL hashtag."""
    mapping: dict[int, str] = {}
    lowered = [h.strip().lower() for h in table.headers]
    tags = [_tag_parts(t) if t else ("", frozenset()) for t in (table.hxl_tags or [])]
    for column in spec.columns:
        names = {column.name.lower(), *(a.lower() for a in column.aliases)}
        index = next((i for i, h in enumerate(lowered) if h in names and i not in mapping), None)
        if index is None and column.hxl and tags:
            want_tag, want_attrs = _tag_parts(column.hxl)
            candidates = [i for i, (tag, attrs) in enumerate(tags)
                          if tag == want_tag and want_attrs <= attrs and i not in mapping]
            # An exact hashtag wins over one with more attributes (#date+start before #date+start+planned).
            index = next((i for i in candidates if tags[i][1] == want_attrs), candidates[0] if candidates else None)
        if index is not None:
            mapping[index] = column.name
    missing = [c.name for c in spec.columns if c.required and c.name not in mapping.values()]
    if missing:
        expected = ", ".join(f"{c.name}{f' ({c.hxl})' if c.hxl else ''}" for c in spec.columns if c.required)
        raise TableError(f"Missing required column(s): {', '.join(missing)}. Required: {expected}.")
    return mapping


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return [f"{field}: {message}" if field != "__all__" else message
                    for field, errors in exc.message_dict.items() for message in errors]
        return list(exc.messages)
    return [str(exc)]


def _check_required(spec: ImportSpec, values: dict[str, str]) -> None:
    empty = [c.name for c in spec.columns if c.required and not values.get(c.name)]
    if empty:
        raise RowError(f"empty required value(s): {', '.join(empty)}")


def save_one(spec: ImportSpec, values: dict[str, str], context: ImportContext) -> list[str] | None:
    """Save one row atomically (its own savepoint). [] when saved, None when skipped as already known, otherwise
    its error messages, with nothing of it written."""
    try:
        with transaction.atomic():
            _check_required(spec, values)
            result = spec.save_row(values, context)
    except (RowError, ValidationError, ValueError) as exc:
        context.cache.clear()
        return _messages(exc)
    except DatabaseError as exc:  # e.g. a uniqueness conflict the row rules did not foresee
        context.cache.clear()
        return [f"the database refused the row: {exc}"]
    return None if result is SKIPPED else []


def missing_parameters(spec: ImportSpec, extra: dict) -> list[str]:
    return [f"{name} ({label})" for name, label in spec.parameters if not str(extra.get(name, "")).strip()]


def run_import(spec: ImportSpec, data: bytes, filename: str, user, extra: dict | None = None) -> ImportBatch:
    """Import a whole file. A file-level problem is recorded on the batch; row problems go to the quarantine."""
    extra = {name: str(value).strip() for name, value in (extra or {}).items()}
    batch = ImportBatch.objects.create(kind=spec.key, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
                                       uploaded_by=user if getattr(user, "pk", None) else None, parameters=extra)
    context = ImportContext(user=user, batch=batch, spec=spec, extra=extra)
    try:
        if missing := missing_parameters(spec, extra):
            raise TableError(f"{filename}: this import needs {', '.join(missing)}.")
        table = read_table(data, filename)
        mapping = map_columns(spec, table)
    except TableError as exc:
        batch.file_error = str(exc)
        batch.save(update_fields=["file_error"])
        return batch
    rows = iter(table.rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        _save_chunk(spec, context, mapping, chunk, f"{spec.key} from {filename} (import {batch.pk})")
    batch.save(update_fields=["rows_read", "rows_saved", "rows_skipped", "rows_quarantined"])
    return batch


def _save_chunk(spec: ImportSpec, context: ImportContext, mapping: dict[int, str],
                chunk: list[tuple[int, list[str]]], note: str) -> None:
    """One transaction for the chunk, one savepoint per row, one audit event per model for what was kept."""
    batch = context.batch
    quarantined = []
    with transaction.atomic(), audit.collecting() as entries:
        for line, cells in chunk:
            values = {name: str(cells[i]).strip() if i < len(cells) else "" for i, name in mapping.items()}
            batch.rows_read += 1
            mark = len(entries)
            errors = save_one(spec, values, context)
            if errors is None:
                batch.rows_skipped += 1
            elif errors:
                del entries[mark:]  # the row was rolled back: its saves are not in the database
                quarantined.append(QuarantinedRow(batch=batch, line=line, values=values, errors=errors))
            else:
                batch.rows_saved += 1
        audit.flush_collected(entries, note)
        QuarantinedRow.objects.bulk_create(quarantined)
        batch.rows_quarantined += len(quarantined)


def resubmit(row: QuarantinedRow, values: dict[str, str], user) -> list[str]:
    """Try a corrected row again; on success it leaves the quarantine, otherwise its reasons are updated."""
    from peaceops.intake.registry import importers

    spec = importers()[row.batch.kind]
    cleaned = {c.name: str(values.get(c.name, "")).strip() for c in spec.columns}
    context = ImportContext(user=user, batch=row.batch, spec=spec, extra=dict(row.batch.parameters or {}))
    errors = save_one(spec, cleaned, context) or []  # a row found already known needs no more fixing
    row.values = cleaned
    row.errors = errors
    if not errors:
        row.resolved_at = timezone.now()
        row.resolved_by = user
        ImportBatch.objects.filter(pk=row.batch_id).update(rows_saved=F("rows_saved") + 1)
    row.save()
    return errors
