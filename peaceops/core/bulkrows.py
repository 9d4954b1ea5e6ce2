"""New records and their simple-history versions written with a few prepared statements per table.

The imports write tens of thousands of records a minute; Django's `bulk_create` compiles each value of each
row through the field (137,000 calls for 500 registrations) and simple-history's `bulk_history_create` builds a
model instance per version before doing the same. Here each column is classified once per model: values of the
plain kinds (text in a text column, an int in an integer or key column, a bool in a boolean one) go to the
driver as they are — exactly what the field would have returned — and every other value (dates, UUIDs, JSON)
through the field's own `get_db_prep_save`, so the stored bytes are the ORM's (pinned by
tests/returns/test_bulk_rows.py against the ORM's own writes, versions included).

Ids come back with `INSERT … RETURNING` (SQLite ≥ 3.35 and PostgreSQL), one statement per batch of rows, the
way `bulk_create` gets them: the database allocates them, so concurrent writers never collide. Versions and
other rows whose ids nobody needs go through `executemany`.

`insert` / `insert_history` are the same writer without model instances (the registrations import, issue 16):
rows are tuples of the fields the caller sets, every other column takes what `Model()` and `bulk_create` would
give it (its default, a fresh one per row for a callable default such as a UUID; the revision counter's first
value), the `auto_now(_add)` columns and the versions' `history_date` one reading of the clock per call, and each
distinct value of a column that needs preparing (a date, a JSON list) is prepared once per call."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from itertools import repeat
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.db.models.fields.related import ForeignKey
from django.utils import timezone

M = TypeVar("M", bound=models.Model)
_PLAIN_TEXT = (models.CharField, models.TextField)
_PLAIN_INT = (models.IntegerField, models.AutoField, models.BigAutoField, models.SmallAutoField)


def _plain_kind(field) -> type | None:
    """The Python type a value of this column is stored as unchanged, or None when the field must prepare it.

    Only Django's own field classes whose preparation is the identity for that type qualify: a subclass that
    overrides how it prepares a value (an encrypted or normalising field) always goes through the field."""
    if isinstance(field, ForeignKey):
        return _plain_kind(field.target_field)
    prep = type(field).get_prep_value
    db_prep = type(field).get_db_prep_value
    save = type(field).get_db_prep_save
    if save is not models.Field.get_db_prep_save:
        return None
    if isinstance(field, _PLAIN_TEXT) and db_prep is models.Field.get_db_prep_value and prep in (
            models.CharField.get_prep_value, models.TextField.get_prep_value):
        return str
    if isinstance(field, _PLAIN_INT) and prep is models.IntegerField.get_prep_value and db_prep in (
            models.Field.get_db_prep_value, models.IntegerField.get_db_prep_value,
            models.AutoField.get_db_prep_value):
        return int
    if isinstance(field, models.BooleanField) and prep is models.BooleanField.get_prep_value and (
            db_prep is models.Field.get_db_prep_value):
        return bool
    return None


def _column(field: models.Field) -> str:
    assert field.column is not None, f"{field} is not a concrete field"  # only concrete fields are written
    return field.column


def _has_own_pre_save(field) -> bool:
    return type(field).pre_save is not models.Field.pre_save


class _Table:
    """What a model's INSERT needs, worked out once: its columns, how each value is prepared."""

    def __init__(self, model: type[models.Model]):
        meta = model._meta
        self.model = model
        self.pk = meta.pk
        self.fields = [f for f in meta.concrete_fields if not f.generated
                       and not (f is meta.pk and isinstance(f, models.AutoField))]
        self.kinds = [_plain_kind(f) for f in self.fields]
        self.pre_saved = [_has_own_pre_save(f) for f in self.fields]  # auto_now(_add), the revision counter
        self.relations = [f for f in self.fields if isinstance(f, models.ForeignKey)]  # many-to-one, concrete
        quote = connection.ops.quote_name
        self.head = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(_column(f)) for f in self.fields)}) "
                     f"VALUES ")
        self.row = f"({', '.join(['%s'] * len(self.fields))})"
        self.returning = f" RETURNING {quote(_column(self.pk))}"

    def values(self, obj) -> list:
        """The row `bulk_create` would send for `obj` (pre_save values set on it, as `bulk_create` does)."""
        for relation in self.relations:  # `_prepare_related_fields_for_save`: a key set from a parent saved since
            if getattr(obj, relation.attname) is None and relation.is_cached(obj):
                parent = relation.get_cached_value(obj)
                if parent is not None:
                    if parent.pk is None:
                        raise ValueError(f"save() prohibited to prevent data loss due to unsaved related object "
                                         f"'{relation.name}'.")
                    setattr(obj, relation.attname, getattr(parent, relation.target_field.attname))
        row = []
        for field, kind, pre in zip(self.fields, self.kinds, self.pre_saved, strict=True):
            value = field.pre_save(obj, True) if pre else getattr(obj, field.attname)
            if value is None or (kind is not None and type(value) is kind):
                row.append(value)
            else:
                row.append(field.get_db_prep_save(value, connection))
        return row


