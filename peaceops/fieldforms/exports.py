"""Imports of what KoboToolbox or ODK Central already collected with the shipped forms: each row becomes the
instance Collect would have sent and goes through `services.receive`, so the same instance id never makes a
second record, whichever channel delivered it first.

- KoboToolbox CSV (`;` or `,`, XML headers `group/field`, `_uuid`, `meta/instanceID`, `_submission_time`) or XLSX
  (the first sheet the main rows; one sheet per repeat, its rows linked by `_parent_index` to the main `_index`).
- ODK Central CSV (`group-field` headers, `meta-instanceID`, `KEY`), or its `.csv.zip`: the main `FORM.csv` and
  one `FORM-REPEAT.csv` per repeat, whose rows join their submission by `PARENT_KEY` = the main row's `KEY`
  (media files in the zip are not read: attachments come over OpenRosa).

A column that is not a field of the current form is a mismatch: a row with a value in one is kept for review
with the column named. A row with fewer cells than the header (an export cut short) is kept for review too.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from peaceops.core import audit, csvsafe, priority
from peaceops.fieldforms import chunks, services
from peaceops.fieldforms.catalogue import FieldForm
from peaceops.fieldforms.instances import Instance, InstanceError, fold_in, instance_of
from peaceops.fieldforms.models import Channel

INSTANCE_COLUMNS = ("meta/instanceID", "meta-instanceID", "instanceID", "KEY", "_uuid")
DEPRECATED_COLUMNS = ("meta/deprecatedID", "meta-deprecatedID", "deprecatedID")
# What ODK Central writes beside the form's fields: never a field, never a mismatch.
CENTRAL_COLUMNS = frozenset({"SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                             "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
                             "KEY", "PARENT_KEY", "UpdatedAt"})
CHUNK_ROWS = 500  # rows a transaction: a chunk's records and their bulk audit events commit together
ZIP_MAX_BYTES = 512 * 1024 * 1024  # what a zip may unpack to: a bomb is refused, not read
# SQLite copies its write-ahead log into the database (a checkpoint: the pages written, both files synced) after
# any COMMIT that leaves the log over `wal_autocheckpoint` pages, 1,000 by default. A chunk of 500 registrations
# writes about 2,400 pages, so every chunk's COMMIT also checkpointed: most of its 30–100 ms. During an import the
# threshold is raised to this (40 MB of 4 KB pages, a checkpoint every few chunks, each page copied once for
# them all), and the log is checkpointed once at the end.
IMPORT_CHECKPOINT_PAGES = 10_000


class ExportError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class Row:
    line: int
    values: dict[str, str]
    truncated: str = ""
    repeats: dict[str, list[dict[str, str]]] = field(default_factory=dict)


@dataclass
class Report:
    read: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def count(self, key: str) -> None:
        self.outcomes[key] = self.outcomes.get(key, 0) + 1


def _csv_rows(data: bytes, name: str = "") -> Iterator[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportError(_("The file is not UTF-8 text; export it again as CSV (UTF-8).")
                          + (f" ({name})" if name else "")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csvsafe.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ExportError(_("The file is empty.")) from None
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            truncated = ""
            if len(cells) < len(header):
                truncated = _("Line %(line)s has %(n)s of %(total)s columns: the export looks cut short here.") % {
                    "line": reader.line_num, "n": len(cells), "total": len(header)}
            yield Row(reader.line_num, dict(zip(header, cells)), truncated)
    except csv.Error as exc:
        raise ExportError(_("Line %(line)s cannot be read (%(error)s): the export looks cut short.")
                          % {"line": reader.line_num, "error": exc}) from None


def _xlsx_rows(data: bytes) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a cut-short or damaged workbook: openpyxl raises zip and XML errors alike
        raise ExportError(_("The workbook cannot be opened (%(error)s): the export may be cut short.")
                          % {"error": type(exc).__name__}) from None

    def sheet_rows(sheet):
        rows = sheet.iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(rows, [])]
        for number, cells in enumerate(rows, 2):
            yield number, {h: ("" if c is None else str(c)) for h, c in zip(header, cells) if h}

    sheets = workbook.worksheets
    repeats: dict[str, dict[str, list[dict[str, str]]]] = {}
    for sheet in sheets[1:]:
        name = sheet.title.split("/")[-1]
        for _number, values in sheet_rows(sheet):
            repeats.setdefault(values.get("_parent_index", ""), {}).setdefault(name, []).append(values)
    for number, values in sheet_rows(sheets[0]):
        yield Row(number, values, repeats=repeats.get(values.get("_index", ""), {}))


def _central_zip_rows(data: bytes) -> Iterator[Row]:
    """ODK Central's "CSV (zip)": the main CSV, and per repeat a CSV whose PARENT_KEY names the main row's KEY.
    A repeat row cut short holds its submission for review, as a cut main row does."""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if i.filename.lower().endswith(".csv") and "/" not in
                   i.filename.strip("/")]
    except zipfile.BadZipFile:
        raise ExportError(_("The zip cannot be opened: the export may be cut short.")) from None
    if sum(i.file_size for i in members) > ZIP_MAX_BYTES:
        raise ExportError(_("The zip unpacks to more than %(limit)s MB; export fewer submissions at a time.")
                          % {"limit": ZIP_MAX_BYTES // (1024 * 1024)})
    if not members:
        raise ExportError(_("The zip holds no CSV file; download Central's “CSV (zip)” export."))
    main = min(members, key=lambda i: (len(i.filename), i.filename))
    stem = main.filename[:-4]
    repeats: dict[str, dict[str, list[dict[str, str]]]] = {}
    cut: dict[str, str] = {}
    try:
        for info in members:
            if info is main:
                continue
            if not info.filename.startswith(stem + "-"):
                raise ExportError(_("%(name)s is not a repeat file of %(main)s.")
                                  % {"name": info.filename, "main": main.filename})
            name = info.filename[len(stem) + 1:-4].split("-")[-1]
            for row in _csv_rows(archive.read(info), info.filename):
                parent = (row.values.get("PARENT_KEY") or "").split("/")[0]
                if row.truncated:
                    cut[parent] = f"{info.filename}: {row.truncated}"
                item = {k: v for k, v in row.values.items() if k not in CENTRAL_COLUMNS}
                repeats.setdefault(parent, {}).setdefault(name, []).append(item)
        rows = list(_csv_rows(archive.read(main), main.filename))
    except (zipfile.BadZipFile, EOFError, OSError) as exc:  # a member cut short inside the zip
        raise ExportError(_("The zip cannot be read (%(error)s): the export may be cut short.")
                          % {"error": type(exc).__name__}) from None
    for row in rows:
        key = (row.values.get("KEY") or "").strip()
        row.repeats = repeats.get(key, {})
        row.truncated = row.truncated or cut.get(key, "")
        yield row


def _path(header: str, paths: set[str]) -> str | None:
    if header in paths:
        return header
    if header.replace("-", "/") in paths:
        return header.replace("-", "/")
    tail = header.replace("-", "/").split("/")[-1]
    matches = [p for p in paths if p.split("/")[-1] == tail]
    return matches[0] if len(matches) == 1 else None


def _instance_id(values: dict[str, str]) -> str:
    for column in INSTANCE_COLUMNS:
        value = (values.get(column) or "").strip()
        if value:
            return value if value.startswith("uuid:") or column != "_uuid" else f"uuid:{value}"
    return ""


# Characters XML 1.0 cannot carry (C0 controls but tab and newlines, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# An element of an instance: its name, and its text (a leaf) or its children (a group, a repeat, meta).
Node = tuple[str, "str | list[Node]"]


@dataclass
class RowInstance:
    """An export row as the instance Collect would have sent: its XML (what is stored as received), what `parse`
    reads from that XML (None when it cannot: the row goes through `services.receive`, which says why), the
    columns with values the current form lacks, and the columns whose values held characters XML cannot
    carry (replaced by U+FFFD)."""

    xml: str
    instance: Instance | None
    unmapped: list[str]
    unclean: list[str]


# A dict being filled as `instances.fold` fills it, and the names already met twice in it (its repeats).
Folded = tuple[dict, set]


def _fold_in(folded: Folded, name: str, value) -> None:
    """One (name, value) pair into the dict as `instances.fold` adds it: a name met again makes a list."""
    fold_in(*folded, name, value)


def _put(nodes: list, groups: dict[str, tuple[list, Folded]], folded: Folded, path: str, value: str) -> None:
    """The leaf at `path` ("group/field"), its groups made once, where the first of their fields is; put both
    among the elements (`nodes`, for the XML) and into the values' dict (`folded`, as `instances._tree` reads
    those elements), so the values need no second walk over the elements."""
    if "/" not in path:
        nodes.append((path, value))
        _fold_in(folded, path, value)
        return
    *names, leaf = path.split("/")
    for depth in range(len(names)):
        key = "/".join(names[:depth + 1])
        if key not in groups:
            group: tuple[list, Folded] = ([], ({}, set()))
            groups[key] = group
            nodes.append((names[depth], group[0]))
            _fold_in(folded, names[depth], group[1][0])
        nodes, folded = groups[key]
    nodes.append((leaf, value))
    _fold_in(folded, leaf, value)


def _xml(form_id: str, nodes: list) -> str:
    """The elements as lxml writes them (`etree.tostring(..., encoding="UTF-8", xml_declaration=True)`)."""
    parts = ["<?xml version='1.0' encoding='UTF-8'?>\n<data id=\"",
             form_id.translate(_ESCAPES).replace('"', "&quot;"), '">']

    def write(children: list) -> None:
        for name, node in children:
            if isinstance(node, list):
                if node:
                    parts.append(f"<{name}>")
                    write(node)
                    parts.append(f"</{name}>")
                else:
                    parts.append(f"<{name}/>")
            elif node:
                parts.append(f"<{name}>{node.translate(_ESCAPES)}</{name}>")
            else:
                parts.append(f"<{name}/>")

    write(nodes)
    parts.append("</data>")
    return "".join(parts)


_SKIP, _UNMAPPED = 0, 1  # a column that is never a field; one with no field of the current form


def _column_plan(header: str, paths: set[str]) -> tuple[int | str, str]:
    """What a main row's column is: _SKIP, _UNMAPPED or its field's path, and the path's first group."""
    if header.startswith("_") or header in INSTANCE_COLUMNS + DEPRECATED_COLUMNS or header in CENTRAL_COLUMNS:
        return _SKIP, ""
    path = _path(header, paths)
    if path is None:
        if header.split("/")[0] not in ("meta", "formhub") and not header.startswith(("meta-", "__")):
            return _UNMAPPED, ""
        return _SKIP, ""
    return path, path.split("/")[0] if "/" in path else ""


