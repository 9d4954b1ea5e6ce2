"""Name search: keep the key index in step with the names, and find records by a name typed in any script.

Every search box that takes a name (people, cases, households, tracing, party lists, the API's `?q=`) calls
`search()`; nothing else in PeaceOps filters names with `icontains`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce
from operator import add, and_
from typing import Any, NamedTuple

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from peaceops.search.keys import after_prefix, name_keys, query_terms
from peaceops.search.models import NameKey

PERSON, LIST_ENTRY, TRACING = "person", "list_entry", "tracing"
_CHUNK = 5000


# --- keeping the index ------------------------------------------------------------------------------------


def _drop(scope: str, record_ids: list[int] | None = None) -> None:
    # A raw delete: the audit chain's global delete receivers would otherwise make Django load and signal every
    # key row, and key rows are a cache that the chain never records.
    rows = NameKey.objects.filter(scope=scope)
    if record_ids is not None:
        rows = rows.filter(record_id__in=record_ids)
    rows._raw_delete(NameKey.objects.db)


def index(scope: str, names: Iterable[tuple[int, str]], replace: bool = True) -> int:
    """Write the keys of (record id, name) pairs; with `replace`, the records' old keys go first."""
    from peaceops.returns.fastload import insert_rows

    by_record: dict[int, set[str]] = {}
    for record_id, name in names:
        by_record.setdefault(record_id, set()).update(name_keys(name))
    if replace:
        ids = list(by_record)
        for start in range(0, len(ids), _CHUNK):
            _drop(scope, ids[start:start + _CHUNK])
    return insert_rows(NameKey, ["scope", "key", "record_id"],
                       ((scope, key, record_id) for record_id, keys in by_record.items() for key in sorted(keys)))


def index_persons(person_ids: Iterable[int]) -> int:
    """Re-key persons from all their names (a person is found by any name any source wrote)."""
    from peaceops.core.models import PersonName

    ids = list(set(person_ids))
    total = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        names = PersonName.objects.filter(person_id__in=chunk).values_list("person_id", "full_name")
        _drop(PERSON, chunk)
        total += index(PERSON, names, replace=False)
    return total


def rebuild(scope: str | None = None) -> dict[str, int]:
    """Rebuild the whole index (or one scope) from the names: the backfill for existing rows."""
    from peaceops.core.models import PersonName
    from peaceops.exchanges.models import PartyListEntry, TracingRequest

    sources = {
        PERSON: PersonName.objects.values_list("person_id", "full_name"),
        LIST_ENTRY: PartyListEntry.objects.values_list("pk", "full_name"),
        TRACING: TracingRequest.objects.values_list("pk", "sought_name"),
    }
    written = {}
    for name, rows in sources.items():
        if scope and name != scope:
            continue
        _drop(name)
        written[name] = index(name, rows.order_by().iterator(chunk_size=_CHUNK), replace=False)
    return written


# --- searching --------------------------------------------------------------------------------------------


def _keys(scope: str) -> QuerySet:
    return NameKey.objects.filter(scope=scope)


def _term_condition(term) -> Q:
    found = Q(key__gte=term.form, key__lt=after_prefix(term.form)) if term.prefix else Q(key=term.form)
    if term.skeleton:
        found |= (Q(key__gte=term.skeleton, key__lt=after_prefix(term.skeleton)) if term.skeleton_prefix
                  else Q(key=term.skeleton))
    return found


def _by_selectivity(terms: list) -> list:
    # The longest typed form first: surnames are longer and rarer than given names ("Gnuni" before "Anna"),
    # and a short unfinished part ("Ov") is the least selective of all.
    return sorted(terms, key=lambda t: (len(t.form) - (2 if t.prefix else 0)), reverse=True)