_CACHED_TYPES = (str, int, bool, float, dt.date, dt.datetime, dt.time)


def _preparer(field: models.Field, kind: type | None) -> Callable[[Any], Any]:
    """What `field.get_db_prep_save` makes of a value, each distinct value prepared once (per call of the writer:
    a JSON list of needs, a registration date repeat across a chunk). Values of the column's plain kind pass."""
    prepared: dict = {}

    def prepare(value):
        kind_of = type(value)
        if value is None or kind_of is kind:
            return value
        if kind_of is list and all(type(item) is str for item in value):
            key: Any = (list, tuple(value))
        elif kind_of in _CACHED_TYPES:
            key = (kind_of, value)  # the type too: True and 1 are equal keys, not equal JSON
        else:
            return field.get_db_prep_save(value, connection)
        try:
            return prepared[key]
        except KeyError:
            result = prepared[key] = field.get_db_prep_save(value, connection)
            return result

    return prepare


@cache
def _table(model: type[models.Model]) -> _Table:
    return _Table(model)


def _batch_size(columns: int) -> int:
    limit = connection.features.max_query_params or 65535
    if connection.vendor == "sqlite":
        try:  # SQLite ≥ 3.32 allows 32,766 parameters; Django assumes the old 999
            import sqlite3

            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, TypeError):
            pass
    return max(1, min(1000, (limit - 1) // max(1, columns)))


def create(model: type[M], objs: Sequence[M]) -> list[M]:
    """Insert new `objs` of `model` (no pk yet) and set their ids, as `bulk_create` does, in few statements."""
    if not objs:
        return list(objs)
    table = _table(model)
    attname = table.pk.attname
    for obj, pk in zip(objs, _insert_returning(model, [table.values(obj) for obj in objs]), strict=True):
        setattr(obj, attname, pk)
    db = connection.alias
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db
    return list(objs)


_GIVEN, _PER_ROW, _CONSTANT = 0, 1, 2


def _set_when_saved(field: models.Field, pre: bool) -> bool:
    """Whether saving a new record sets this column (a stamp, the revision counter) whatever it held."""
    if isinstance(field, models.DateField):  # and DateTimeField: only auto_now(_add) stamp; the rest pass the value
        return bool(field.auto_now or field.auto_now_add)
    return pre


@cache
def _plan(model: type[models.Model], names: tuple[str, ...]):
    """For each column of `model`'s INSERT: taken from the given tuple (its position), a default made per row
    (a callable default), or one value per call (a constant default, the clock, the revision's first value)."""
    table = _table(model)
    given = {name: n for n, name in enumerate(names)}
    attnames = {f.attname for f in table.fields}
    if unknown := set(names) - attnames:
        raise ValueError(f"{model._meta.label} has no columns {sorted(unknown)} to write")
    template = model()  # one instance per model, for the revision counter's value on a first save
    plan: list[tuple[int, Any, models.Field, type | None]] = []
    for field, kind, own_pre_save in zip(table.fields, table.kinds, table.pre_saved, strict=True):
        pre = _set_when_saved(field, own_pre_save)
        auto_now = pre and isinstance(field, models.DateField)
        if field.attname in given:
            if pre:
                raise ValueError(f"{field} is set when saved; it cannot be given")
            plan.append((_GIVEN, given[field.attname], field, kind))
        elif auto_now:
            if not isinstance(field, models.DateTimeField):
                raise ImproperlyConfigured(f"{field}: only date-times are stamped by core.bulkrows")
            plan.append((_CONSTANT, "now", field, kind))
        elif pre:
            plan.append((_CONSTANT, field.pre_save(template, True), field, kind))  # the revision counter: 1
        elif field.has_default() and callable(field.default):
            plan.append((_PER_ROW, field.default, field, kind))
        else:
            plan.append((_CONSTANT, field.get_default(), field, kind))
    return plan


def prepare(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence], now: dt.datetime
            ) -> list[tuple]:
    """The values `bulk_create` would send for new records of `model` with these fields set (`names`, the
    `rows`' order) and every other field as `model()` leaves it; `now` stamps the `auto_now(_add)` columns.
    Worked out a column at a time: a given column whose values are all of its plain kind passes as it is (the
    usual case), a constant is one value repeated, and the rows are zipped back together."""
    plan = _plan(model, tuple(names))
    count = len(rows)
    given_columns = list(zip(*rows, strict=True)) if rows else [() for _name in names]
    columns: list[Iterable] = []
    for how, arg, field, kind in plan:
        prep = _preparer(field, kind)
        if how == _CONSTANT:
            columns.append(repeat(prep(now if arg == "now" else arg), count))
        elif how == _GIVEN:
            column = given_columns[arg]
            if not set(map(type, column)) <= {kind, type(None)}:
                column = [value if value is None or type(value) is kind else prep(value) for value in column]
            columns.append(column)
        else:
            make = _fresh(field, arg)
            columns.append([make() for _row in range(count)] if make is not None
                           else [prep(arg()) for _row in range(count)])
    return list(zip(*columns))


def _fresh(field: models.Field, default) -> Callable[[], Any] | None:
    """A UUID column's fresh default made ready for the database in one step (what the field's preparation of
    `uuid4()` gives: the UUID itself where the database has a UUID type, its 32 hex digits elsewhere)."""
    if default is not uuid.uuid4 or type(field) is not models.UUIDField:
        return None
    if connection.features.has_native_uuid_field:
        return uuid.uuid4
    return _uuid4_hex


def _uuid4_hex() -> str:
    """`uuid.uuid4().hex` without the `UUID` object: 16 random bytes with the version (4) and variant bits set as
    `uuid.UUID(bytes=..., version=4)` sets them, as 32 hex digits."""
    number = int.from_bytes(os.urandom(16), "big")
    number = (number & ~(0xC000 << 48) | 0x8000 << 48) & ~(0xF000 << 64) | 4 << 76
    return f"{number:032x}"


def insert(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence], now: dt.datetime
           ) -> tuple[list[int], list[tuple]]:
    """Insert new records of `model` from tuples of the fields `names` (no model instances) and return their ids
    in order and the values written (for `insert_history`): what `bulk_create` of `model(**row)` stores."""
    if not rows:
        return [], []
    values = prepare(model, names, rows, now)
    return _insert_returning(model, values), values


