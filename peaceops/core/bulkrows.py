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
other rows whose ids nobody needs go through `executemany`."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TypeVar

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
    rows = [table.values(obj) for obj in objs]
    size = _batch_size(len(table.fields))
    attname = table.pk.attname
    connection.ensure_connection()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            cursor.execute(table.head + ", ".join([table.row] * len(batch)) + table.returning,
                           [value for row in batch for value in row])
            ids = [pk for (pk,) in cursor.fetchall()]
            if len(ids) != len(batch):  # never expected: the database returned fewer ids than rows written
                raise RuntimeError(f"{model._meta.label}: {len(batch)} rows written, {len(ids)} ids returned")
            for obj, pk in zip(objs[start:start + size], ids, strict=True):
                setattr(obj, attname, pk)
    db = connection.alias
    for obj in objs:
        obj._state.adding = False
        obj._state.db = db
    return list(objs)


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
    of writing (one reading of the clock per record), "+" (or "~"), the user and the reason."""
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return 0
    from simple_history.utils import get_change_reason_from_object

    history = model.history.model  # type: ignore[attr-defined]  # added to the class by simple-history, unstubbed
    tracked, extra, kinds, sql = _history_columns(model)
    kind = "~" if update else "+"
    rows = []
    for obj in objs:
        by = getattr(obj, "_history_user", user or history.get_default_history_user(obj))
        own = {"history_date": getattr(obj, "_history_date", timezone.now()),
               "history_change_reason": get_change_reason_from_object(obj) or reason,
               "history_type": kind,
               "history_user": getattr(by, "pk", None)}
        values = [getattr(obj, f.attname) for f in tracked] + [own[f.name] for f in extra]
        rows.append([v if v is None or (k is not None and type(v) is k)
                     else f.get_db_prep_save(v, connection)
                     for f, k, v in zip(tracked + extra, kinds, values, strict=True)])
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)
