"""Plain executemany inserts for the scenario and the benchmark: the ORM's per-object cost dominates at
hundreds of thousands of rows, and these tables need no ids back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models


def _concrete(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a column of {model._meta.label}"
    return field


def _column(field: models.Field) -> str:
    assert field.column is not None, f"{field} has no column"
    return field.column


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch: int = 20000,
                *, prepared: bool = False) -> int:
    """Insert tuples of raw column values (foreign keys as ids, datetimes aware) into `model`'s table.
    `prepared`: the caller vouches that every value is already what the field would send (text in a text
    column, an int in an integer one), so no value is looked at (the search keys of a registrations chunk)."""
    meta = model._meta
    columns_of = [_concrete(model, name) for name in fields]
    columns = [_column(f) for f in columns_of]
    sql = (f"INSERT INTO {connection.ops.quote_name(meta.db_table)} "
           f"({', '.join(connection.ops.quote_name(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})")
    total, chunk = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            if prepared:
                chunk.append(row)
            else:
                chunk.append([f.get_db_prep_save(v, connection) if not isinstance(v, (int, str, bool)) or v is None
                              else v for f, v in zip(columns_of, row, strict=True)])
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                total += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            total += len(chunk)
    return total