class _Statements:
    """The cursor the writers send their statements to. On SQLite, when nothing watches Django's cursor (no
    execute wrapper, no query log: `assertNumQueries` and DEBUG still see every statement), the driver's own
    cursor, the statements written with its `?` placeholders: Django's SQLite cursor rewrites each statement's
    `%s` with a regular expression, which over a 500-row INSERT is a tenth of the import's time. Errors are
    Django's either way (`wrap_database_errors`), so callers catching `DatabaseError` see no difference."""

    def __init__(self) -> None:
        connection.ensure_connection()
        self.raw = (connection.vendor == "sqlite" and not connection.execute_wrappers
                    and not connection.queries_logged)
        self.cursor = connection.connection.cursor() if self.raw else connection.cursor()

    def sql(self, text: str) -> str:
        """`text` (written with `%s`, no literal `%`) for this cursor."""
        return text.replace("%s", "?") if self.raw else text

    def execute(self, text: str, params: Sequence) -> list:
        with connection.wrap_database_errors:
            self.cursor.execute(self.sql(text), params)
            return self.cursor.fetchall()

    def run(self, text: str, params: Sequence) -> None:
        """A statement that returns no rows."""
        with connection.wrap_database_errors:
            self.cursor.execute(self.sql(text), params)

    def executemany(self, text: str, rows: Sequence[Sequence]) -> None:
        with connection.wrap_database_errors:
            self.cursor.executemany(self.sql(text), rows)

    def __enter__(self) -> _Statements:
        return self

    def __exit__(self, *exc) -> None:
        self.cursor.close()


def _insert_returning(model: type[models.Model], rows: Sequence[Sequence]) -> list[int]:
    """`INSERT … RETURNING id` of prepared rows, a batch a statement; the ids in the rows' order."""
    table = _table(model)
    size = _batch_size(len(table.fields))
    ids: list[int] = []
    with _Statements() as cursor:
        full = ""  # the statement of a full batch, built once
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            if len(batch) == size:
                full = full or table.head + ", ".join([table.row] * size) + table.returning
                statement = full
            else:
                statement = table.head + ", ".join([table.row] * len(batch)) + table.returning
            got = [pk for (pk,) in cursor.execute(statement, [value for row in batch for value in row])]
            if len(got) != len(batch):  # never expected: the database returned fewer ids than rows written
                raise RuntimeError(f"{model._meta.label}: {len(batch)} rows written, {len(got)} ids returned")
            ids.extend(got)
    return ids


