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
is rolled back, so it never remembers something that was not written. A spec may also give `save_rows`, which
validates a whole chunk row by row with the same rules and writes the good rows in bulk (registrations do).

Kill-safety: each chunk's transaction also writes the batch's progress, so after a crash (even SIGKILL) the
database holds whole chunks and a batch that says exactly how many rows they were; `resume` reads the stored
file again from the next row. Warnings (`context.warn(column, message)`: a row kept with part of it left out)
are stored with their line and column beside the quarantine.

Limits: a file larger than PEACEOPS_IMPORT_MAX_BYTES is refused with a message, and a cell longer than
PEACEOPS_IMPORT_MAX_FIELD_CHARS sends its row to the quarantine (its values cut short there).
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit, csvsafe, priority, record_state
from peaceops.core.events import announce
from peaceops.core.importing import (  # noqa: F401 (the contract, re-exported for the machinery's callers)
    CHUNK_ROWS,
    SKIPPED,
    Column,
    ImportContext,
    ImportSpec,
    RowError,
    RowOutcome,
    row_messages,
)
from peaceops.core.numbers import grouped
from peaceops.intake.models import BatchStatus, ImportBatch, QuarantinedRow, RowWarning


class TableError(ValueError):
    """The file as a whole cannot be read (encoding, format, missing required columns)."""


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


def read_table(data: bytes, filename: str, *, counting: bool = False) -> Table:
    """Headers, optional HXL hashtag row, and data rows with the line numbers a user sees in their editor.
    `counting`: the rows only to be counted (`count_rows`): a CSV's cells are left as written, not restored."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        raw_rows = _xlsx_rows(data, filename)
    elif suffix in {".csv", ".txt", ".hxl", ""}:
        text = _decode(data, filename)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        # One cell may be as large as the file may be: a too-long cell is the row's problem (see _cells), not a
        # crash of the whole import in the csv module.
        csv.field_size_limit(max(csv.field_size_limit(), settings.PEACEOPS_IMPORT_MAX_BYTES))
        read = csv.reader if counting else csvsafe.reader
        raw_rows = ((number, row) for number, row in enumerate(read(io.StringIO(text), dialect), start=1))
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
    if counting:  # a cell as written reads empty once restored only if it starts with csvsafe's quote
        return Table(headers, hxl_tags, ((n, r) for n, r in rows if any(
            (csvsafe.restore(c) if c[:1] == csvsafe.QUOTE else c).strip() for c in map(str, r))))
    # A row with some text in some cell (its cells joined: one strip a row, not one a cell).
    return Table(headers, hxl_tags, ((n, r) for n, r in rows if "".join(map(str, r)).strip()))


def count_rows(data: bytes, filename: str) -> int:
    """How many data rows `read_table(data, filename).rows` yields, without restoring every cell."""
    return sum(1 for _row in read_table(data, filename, counting=True).rows)


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


def _empty_required(spec: ImportSpec, values: dict[str, str]) -> list[str]:
    """One reason per required column left empty, as "column: reason"."""
    return [f"{c.name}: " + _("a value is required") for c in spec.columns if c.required and not values.get(c.name)]


def _check_required(spec: ImportSpec, values: dict[str, str]) -> None:
    if empty := _empty_required(spec, values):
        raise RowError(*empty)


def _with_other_problems(empty: list[str], found: list[str]) -> list[str]:
    """The empty required columns, then what the row's rules found wrong in the other columns."""
    named = tuple(message.partition(":")[0] + ":" for message in empty)
    return empty + [message for message in found if not message.startswith(named)]


def _oversized(values: dict[str, str]) -> list[str]:
    limit = settings.PEACEOPS_IMPORT_MAX_FIELD_CHARS
    if max(map(len, values.values()), default=0) <= limit:  # every row but a rare one: no message to build
        return []
    return [_("column “%(column)s” holds %(size)s characters; a cell may hold at most %(limit)s")
            % {"column": name, "size": grouped(len(value)), "limit": grouped(limit)}
            for name, value in values.items() if len(value) > limit]


