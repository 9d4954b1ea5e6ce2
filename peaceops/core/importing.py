"""The import contract every app's `imports.py` is written against, without Django or the intake machinery.

An app declares `IMPORTERS = [ImportSpec(...)]` with its columns and a `save_row` (or a bulk `save_rows`); the
intake app (`peaceops.intake.tabular`) reads the files, maps headers, runs the rows in chunks and quarantines
the bad ones. Living in the core, the contract keeps dependencies pointing down: a domain app never imports
the intake app, and the intake app finds the specs through the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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
    batch: object | None  # the intake app's ImportBatch, None for a dry run
    spec: ImportSpec
    extra: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # per-import lookups; emptied when a row is rolled back
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (column, message) of the row being saved

    def warn(self, column: str, message: str) -> None:
        """The row is kept, but part of it was left out or read differently: say which column and why."""
        self.warnings.append((column, message))

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
    # Optional bulk writer: (rows of (line, values), context) -> one RowOutcome per row, good rows written.
    save_rows: Callable[[list[tuple[int, dict[str, str]]], ImportContext], list[RowOutcome]] | None = None


@dataclass
class RowOutcome:
    """What a bulk writer did with one row: saved, skipped (already known) or refused with its reasons."""

    status: str  # "saved", "skipped" or "refused"
    errors: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def row_messages(exc: Exception) -> list[str]:
    """The reasons a row was refused, one per message, each prefixed with its field where one is named (a
    Django ValidationError is read by its shape, so the contract stays free of Django)."""
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" if field != "__all__" else message
                for field, errors in exc.message_dict.items() for message in errors]
    if hasattr(exc, "messages"):
        return list(exc.messages)
    return [str(exc)]
