"""Queries whose SQL is compiled once per database connection, then run with each request's values.

A list page's few `values()` queries cost more to compile (Django walking the query: joins, ordering, select list,
converters) than PostgreSQL takes to run them: about a third of the incident list's CPU. Their SQL depends only on
the query's shape, not on the ids asked for, so `Prepared(model, build)` builds the queryset once with stand-in
values, compiles it, notes where each stand-in landed among the SQL's parameters, and afterwards sends that SQL
with the real values, converting the columns with the compiler's own converters (dates, JSON, decimals come out as
`values()` gives them). Nothing but SQL text is kept: every call reads the database afresh.

A query whose compiled parameters do not carry each stand-in exactly once, as it is (a lookup that transforms its
value, say), is never cached: it runs as a plain queryset every time. tests/api/test_prepared.py holds the rows
equal to the queryset's."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesIterable

_stand_in_numbers = itertools.count(1)
# A Prepared's cache key on the connection. Not id(self): a collected Prepared's id is reused, and the new one would
# run the old one's SQL.
_prepared_numbers = itertools.count(1)
MAX_LIST = 1024  # longer lists run as plain querysets


def _bucket(length: int) -> int:
    return max(8, 1 << (length - 1).bit_length())


def _stand_in(kind: type) -> object:
    """A value no real query carries, unique in the process, of the kind the lookup expects."""
    n = next(_stand_in_numbers)
    if kind is dt.datetime:
        return dt.datetime(1111, 11, 11, tzinfo=dt.UTC) + dt.timedelta(seconds=n, microseconds=n % 997)
    if kind is dt.date:
        return dt.date(1111, 11, 11) + dt.timedelta(days=n % 2_000_000)
    return -(7 << 58) - n if kind is int else f"\x00peaceops-prepared-{n}"


def _cacheable(value: object) -> bool:
    """An int or str, a date, or an aware datetime (a naive one is made aware on the way into the SQL, with a
    warning, which the cached path would not repeat: it runs as a plain queryset)."""
    kind = type(value)
    return kind in (int, str, dt.date) or (kind is dt.datetime and value.utcoffset() is not None)  # type: ignore[attr-defined]


def _adapter(connection, kind: type) -> Callable[[object], object] | None:
    """How a value of this kind reaches the parameters: dates and datetimes as the backend adapts them (SQLite
    sends text in the connection's time zone), ints and strs as they are."""
    if kind is dt.datetime:
        return connection.ops.adapt_datetimefield_value
    if kind is dt.date:
        return connection.ops.adapt_datefield_value
    return None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # the constants, with the stand-ins' places filled per call
    # (position in params, argument, item of a list argument, the backend's adaptation of a date or datetime)
    slots: tuple[tuple[int, int, int | None, Callable[[object], object] | None], ...]
    compiler: object
    names: tuple[str, ...]


class Prepared:
    """`Prepared(Model, build)(*args)`: the rows (dicts) of `build(*args)`, a `values()` queryset of Model, whose
    arguments are each an int, str, date or aware datetime, or a list of them (a list's length and its items'
    kinds are part of the query's shape)."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]):
        self.model = model
        self.build = build
        self._key = f"_peaceops_prepared_{next(_prepared_numbers)}"

    def alias(self) -> str:
        """The database the rows are read from."""
        return router.db_for_read(self.model)

    def __call__(self, *args) -> list[dict]:
        args = tuple(list(dict.fromkeys(a)) if isinstance(a, (list, tuple, set, frozenset)) else a for a in args)
        if any(a is None or (isinstance(a, list) and not a) for a in args):
            return list(self.build(*args))  # NULL and empty IN lists compile differently: no shape to keep
        if any(isinstance(a, list) and len(a) > MAX_LIST for a in args):
            return list(self.build(*args))
        if not all(_cacheable(v) for a in args for v in (a if isinstance(a, list) else (a,))):
            return list(self.build(*args))
        # A list is padded to a power of two by repeating its last value (IN (…, 7, 7) reads what IN (…, 7) does),
        # so a query has a handful of shapes, not one per length.
        args = tuple(a + a[-1:] * (_bucket(len(a)) - len(a)) if isinstance(a, list) else a for a in args)
        alias = self.alias()
        connection = connections[alias]
        cache = connection.__dict__.setdefault(self._key, {})  # one DatabaseWrapper per thread: no sharing
        shape = tuple((len(a), *map(type, a)) if isinstance(a, list) else type(a) for a in args)
        if shape not in cache:
            cache[shape] = self._compile(alias, args)
        compiled = cache[shape]
        if compiled is None:
            return list(self.build(*args).using(alias))
        params = list(compiled.params)
        for position, argument, item, adapt in compiled.slots:
            value = args[argument] if item is None else args[argument][item]
            params[position] = value if adapt is None else adapt(value)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = [row[:compiler.col_count] for row in rows]
        names = compiled.names
        return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[rows])]

    def _compile(self, alias: str, args: Sequence) -> _Compiled | None:
        stand_ins = [[_stand_in(type(v)) for v in a] if isinstance(a, list) else _stand_in(type(a)) for a in args]
        queryset = self.build(*stand_ins).using(alias)
        if queryset._iterable_class is not ValuesIterable:
            return None
        query = queryset.query
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        # Each stand-in as it should reach the parameters: a date or datetime as the backend adapts it. A lookup
        # that does anything else with it (a DateField given a datetime, `__icontains`) leaves no match: not cached.
        connection = connections[alias]
        where: dict = {}
        for n, a in enumerate(stand_ins):
            for i, v in enumerate(a) if isinstance(a, list) else [(None, a)]:
                adapt = _adapter(connection, type(v))
                where[v if adapt is None else adapt(v)] = (n, i, adapt)
        slots, found = [], set()
        for position, value in enumerate(params):
            if isinstance(value, bool) or not isinstance(value, (int, str, dt.date)) or value not in where:
                continue
            if value in found:
                return None
            found.add(value)
            slots.append((position, *where[value]))
        if len(found) != len(where):
            return None  # a stand-in was transformed or dropped on the way into the SQL
        names = (list(query.selected) if query.selected else
                 [*query.extra_select, *query.values_select, *query.annotation_select])
        return _Compiled(sql, tuple(params), tuple(slots), compiler, tuple(names))