def _kept_for_quarantine(values: dict[str, str]) -> dict[str, str]:
    """A refused row's values as stored for correction, an oversized cell cut short (never megabytes in a row)."""
    limit = settings.PEACEOPS_IMPORT_MAX_FIELD_CHARS
    return {name: value if len(value) <= limit else value[:200] + "…" for name, value in values.items()}


def save_one(spec: ImportSpec, values: dict[str, str], context: ImportContext) -> list[str] | None:
    """Save one row atomically (its own savepoint). [] when saved, None when skipped as already known, otherwise
    its error messages, with nothing of it written. Warnings the row raised are left in `context.warnings`."""
    context.warnings = []
    if too_big := _oversized(values):
        return too_big
    empty = _empty_required(spec, values)
    try:
        with transaction.atomic():
            # A row with an empty required cell is refused, but its other columns are still checked, so the
            # report lists every problem of the row at once; whatever the rules wrote is rolled back.
            result = spec.save_row(values, context)
            if empty:
                raise RowError(*empty)
    except (RowError, ValidationError, ValueError) as exc:
        context.cache.clear()
        context.warnings = []
        return _with_other_problems(empty, row_messages(exc)) if empty else row_messages(exc)
    except Exception:
        if not empty:
            raise
        # The rules tripped over the empty value itself: the empty cells are the reasons to give.
        context.cache.clear()
        context.warnings = []
        return empty
    except DatabaseError as exc:  # e.g. a uniqueness conflict the row rules did not foresee
        context.cache.clear()
        context.warnings = []
        return [f"the database refused the row: {exc}"]
    return None if result is SKIPPED else []


def missing_parameters(spec: ImportSpec, extra: dict) -> list[str]:
    return [f"{name} ({label})" for name, label in spec.parameters if not str(extra.get(name, "")).strip()]


class ImportNotResumable(Exception):
    """The batch cannot be resumed now; the message says why."""


def keep_upload(data: bytes, sha256: str) -> str:
    """Keep the file as received until the import has finished, so it can be resumed after a crash (also the
    field exports' web uploads, until the worker has read them)."""
    folder = Path(settings.PEACEOPS_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha256}.{uuid.uuid4().hex[:8]}"
    path.write_bytes(data)
    return str(path)


def start_batch(spec: ImportSpec, data: bytes, filename: str, user, extra: dict | None = None) -> ImportBatch:
    """Record the batch and keep its file; a file refused as a whole (too large, missing parameters) is recorded
    as such. Nothing is imported yet: `run_batch` does it, here or in the worker."""
    extra = {name: str(value).strip() for name, value in (extra or {}).items()}
    digest = hashlib.sha256(data).hexdigest()
    batch = ImportBatch(kind=spec.key, filename=filename[:255], sha256=digest, parameters=extra,
                        uploaded_by=user if getattr(user, "pk", None) else None)
    limit = settings.PEACEOPS_IMPORT_MAX_BYTES
    if len(data) > limit:
        batch.file_error = _("%(file)s is %(size)s; at most %(limit)s can be imported at once. Split it into parts "
                             "and import each.") % {"file": filename, "size": filesizeformat(len(data)),
                                                    "limit": filesizeformat(limit)}
    elif missing := missing_parameters(spec, extra):
        batch.file_error = _("%(file)s: this import needs %(missing)s.") % {"file": filename,
                                                                             "missing": ", ".join(missing)}
    if batch.file_error:
        batch.status, batch.finished_at = BatchStatus.FAILED, timezone.now()
    else:
        batch.stored_file = keep_upload(data, digest)
    batch.save()
    return batch


