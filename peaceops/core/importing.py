"""The import contract every app's `imports.py` is written against, without Django or the intake machinery.

An app declares `IMPORTERS = [ImportSpec(...)]` with its columns and a `save_row` (or a bulk `save_rows`); the
intake app (`peaceops.intake.tabular`) reads the files, maps headers, runs the rows in chunks and quarantines
the bad ones. Living in the core, the contract keeps dependencies pointing down: a domain app never imports
the intake app, and the intake app finds the specs through the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    # A lazily translated label (`gettext_lazy`); only named for the type checker, so the contract stays free of
    # Django at run time.
    from django_stubs_ext import StrPromise

T = TypeVar("T")
D = TypeVar("D")


class RowError(ValueError):
    """A row is wrong; each message says what to fix. `RowError(a, b)` carries several reasons of one row."""

    def __init__(self, *messages: object):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]


def field_messages(exc: Exception) -> list[tuple[str, str]]:
    """(field, message) for each reason in an exception; the field is "" where none is named. A Django
    ValidationError is read by its shape, so the contract stays free of Django."""
    shaped: Any = exc  # read by its attributes, whatever its class
    if hasattr(exc, "error_dict"):
        return [("" if name == "__all__" else name, str(message))
                for name, errors in shaped.message_dict.items() for message in errors]
    if hasattr(exc, "messages"):
        return [("", str(message)) for message in shaped.messages]
    return [("", str(exc))]


class RowProblems:
    """Every problem of one row, gathered so the row is refused once with all its reasons instead of the first.

    Validators add to it, or run through `check`, which catches a refusal (RowError, ValueError, a Django
    ValidationError) and notes it under the file's column (or, given "", the field the refusal names), returning
    `default`; `raise_if_any` then refuses the row with
    every reason as "field: reason" (nothing of it is written: the row is rejected as a whole)::

        problems = RowProblems()
        day = problems.check("day", lambda: parse_day(values["day"]))
        people = problems.check("people", lambda: count(values["people"]))
        problems.raise_if_any()
    """

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, field: str, message: object) -> None:
        self.problems.append((field, str(message)))

    # A refused check returns `default` (None unless given) only as a stand-in: the row is refused at
    # `raise_if_any`, before the value is used, so the type is the computed value's.
    @overload
    def check(self, field: str, compute: Callable[[], T]) -> T: ...

    @overload
    def check(self, field: str, compute: Callable[[], T], default: D) -> T | D: ...

    def check(self, field: str, compute: Callable[[], Any], default: Any = None) -> Any:
        try:
            return compute()
        except Exception as exc:
            if not isinstance(exc, ValueError) and not hasattr(exc, "messages"):
                raise  # not a refusal of the row: a fault, to surface as such
            for name, message in field_messages(exc):
                self.add(field or name, message)  # the file's column, as the user knows it, before a model's field
            return default

    def __bool__(self) -> bool:
        return bool(self.problems)

    def messages(self) -> list[str]:
        return [f"{field}: {message}" if field else message for field, message in self.problems]

    def raise_if_any(self) -> None:
        if self.problems:
            raise RowError(*self.messages())

    def render(self, line: int) -> str:
        return describe_row(line, self.messages())


def remembered(cache: dict, key, compute: Callable, refusals: tuple[type[Exception], ...]):
    """`compute()` once per key for the length of an import (a gazetteer look-up per distinct name, not per row);
    a refusal is remembered too and raised again for every row that asks."""
    if key not in cache:
        try:
            cache[key] = compute()
        except refusals as exc:
            cache[key] = exc
    if isinstance(cache[key], refusals):
        raise cache[key]
    return cache[key]


def describe_row(line: int, messages: list[str]) -> str:
    """One refused row on one line: "line 7: day: not a date; people: not a number"."""
    return f"line {line}: {'; '.join(messages)}"


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

    def cached(self, key: object, compute: Callable[[], T]) -> T:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


@dataclass(frozen=True)
class ImportSpec:
    key: str
    label: str | StrPromise
    capability: str
    columns: tuple[Column, ...]
    save_row: Callable[[dict[str, str], ImportContext], object]
    description: str | StrPromise = ""
    parameters: tuple[tuple[str, str | StrPromise], ...] = ()  # (name, label) of values the import needs besides the file
    # Optional bulk writer: (rows of (line, values), context) -> one RowOutcome per row, good rows written.
    save_rows: Callable[[list[tuple[int, dict[str, str]]], ImportContext], list[RowOutcome]] | None = None


@dataclass
class RowOutcome:
    """What a bulk writer did with one row: saved, skipped (already known) or refused with its reasons."""

    status: str  # "saved", "skipped" or "refused"
    errors: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def row_messages(exc: Exception) -> list[str]:
    """The reasons a row was refused, one per message, each prefixed with its field where one is named."""
    return [f"{field}: {message}" if field else message for field, message in field_messages(exc)]
