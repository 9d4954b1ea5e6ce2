"""Pages of a name search that never rank or count every match of a common name (issue 15, item 5's speed).

A surname shared by thousands, or five letters of one, used to make the people page rank and count every
match: thousands of person rows read for a page of 50. `NamePaginator` takes the ranking from the key index
alone (`services.ranked_ids`: exact forms first, then by id), reads only the persons of the first `CAP + 1`
ranked ids, and counts exactly up to `CAP`: beyond it the page says "more than CAP" (`more`). The results and
their order are those of `services.search()`: the ids only narrow which rows the database reads, and whenever
the narrowed rows could differ from the full query's (too many of them filtered out by visibility or state),
the paginator ranks again from the keys within the records the page may show (`within`: visibility, state),
and runs the full query only when that cannot be expressed.

A search in another order (households by vulnerability and date, cases by newest) or keyed through another field
or relation (a case's person, a household's members) pages the same way in `set` mode: the key index gives the
matching persons, at most `CAP + 1`; when they are all there are, the page's own query (every filter and its
order) is read restricted to the records of those persons — the same rows in the same order, counted exactly.
Beyond `CAP` the page lists the matches among the first `CAP + 1` persons ranked from the keys (exact forms
first) in its own order and says that more match (`more`): type more of the name. Through a relation (a
household found by any member) the page lists the records of the people who bear every part typed — a household
whose head is Aram Sargsyan for "Aram Sargsyan", not one where an Aram and a Sargsyan are two members, which the
full query (`search(via=...)`) would also find — read by id without the name condition, whose subquery through
the relation made PostgreSQL read every membership row (0.3–0.5 s at 1,000,000 people)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q

from peaceops.search.services import ranked_ids

CAP = 1000  # matches counted exactly; "more than 1,000" beyond, when the officer should type more of the name


class NamePaginator(Paginator):
    cap = CAP

    def __init__(self, object_list, per_page, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._search: Any = getattr(getattr(object_list, "query", None), "name_search", None)
        self.object_list: Any = object_list  # a QuerySet whenever `_mode` is set
        self._mode = self._keyed(object_list)

    def _keyed(self, queryset) -> str | None:
        """"ids" when the queryset is a name search as `search()` returned it, ordered by rank then id (ranked
        from the keys alone); "set" for any other name search without an `also` condition (paged through the
        records of the matching persons); else None (paged in full, as by Django's Paginator)."""
        found = self._search
        if found is None:
            return None
        if found.also:
            return None
        order = list(queryset.query.order_by)
        pk = queryset.model._meta.pk.name
        as_searched = self._as_searched = str(queryset.query) == str(found.query)
        if (found.via is None and found.field in ("pk", pk) and len(order) == 2 and order[0] == "-name_rank"
                and order[1].lstrip("-") in ("pk", pk) and as_searched):
            return "ids"
        # Through a relation the records are read without the name condition (its subquery through the relation
        # would make the database read the whole relation): only as searched, never filtered further after.
        return "set" if found.via is None or as_searched else None

    # --- "ids": ranked from the key index, rows read by id ------------------------------------------------

    def _rank(self, within=None) -> list[int]:
        found = self._search
        descending = list(self.object_list.query.order_by)[1].startswith("-")
        return ranked_ids(found.scope, found.terms, descending, self.cap + 1, using=found.unnamed.db,
                          within=within)

    @cached_property
    def _ids(self) -> list[int]:
        ids = self._rank()
        if len(ids) > self.cap and self._read(ids).count() < self.cap + 1:
            # Many of the first ranked ids are not the page's (another role's persons, merged or withdrawn
            # records): rank again within the records the page may show (one subquery of the key probe), instead
            # of the full query.
            return self._rank(self._search.unnamed.order_by().values("pk"))
        return ids

    def _prefetched_like_the_page(self, queryset):
        # A narrowed query is built from the search's unnamed query; the page's prefetches (members, names)
        # must follow it, or each row would fetch its own.
        lookups = self.object_list._prefetch_related_lookups  # noqa: SLF001 - Django keeps no public getter
        return queryset.prefetch_related(*lookups) if lookups else queryset

    def _read(self, ids):
        # The ids match already: the rows are read by id, without the name condition (whose id list the
        # database would otherwise build again, thousands long for a common name).
        return self._prefetched_like_the_page(self._search.unnamed.filter(pk__in=ids))

    # --- "set": the page's own query restricted to the records of the matching persons -----------------------

    @cached_property
    def _persons(self) -> tuple[list[int], bool]:
        """The matching persons (keyed ids) the page's records are restricted to, and whether they are all the
        matches: every one when they are at most `cap`, else the first `cap + 1` ranked from the keys."""
        found = self._search
        using = self.object_list.db
        if found.via is None:
            # Ranked within the persons the page's records name (the persons with a case, among a million): the
            # cap counts those, not every bearer of the name.
            within = found.unnamed.order_by().values(found.field)
            ids = ranked_ids(found.scope, found.terms, False, self.cap + 1, using=using, within=within)
            return ids, len(ids) <= self.cap
        # Through a relation (a household's members): the records of the people who bear every part typed.
        ids = ranked_ids(found.scope, found.terms, False, self.cap + 1, using=using)
        return ids, len(ids) <= self.cap

    @cached_property
    def _records(self):
        found = self._search
        persons = self._persons[0]
        if found.via is None:
            restriction = Q(**{f"{found.field}__in": persons})
            if self._as_searched:  # read by the keyed field, without the name condition
                return self._prefetched_like_the_page(found.unnamed.filter(restriction))
        else:
            # The records of those persons, one index-friendly query per branch of the relation (an OR of
            # subqueries in one statement would make the database read every record).
            condition = found.via(persons)
            branches = condition.children if condition.connector == Q.OR and not condition.negated else [condition]
            model = self.object_list.model
            records: set[int] = set()
            for branch in branches:
                records.update(model._base_manager.using(self.object_list.db).filter(
                    branch if isinstance(branch, Q) else Q(branch)).values_list("pk", flat=True))
            return self._prefetched_like_the_page(self._search.unnamed.filter(pk__in=sorted(records)))
        return self.object_list.filter(restriction)

    # --- both ---------------------------------------------------------------------------------------------

    @cached_property
    def _narrowed(self):
        return self._read(self._ids) if self._mode == "ids" else self._records

    @cached_property
    def _narrowed_count(self) -> int:
        return self._narrowed.count()

    @cached_property
    def _exact(self) -> bool:
        """The narrowed rows are the whole result (every match was among the ids)."""
        return len(self._ids) <= self.cap if self._mode == "ids" else self._persons[1]

    @cached_property
    def more(self) -> bool:
        """More records match than the list shows: `count` says at most `cap`."""
        if self._mode is None or self._exact:
            return False
        if self._mode == "set":
            return True
        if self._narrowed_count > self.cap:
            return True
        full: Any = self.object_list  # a QuerySet: `_mode` is set
        return full[self.cap:self.cap + 1].exists()  # many filtered out even within: ask the full query

    @cached_property
    def count(self) -> int:
        if self._mode is None:
            return super().count
        if self._mode == "set":
            return self._narrowed_count if self._exact else min(self._narrowed_count, self.cap)
        if self.more:
            return self.cap
        if self._exact:
            return self._narrowed_count
        full: Any = self.object_list
        return full.count()

    def page(self, number):
        if self._mode is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        # Past the last id read, or too many of them filtered out: the full query, same rows and order.
        source = (self._narrowed if self._mode == "set" or self._exact or self._narrowed_count >= top
                  else self.object_list)
        return self._get_page(source[bottom:top], number, self)