def run_import(spec: ImportSpec, data: bytes, filename: str, user, extra: dict | None = None) -> ImportBatch:
    """Import a whole file. A file-level problem is recorded on the batch; row problems go to the quarantine."""
    batch = start_batch(spec, data, filename, user, extra)
    if batch.status == BatchStatus.FAILED:
        return batch
    return run_batch(batch, user, spec)


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def interrupted(batch: ImportBatch) -> bool:
    """A batch marked running whose process is gone: on this machine its pid is dead; elsewhere it has made no
    progress for PEACEOPS_IMPORT_STALE_SECONDS."""
    if batch.status != BatchStatus.RUNNING:
        return False
    host, _sep, rest = batch.runner.partition(":")
    pid = rest.partition(":")[0]
    if host == socket.gethostname() and pid.isdigit():
        return not _process_alive(int(pid))
    last = batch.progress_at or batch.updated_at
    return (timezone.now() - last).total_seconds() > settings.PEACEOPS_IMPORT_STALE_SECONDS


def why_not_resumable(batch: ImportBatch) -> str:
    """'' when `resume` may go on; otherwise the reason, as a sentence."""
    if batch.status == BatchStatus.DONE:
        return _("This import has finished.")
    if batch.status == BatchStatus.FAILED:
        return _("This file was refused as a whole: %(reason)s") % {"reason": batch.file_error}
    if batch.status == BatchStatus.RUNNING and not interrupted(batch):
        return _("This import is still running (last progress at %(when)s).") % {
            "when": timezone.localtime(batch.progress_at or batch.updated_at).strftime("%Y-%m-%d %H:%M:%S")}
    path = Path(batch.stored_file) if batch.stored_file else None
    if path is None or not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != batch.sha256:
        return _("The stored copy of the file is missing or changed; import the file again (rows already imported "
                 "are recognised and skipped).")
    return ""


def resume(batch: ImportBatch, user=None) -> ImportBatch:
    """Go on with an interrupted import from the row after its last committed chunk."""
    if reason := why_not_resumable(batch):
        raise ImportNotResumable(reason)
    return run_batch(batch, user if user is not None else batch.uploaded_by)


def update_batch(pk: int, note: str, *, where: dict | None = None, **values) -> int:
    """A queryset update of a batch's bookkeeping (progress, runner, status; a compare-and-set with `where`),
    put in the audit chain with the batch's new state: `audit verify --records` then knows the values are the
    application's, not a change made behind it."""
    with transaction.atomic():  # the change and its event, or neither
        updated = ImportBatch.objects.filter(pk=pk, **(where or {})).update(**values)
        if updated:
            record_state.record_bulk_update(ImportBatch, [pk], note)
    return updated


def _claim(batch: ImportBatch) -> str:
    """Take the batch for this process; a concurrent resumer that took it first wins."""
    token = _runner()
    taken = update_batch(batch.pk, "import taken by a runner", where={"runner": batch.runner, "status": batch.status},
                         runner=token, status=BatchStatus.RUNNING, progress_at=timezone.now())
    if not taken:
        raise ImportNotResumable(_("Another process has just taken this import over."))
    batch.runner, batch.status = token, BatchStatus.RUNNING
    return token


def run_batch(batch: ImportBatch, user=None, spec: ImportSpec | None = None) -> ImportBatch:
    """Import the batch's stored file from the row after the last committed one, chunk by chunk."""
    from peaceops.intake.registry import importers

    spec = spec or importers()[batch.kind]
    context = ImportContext(user=user, batch=batch, spec=spec, extra=dict(batch.parameters or {}))
    token = _claim(batch)
    try:
        data = Path(batch.stored_file).read_bytes()
        try:
            table = read_table(data, batch.filename)
            mapping = map_columns(spec, table)
            if batch.rows_total is None:
                batch.rows_total = count_rows(data, batch.filename)
                update_batch(batch.pk, "import rows counted", rows_total=batch.rows_total)
            rows = islice(table.rows, batch.rows_read, None)  # the committed chunks are not read twice
            note = f"{spec.key} from {batch.filename} (import {batch.pk})"
            with _long_lived_frozen():
                while chunk := list(islice(rows, CHUNK_ROWS)):
                    began = time.monotonic()
                    _save_chunk(spec, context, mapping, chunk, note, token)
                    priority.pace(time.monotonic() - began)  # a batch process gives way while pages wait
        except (TableError, csv.Error) as exc:
            batch.file_error = str(exc) if isinstance(exc, TableError) else _(
                "%(file)s: the file cannot be read past row %(row)s (%(error)s).") % {
                "file": batch.filename, "row": batch.rows_read + 1, "error": exc}
            _finish(batch, token, BatchStatus.FAILED)
            return batch
        _finish(batch, token, BatchStatus.DONE)
    except BaseException:
        # Anything but SIGKILL: leave the batch resumable at once (its chunks are whole), then let it go on up.
        update_batch(batch.pk, "import left resumable", where={"runner": token}, status=BatchStatus.QUEUED, runner="")
        raise
    return batch