def search(queryset: QuerySet, scope: str, query: str, field: str = "pk", also: Q | None = None,
           via: Callable[[QuerySet], Q] | None = None, rank: bool = True) -> QuerySet:
    """`queryset` narrowed to records whose name matches `query` in any script, best first: a part typed in
    the stored spelling ranks above one matched by sound.

    `field` holds the id of the record keyed under `scope` (a case's `person_id`); `via`, when given, turns one
    subquery of keyed ids into the condition instead (a household found by any member). `also` is another
    condition that finds a record as well (a reference, a UUID prefix)."""
    terms = _by_selectivity(query_terms(query))
    if not terms:
        return queryset.filter(also) if also is not None else queryset
    if via is not None:
        by_name = reduce(and_, [via(_keys(scope).filter(_term_condition(t)).values("record_id")) for t in terms])
    else:
        # The most selective part gives the id list; every other part is checked on those ids only (an index
        # probe each), so a common given name never has its thousands of bearers listed.
        first, *others = terms
        by_name = reduce(and_, [Q(**{f"{field}__in": _keys(scope).filter(_term_condition(first)).values("record_id")}),
                                *[Q(Exists(_keys(scope).filter(_term_condition(t), record_id=OuterRef(field))))
                                  for t in others]])
    matched = queryset.filter(by_name | also if also is not None else by_name)
    if not rank:
        return matched
    exact = [Exists(_keys(scope).filter(key=term.form, record_id=OuterRef(field))) for term in terms]
    score = reduce(add, [Case(When(e, then=Value(2)), default=Value(1), output_field=IntegerField())
                                        for e in exact])
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering or ["-pk"])
    if not any(isinstance(o, str) and o.lstrip("-") in ("pk", queryset.model._meta.pk.name) for o in ordering):
        # A total order: records tied on the page's order (a birth year) keep one order however the page is read
        # (in full, or narrowed to the keys' matches by `paging.NamePaginator`); else PostgreSQL may return them
        # in another order from one plan to the next, and a record could show on two pages or none.
        ordering.append("pk")
    ranked = matched.annotate(name_rank=score).order_by("-name_rank", *ordering)
    # What `paging.NamePaginator` needs to page from the keys (Query.clone() copies it along): the query as
    # returned here, and the same ranking without the name condition, to read the rows of records already known
    # to match.
    unnamed = queryset.annotate(name_rank=score).order_by("-name_rank", *ordering)
    ranked.query.name_search = NameSearch(scope, terms, ranked.query.clone(), unnamed,  # type: ignore[attr-defined]
                                          field, via, also is not None)
    return ranked


class NameSearch(NamedTuple):
    scope: str
    terms: list
    query: object  # the search's Query when search() returned it
    unnamed: QuerySet  # the same records ranked the same, without the name condition
    field: str = "pk"  # the field holding the keyed record's id
    via: Callable[[Any], Q] | None = None  # keyed ids (a subquery or a list) -> the condition on the records
    also: bool = False  # another condition finds records too (not from the keys)


def _sql_condition(term, alias: str) -> tuple[str, list]:
    parts, params = [], []
    for key, prefix in ((term.form, term.prefix), (term.skeleton, term.skeleton_prefix)):
        if not key:
            continue
        if prefix:
            parts.append(f"({alias}.key >= %s AND {alias}.key < %s)")
            params += [key, after_prefix(key)]
        else:
            parts.append(f"{alias}.key = %s")
            params.append(key)
    return " OR ".join(parts), params


def ranked_ids(scope: str, terms: list, descending: bool, limit: int, using: str = "default",
               within: QuerySet | None = None) -> list[int]:
    """Ids of the records matching `terms`, in the order `search()` ranks them when its queryset is ordered by
    id (exact forms first, then by id), the first `limit` only, from the key index alone: one index-only range
    per condition of the most selective part (UNION ALL: an OR would read the table's pages too), the other
    parts probed on those ids, the rank from each part's exact-form id list. `using`: the database the page's
    own query reads (a replica, say), so the ids and the rows come from one place. `within`: a queryset of
    the only record ids to rank (`values("pk")` of the records a role may see): a condition of the same statement,
    so that the first `limit` ids are all the page's."""
    from django.db import connections

    connection = connections[using]
    table = connection.ops.quote_name(NameKey._meta.db_table)
    first, *others = _by_selectivity(terms)
    branches, params = [], []
    for key, prefix in ((first.form, first.prefix), (first.skeleton, first.skeleton_prefix)):
        if not key:
            continue
        branches.append(f"SELECT record_id FROM {table} WHERE scope = %s AND "
                        + ("key >= %s AND key < %s" if prefix else "key = %s"))
        params += [scope, key, after_prefix(key)] if prefix else [scope, key]
    rank_sql, rank_params = [], []
    for term in terms:
        rank_sql.append(f"CASE WHEN k.record_id IN (SELECT record_id FROM {table} WHERE scope = %s AND key = %s) "
                        "THEN 2 ELSE 1 END")
        rank_params += [scope, term.form]
    where, where_params = [], []
    if within is not None:
        within_sql, within_params = within.query.get_compiler(using=using).as_sql()
        where.append(f"k.record_id IN ({within_sql})")
        where_params += list(within_params)
    for term in others:
        condition, condition_params = _sql_condition(term, "o")
        where.append(f"EXISTS (SELECT 1 FROM {table} o WHERE o.scope = %s AND o.record_id = k.record_id "
                     f"AND ({condition}))")
        where_params += [scope, *condition_params]
    sql = (f"SELECT k.record_id, {' + '.join(rank_sql)} AS name_rank FROM ("
           + " UNION ALL ".join(branches) + ") k"
           + (" WHERE " + " AND ".join(where) if where else "")
           + f" GROUP BY k.record_id ORDER BY name_rank DESC, k.record_id {'DESC' if descending else 'ASC'} LIMIT %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, rank_params + params + where_params + [limit])
        return [row[0] for row in cursor.fetchall()]