def given_fields(model: type[models.Model]) -> tuple[str, ...]:
    """Every column a caller may set on a new record of `model` (all but the id and those set when saved)."""
    table = _table(model)
    return tuple(f.attname for f, pre in zip(table.fields, table.pre_saved, strict=True)
                 if not _set_when_saved(f, pre))


def mark_saved(model: type[models.Model], objs: Sequence[models.Model], ids: Sequence[int], now: dt.datetime
               ) -> None:
    """After `insert` of these instances' values: their ids and the values set when saved (the stamps, the
    revision), as `bulk_create` leaves them."""
    table = _table(model)
    stamped = [(f.attname, now if arg == "now" else arg) for (how, arg, f, _k), pre
               in zip(_plan(model, given_fields(model)), table.pre_saved, strict=True)
               if _set_when_saved(f, pre) and how == _CONSTANT]
    attname, db = table.pk.attname, connection.alias
    for obj, pk in zip(objs, ids, strict=True):
        setattr(obj, attname, pk)
        for name, value in stamped:
            setattr(obj, name, value)
        obj._state.adding = False
        obj._state.db = db


@cache
def _history_plan(model: type[models.Model]):
    """Where each tracked column of the version is in the record's written values (the pk: its id)."""
    table = _table(model)
    tracked, extra, _kinds, sql = _history_columns(model)
    position = {f.attname: n for n, f in enumerate(table.fields)}
    originals = {f.attname: f for f in table.fields}
    places: list[int | None] = []
    for field in tracked:
        if field.attname == table.pk.attname:
            places.append(None)
            continue
        original = originals.get(field.attname)
        if original is None or type(original.target_field if isinstance(original, ForeignKey) else original) is not \
                type(field.target_field if isinstance(field, ForeignKey) else field):
            raise ImproperlyConfigured(f"{model._meta.label}: the version's {field.name} is not prepared as the "
                                       "record's; write this model with create_history")
        places.append(position[field.attname])
    return places, extra, sql


def history_user(model: type[models.Model], user=None):
    """The user a version names: the one given, else simple-history's default (the request's), asked once."""
    if user:  # as simple-history's `default_user or get_default_history_user(instance)`
        return user
    return model.history.model.get_default_history_user(None)  # type: ignore[attr-defined]  # simple-history's


def insert_history(model: type[models.Model], ids: Sequence[int], values: Sequence[Sequence], now: dt.datetime,
                   *, user=None, reason: str | None = "", update: bool = False) -> int:
    """A version of each record `insert` wrote (its `ids` and `values`), as `bulk_history_create` writes it with
    `default_user=user, default_change_reason=reason`: the record's columns, `now`, "+" (or "~"), the user and
    the reason."""
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    places, extra, sql = _history_plan(model)
    by = history_user(model, user)
    own = {"history_date": now, "history_change_reason": reason, "history_type": "~" if update else "+",
           "history_user": getattr(by, "pk", None)}
    tail = [_preparer(f, _plain_kind(f))(own[f.name]) for f in extra]
    rows = [[pk if place is None else row[place] for place in places] + tail
            for pk, row in zip(ids, values, strict=True)]
    with _Statements() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


@cache
def _history_copy_head(model: type[models.Model]) -> tuple[str, str, int]:
    """`INSERT INTO <history> (<columns>) SELECT <the record's columns>, <the version's own> FROM <table>`, and
    the number of the version's own values (bound per call)."""
    table = _table(model)
    places, extra, _sql = _history_plan(model)
    tracked, _extra, _kinds, _sql = _history_columns(model)
    quote = connection.ops.quote_name
    history = model.history.model._meta  # type: ignore[attr-defined]  # simple-history's, unstubbed
    sources = [quote(_column(table.pk)) if place is None else quote(_column(table.fields[place])) for place in places]
    # PostgreSQL types a parameter in a SELECT list from its value alone (a NULL user would be text): each is
    # cast to its column's type. SQLite stores what it is given (a CAST there would change a date's affinity).
    own = [f"CAST(%s AS {f.db_type(connection)})" if connection.vendor == "postgresql" else "%s" for f in extra]
    head = (f"INSERT INTO {quote(history.db_table)} ({', '.join(quote(f.column) for f in tracked + extra)}) "
            f"SELECT {', '.join(sources + own)} FROM {quote(model._meta.db_table)}")
    return head, quote(_column(table.pk)), len(extra)