_frozen_lock = threading.Lock()
_frozen_depth = 0
_frozen_before = False  # the process had frozen its heap already (`peaceops serve` does at start-up)


@contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """While chunks are imported, the objects alive before the import (the application's modules, models,
    translations, caches) are left out of Python's cyclic garbage collection (`gc.freeze`): a chunk makes
    tens of thousands of container objects that live until it is written, which sets off full collections, each
    walking that whole heap again (half the time of a registrations import). Only the collector's scanning
    changes: whatever its reference count frees is freed at once as before; only a cycle among objects that were
    alive before the import and became garbage during it waits until the last import running in the process
    ends, when the frozen objects go back under the collector."""
    global _frozen_depth, _frozen_before
    with _frozen_lock:
        if _frozen_depth == 0:
            _frozen_before = gc.get_freeze_count() > 0
            gc.freeze()
        _frozen_depth += 1
    try:
        yield
    finally:
        with _frozen_lock:
            _frozen_depth -= 1
            if _frozen_depth == 0 and not _frozen_before:  # never thaw what the server froze for itself
                gc.unfreeze()


def _finish(batch: ImportBatch, token: str, status: str) -> None:
    batch.status, batch.finished_at, batch.runner = status, timezone.now(), ""
    update_batch(batch.pk, "import finished", where={"runner": token},
                 status=status, finished_at=batch.finished_at, runner="", file_error=batch.file_error)
    if status == BatchStatus.DONE and batch.stored_file:
        # The file may hold personal data; once every row is in the database or the quarantine it is not needed.
        Path(batch.stored_file).unlink(missing_ok=True)
        update_batch(batch.pk, "imported file removed", stored_file="")
        batch.stored_file = ""
    if status == BatchStatus.DONE:
        quarantined, saved = ImportBatch.objects.filter(pk=batch.pk).values_list("rows_quarantined",
                                                                                 "rows_saved").get()
        if quarantined:
            announce("intake.quarantined_rows", batch, batch=batch.pk, quarantined=quarantined, saved=saved,
                     link=f"/intake/batches/{batch.pk}/", **{"import": batch.kind})


def _cells(mapping: dict[int, str], cells: list[str]) -> dict[str, str]:
    if len(cells) > max(mapping, default=-1):  # a whole row of text (every CSV row): no check a cell
        try:
            return {name: cells[i].strip() for i, name in mapping.items()}
        except AttributeError:  # a cell that is not text
            pass
    return {name: str(cells[i]).strip() if i < len(cells) else "" for i, name in mapping.items()}