def to_instance(form: FieldForm, row: Row, paths: set[str] | None = None, plan: dict | None = None) -> RowInstance:
    """The row as the instance Collect would have sent, built once as elements and, in the same pass, the dict
    `instances._tree` reads from those elements: its XML is written from the elements, so the values are what
    `instances.parse` reads from that XML (pinned, with the XML byte for byte, by
    tests/fieldforms/test_export_instances.py) and the content digest is the one the same filling gets over
    OpenRosa, without writing the XML only to parse it again nor walking the elements a second time. `plan`: what each column maps to, worked out once
    for the rows sharing `paths` (the caller's dict, empty at first)."""
    paths = form.field_paths() if paths is None else paths
    plan = {} if plan is None else plan
    root: list = []
    groups: dict[str, tuple[list, Folded]] = {}
    data: Folded = ({}, set())
    unmapped: list[str] = []
    unclean: list[str] = []

    def clean(header: str, value: str) -> str:
        if _NOT_XML.search(value):
            unclean.append(header)
            value = _NOT_XML.sub("\ufffd", value).strip()
        return value

    for header, value in row.values.items():
        planned = plan.get(header)
        if planned is None:
            planned = plan[header] = _column_plan(header, paths)
        path, group = planned
        if path == _SKIP:
            continue
        value = value.strip()
        if not value:
            continue
        if path == _UNMAPPED:
            unmapped.append(header)
        elif isinstance(path, str) and not (group and group in row.repeats):
            _put(root, groups, data, path, clean(header, value))
    for name, items in row.repeats.items():
        repeat_plan: tuple[set[str], dict[str, str | int | None]] | None = plan.get((name,))
        if repeat_plan is None:
            repeat_paths = {p.split("/", 1)[1] for p in paths if p.startswith(name + "/")}
            repeat_plan = plan[(name,)] = (repeat_paths, {})
        repeat_paths, mapped = repeat_plan
        for item in items:
            children: list = []
            inner: dict[str, tuple[list, Folded]] = {}
            item_data: Folded = ({}, set())
            for header, value in item.items():
                if header.startswith("_"):
                    continue
                value = value.strip()
                if not value:
                    continue
                known = mapped.get(header, _SKIP)
                if known == _SKIP:
                    known = mapped[header] = _path(header.split("/")[-1], repeat_paths)
                if not isinstance(known, str):
                    unmapped.append(header)
                    continue
                _put(children, inner, item_data, known, clean(header, value))
            if _XML_NAME.match(name):
                root.append((name, children))
                _fold_in(data, name, item_data[0] if children else "")  # an empty element reads as ""
            elif name not in unmapped:  # no element can carry it (nor can the form have such a repeat)
                unmapped.append(name)
    meta: list = [("instanceID", clean("instanceID", _instance_id(row.values)))]
    deprecated = next((row.values[c] for c in DEPRECATED_COLUMNS if (row.values.get(c) or "").strip()), "")
    if deprecated:
        meta.append(("deprecatedID", clean("deprecatedID", deprecated.strip())))
    root.append(("meta", meta))
    _fold_in(data, "meta", dict(meta))  # instanceID and deprecatedID: two names, never repeated
    try:
        instance: Instance | None = instance_of(data[0], form.form_id)
    except InstanceError:
        instance = None
    return RowInstance(_xml(form.form_id, root), instance, unmapped, unclean)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No collection while the export is read: reading makes rows (dicts of strings, no cycles) by the
    thousand, and each pass of the collector would walk those already read again (5 % of a 3,000-row import's
    profile, in the reader's loop). Back as it was at the end, whatever happens."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def _heap_set_aside() -> Iterator[None]:
    """The objects alive now (the whole export read, the application) out of the collector's full passes for the
    length of the import (`gc.freeze`): a full pass would otherwise walk every row of the file again and again
    (a quarter of the import's time at 3,000 rows). What the import makes is still collected; everything is
    back under the collector at the end. Left alone when the process has frozen objects of its own."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextmanager
def _checkpoints_spaced() -> Iterator[None]:
    """On SQLite, the write-ahead log checkpointed every IMPORT_CHECKPOINT_PAGES pages while the import runs
    instead of after each chunk, then once (PASSIVE: no one waits on it) and the threshold put back. A setting of
    the connection: other connections and the database file are unchanged; a threshold already higher (or
    checkpoints turned off) is left alone."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        before = int(cursor.fetchone()[0])
    if before <= 0 or before >= IMPORT_CHECKPOINT_PAGES:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA wal_autocheckpoint={IMPORT_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={before}")
            if not connection.in_atomic_block:  # a caller's transaction (a dry run's, a test's) holds the log
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")


def import_export(form: FieldForm, data: bytes, filename: str, user, *, channel: str = Channel.KOBO,
                  dry_run: bool = False, progress=None) -> Report:
    """Each row through `services.receive`, in chunks of CHUNK_ROWS rows: one transaction per chunk, a savepoint
    per row inside `receive`, and one audit event per model and chunk for the records the rows made (beside the
    decisions: one event per submission through `receive`, one per chunk through `chunks.receive_many`). The whole file is read before anything is written, so a file that cannot
    be read writes nothing; a process stopped mid-way keeps whole chunks only, and running the import again
    skips what they brought (the same instance ids). With `dry_run` everything is rolled back at the end."""
    lower = filename.lower()
    with _collector_paused():
        rows = list(_xlsx_rows(data) if lower.endswith((".xlsx", ".xlsm")) else
                    _central_zip_rows(data) if lower.endswith(".zip") else _csv_rows(data))
    report = Report()
    note = _("field export %(file)s (%(form)s)") % {"file": filename[:120], "form": form.form_id}
    lookups: dict = {}  # the form's look-ups (settlements) for the whole import: asked once, not once a chunk
    with _heap_set_aside(), _checkpoints_spaced(), transaction.atomic() if dry_run else nullcontext():
        for start in range(0, len(rows), CHUNK_ROWS):
            began = time.monotonic()
            paths = form.field_paths()  # the form's build is reused for a while; asked once a chunk
            plan: dict = {}  # what each column maps to in these paths
            chunk = rows[start:start + CHUNK_ROWS]
            # Built and checked before the chunk's transaction: on SQLite its BEGIN IMMEDIATE takes the write
            # lock other users wait on, which should cover the look-ups and writes only.
            built = [(row, _instance_row(form, row, paths, plan)) for row in chunk]
            checked = chunks.check_many([item for _row, item in built if item is not None], form, user=user,
                                        channel=channel, lookups=lookups) if form.bulk is not None else None
            with transaction.atomic(), audit.collecting() as entries:
                if checked is None or not _import_chunk(built, checked, report, note, progress):
                    for row, item in built:
                        _import_row(row, item, user, channel, report)
                        if progress:
                            progress(report.read)
                audit.flush_collected(entries, note)
            priority.pace(time.monotonic() - began)  # a batch process gives way while pages wait
        if dry_run:
            transaction.set_rollback(True)
    return report


def _instance_row(form: FieldForm, row: Row, paths: set[str], plan: dict | None = None
                  ) -> tuple[str, Instance | None, str] | None:
    """The row's instance as (XML, what it reads as, the reason to hold it for review: "" for none); None without
    an instance id."""
    if not _instance_id(row.values):
        return None
    built = to_instance(form, row, paths, plan)
    reasons = [row.truncated] if row.truncated else []
    if built.unmapped:
        reasons.append(_("Columns not in the current form: %(columns)s.") % {"columns": ", ".join(built.unmapped)})
    if built.unclean:
        reasons.append(_("Control characters in %(columns)s, which an instance cannot hold; each is shown as "
                         "%(mark)s.") % {"columns": ", ".join(built.unclean), "mark": "\ufffd"})
    return built.xml, built.instance, " ".join(reasons)


def _count(report: Report, row: Row, outcome) -> None:
    state = {201: "accepted", 202: "in review", 409: "conflict", 403: "refused"}.get(outcome.status, "unreadable")
    if outcome.status == 201 and outcome.again:
        state = "already received"
    report.count(state)
    if outcome.status != 201:
        report.problems.append((row.line, outcome.message))


def _import_chunk(built: list[tuple[Row, tuple[str, Instance | None, str] | None]], checked: chunks.CheckedChunk,
                  report: Report, note: str, progress) -> bool:
    """The checked chunk through `chunks.write_many` (the form's records written in bulk); False, with nothing
    written or counted, when the chunk has to go one row at a time."""
    outcomes = chunks.write_many(checked, note=note)
    if outcomes is None:
        return False
    answers = iter(outcomes)
    for row, item in built:
        report.read += 1
        if item is None:
            report.problems.append((row.line, _("No instance id (meta/instanceID, KEY or _uuid); row skipped.")))
            report.count("skipped")
        else:
            _count(report, row, next(answers))
        if progress:
            progress(report.read)
    return True


def _import_row(row: Row, item: tuple[str, Instance | None, str] | None, user, channel: str,
                report: Report) -> None:
    """The row's instance (`_instance_row`'s) through `services.receive`."""
    report.read += 1
    if item is None:
        report.problems.append((row.line, _("No instance id (meta/instanceID, KEY or _uuid); row skipped.")))
        report.count("skipped")
        return
    xml, _instance, hold = item
    _count(report, row, services.receive(xml.encode(), user=user, channel=channel, hold=hold))