def copy_history(model: type[models.Model], ids: Sequence[int], now: dt.datetime, *, user=None,
                 reason: str | None = "", update: bool = False) -> int:
    """`insert_history` without sending the records' values again: the database copies each version's tracked
    columns from the rows just written (`INSERT … SELECT`, in id order, as the versions are written one by one),
    only `now`, "+" (or "~"), the user and the reason bound. The stored versions are `insert_history`'s (the
    version's columns are the record's own kinds: `_history_plan` refuses a model where they are not). Ids in
    one run (a chunk under the writer's lock) go as a range, any others as lists."""
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    head, pk, count = _history_copy_head(model)
    _places, extra, _sql = _history_plan(model)
    by = history_user(model, user)
    own = {"history_date": now, "history_change_reason": reason, "history_type": "~" if update else "+",
           "history_user": getattr(by, "pk", None)}
    tail = [_preparer(f, _plain_kind(f))(own[f.name]) for f in extra]
    assert len(tail) == count
    ordered = sorted(ids)
    with _Statements() as cursor:
        if ordered[-1] - ordered[0] + 1 == len(ordered) and len(set(ordered)) == len(ordered):
            cursor.run(f"{head} WHERE {pk} BETWEEN %s AND %s ORDER BY {pk}", [*tail, ordered[0], ordered[-1]])
        else:
            size = max(1, _batch_size(1) - count)
            for start in range(0, len(ordered), size):
                part = ordered[start:start + size]
                cursor.run(f"{head} WHERE {pk} IN ({', '.join(['%s'] * len(part))}) ORDER BY {pk}",
                               [*tail, *part])
    return len(ids)


def insert_plain(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence]) -> int:
    """Rows of plain values (text, ints: what each field would send, the caller vouches) into `model`'s table,
    one `executemany`, no ids back (the search keys of a registrations chunk)."""
    if not rows:
        return 0
    quote = connection.ops.quote_name
    columns = [_column(model._meta.get_field(name)) for name in names]  # type: ignore[arg-type]
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    with _Statements() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


@cache
def _history_columns(model: type[models.Model]):
    """The historical table's columns: the tracked fields (read off the record) and the history's own."""
    history = model.history.model  # type: ignore[attr-defined]  # added to the class by simple-history, unstubbed
    meta = history._meta
    own = {"history_date", "history_change_reason", "history_type", "history_user"}
    tracked_names = {f.attname for f in history.tracked_fields}
    columns = [f for f in meta.concrete_fields if not (f is meta.pk and isinstance(f, models.AutoField))]
    extra = [f for f in columns if f.attname not in tracked_names]
    tracked = [f for f in columns if f.attname in tracked_names]
    unknown = {f.name for f in extra} ^ own
    if unknown or hasattr(history, "history_relation"):
        # A history option this writer does not reproduce (a custom user field, an IP column): refuse at the first
        # write rather than store versions that differ from simple-history's.
        raise ImproperlyConfigured(f"{history._meta.label}: history columns {sorted(unknown)} are not written by "
                                   "core.bulkrows; write this model with the ORM")
    fields = tracked + extra
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    return tracked, extra, [_plain_kind(f) for f in fields], sql


def create_history(model: type[models.Model], objs: Sequence[models.Model], *, user=None, reason: str | None = "",
                   update: bool = False) -> int:
    """A simple-history version of each saved record, as `model.history.bulk_history_create(objs,
    default_user=user, default_change_reason=reason, update=update)` writes it: the record's fields, the time
    of writing (one reading of the clock per call), "+" (or "~"), the user and the reason."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    from simple_history.utils import get_change_reason_from_object

    tracked, extra, kinds, sql = _history_columns(model)
    kind = "~" if update else "+"
    fields = tracked + extra
    preparers = [_preparer(f, k) for f, k in zip(fields, kinds, strict=True)]
    default_by = history_user(model, user)  # asked once: simple-history asks per version, the same answer
    now = timezone.now()  # one reading of the clock for the call's versions
    rows = []
    for obj in objs:
        by = getattr(obj, "_history_user", default_by)
        own = {"history_date": getattr(obj, "_history_date", now),
               "history_change_reason": get_change_reason_from_object(obj) or reason,
               "history_type": kind,
               "history_user": getattr(by, "pk", None)}
        values = [getattr(obj, f.attname) for f in tracked] + [own[f.name] for f in extra]
        rows.append([prep(v) for prep, v in zip(preparers, values, strict=True)])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)