def _save_chunk(spec: ImportSpec, context: ImportContext, mapping: dict[int, str],
                chunk: list[tuple[int, list[str]]], note: str, token: str) -> None:
    """One transaction for the chunk: its rows, their quarantine and warnings, one audit event per model for what
    was kept, and the batch's progress; a process killed at any point leaves all of it or none of it."""
    batch = context.batch
    assert isinstance(batch, ImportBatch), "only a real import (not a dry run) saves chunks"
    counts = {"rows_read": batch.rows_read, "rows_saved": batch.rows_saved, "rows_skipped": batch.rows_skipped,
              "rows_quarantined": batch.rows_quarantined, "rows_warned": batch.rows_warned}
    quarantined: list[QuarantinedRow] = []
    warnings: list[RowWarning] = []
    rows = [(line, _cells(mapping, cells)) for line, cells in chunk]
    with transaction.atomic(), audit.collecting() as entries:
        outcomes = _bulk_outcomes(spec, rows, context, entries) if spec.save_rows else None
        for index, (line, values) in enumerate(rows):
            counts["rows_read"] += 1
            if outcomes is not None:
                outcome = outcomes[index]
            else:
                mark = len(entries)
                errors = save_one(spec, values, context)
                if errors:
                    del entries[mark:]  # the row was rolled back: its saves are not in the database
                outcome = RowOutcome("skipped" if errors is None else "refused" if errors else "saved",
                                     errors or [], list(context.warnings))
            if outcome.status == "refused":
                quarantined.append(QuarantinedRow(batch=batch, line=line, values=_kept_for_quarantine(values),
                                                  errors=outcome.errors))
                continue
            counts["rows_skipped" if outcome.status == "skipped" else "rows_saved"] += 1
            if outcome.warnings:
                counts["rows_warned"] += 1
                warnings.extend(RowWarning(batch=batch, line=line, column=column[:80], message=message)
                                for column, message in outcome.warnings)
        audit.flush_collected(entries, note)
        QuarantinedRow.objects.bulk_create(quarantined)
        RowWarning.objects.bulk_create(warnings)
        counts["rows_quarantined"] += len(quarantined)
        if not update_batch(batch.pk, "import progress", where={"runner": token}, progress_at=timezone.now(),
                            **counts):
            raise ImportNotResumable(_("Another process took this import over; this one stops."))
    for name, value in counts.items():
        setattr(batch, name, value)


def _bulk_outcomes(spec: ImportSpec, rows: list[tuple[int, dict[str, str]]], context: ImportContext,
                   entries: list) -> list[RowOutcome] | None:
    """The spec's bulk writer on the chunk, inside a savepoint; rows too large are refused before it sees them.
    If the database refuses the bulk write, None: the chunk is then written row by row to find the culprit."""
    oversized = {line: errors for line, values in rows if (errors := _oversized(values))}
    wanted = []
    for line, values in rows:
        if line in oversized:
            continue
        try:
            _check_required(spec, values)
        except RowError as exc:
            oversized[line] = [str(exc)]
            continue
        wanted.append((line, values))
    mark = len(entries)
    assert spec.save_rows is not None, "called only for a spec with a bulk writer"
    try:
        with transaction.atomic():
            results = dict(zip([line for line, _v in wanted], spec.save_rows(wanted, context), strict=True))
    except DatabaseError:
        del entries[mark:]
        context.cache.clear()
        return None
    return [RowOutcome("refused", oversized[line]) if line in oversized else results[line] for line, _v in rows]


def resubmit(row: QuarantinedRow, values: dict[str, str], user) -> list[str]:
    """Try a corrected row again; on success it leaves the quarantine, otherwise its reasons are updated."""
    from peaceops.intake.registry import importers

    spec = importers()[row.batch.kind]
    cleaned = {c.name: str(values.get(c.name, "")).strip() for c in spec.columns}
    context = ImportContext(user=user, batch=row.batch, spec=spec, extra=dict(row.batch.parameters or {}))
    with transaction.atomic():
        errors = save_one(spec, cleaned, context) or []  # a row found already known needs no more fixing
        row.values = cleaned
        row.errors = errors
        if not errors:
            row.resolved_at = timezone.now()
            row.resolved_by = user
            update_batch(row.batch_id, "quarantined row saved", rows_saved=F("rows_saved") + 1)
            if context.warnings:
                RowWarning.objects.bulk_create([RowWarning(batch=row.batch, line=row.line, column=c[:80], message=m)
                                                for c, m in context.warnings])
                update_batch(row.batch_id, "quarantined row saved with a warning", rows_warned=F("rows_warned") + 1)
        row.save()
    return errors
