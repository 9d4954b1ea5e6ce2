"""Pages of a name search that never rank or count every match of a common name (issue 15, item 5's speed).

A surname shared by thousands, or five letters of one, used to make the people page rank and count every
match: thousands of person rows read for a page of 50. `NamePaginator` takes the ranking from the key index
alone (`services.ranked_ids`: exact forms first, then by id), reads only the persons of the first `CAP + 1`
ranked ids, and counts exactly up to `CAP`: beyond it the page says "more than CAP" (`more`). The results and
their order are those of `services.search()`: the ids only narrow which rows the database reads, and whenever
the narrowed rows could differ from the full query's (too many of them filtered out by visibility or state),
the paginator runs the full query instead."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

from peaceops.search.services import ranked_ids

CAP = 1000  # matches counted exactly; "more than 1,000" beyond, when the officer should type more of the name


class NamePaginator(Paginator):
    cap = CAP

    def __init__(self, object_list, per_page, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._plan = self._keyed(object_list)

    def _keyed(self, queryset):
        """(scope, terms, descending, unnamed) when the queryset is a name search as `search()` returned it,
        ordered by rank then id; else None (paged in full, as by Django's Paginator)."""
        name_search = getattr(getattr(queryset, "query", None), "name_search", None)
        if name_search is None:
            return None
        order = list(queryset.query.order_by)
        pk = queryset.model._meta.pk.name
        if len(order) != 2 or order[0] != "-name_rank" or order[1].lstrip("-") not in ("pk", pk):
            return None
        if str(queryset.query) != str(name_search.query):  # filtered further after the search
            return None
        return name_search.scope, name_search.terms, order[1].startswith("-"), name_search.unnamed

    @cached_property
    def _ids(self) -> list[int]:
        scope, terms, descending, _unnamed = self._plan
        return ranked_ids(scope, terms, descending, self.cap + 1, using=self._plan[3].db)

    @cached_property
    def _narrowed(self):
        # The ids match already: the rows are read by id, without the name condition (whose id list the
        # database would otherwise build again, thousands long for a common name).
        narrowed = self._plan[3].filter(pk__in=self._ids)
        narrowed._prefetch_related_lookups = self.object_list._prefetch_related_lookups
        return narrowed

    @cached_property
    def _narrowed_count(self) -> int:
        return self._narrowed.count()

    @cached_property
    def _exact(self) -> bool:
        """The narrowed rows are the whole result (every match was among the ids)."""
        return len(self._ids) <= self.cap

    @cached_property
    def more(self) -> bool:
        """More than `cap` records match: `count` says `cap`."""
        if self._plan is None:
            return False
        if self._exact:
            return False
        if self._narrowed_count > self.cap:
            return True
        full: Any = self.object_list  # a QuerySet: `_plan` is set
        return full[self.cap:self.cap + 1].exists()  # many filtered out: ask the full query

    @cached_property
    def count(self) -> int:
        if self._plan is None:
            return super().count
        if self.more:
            return self.cap
        if self._exact:
            return self._narrowed_count
        full: Any = self.object_list
        return full.count()

    def page(self, number):
        if self._plan is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        # Past the last id read, or too many of them filtered out: the full query, same rows and order.
        source = self._narrowed if self._exact or self._narrowed_count >= top else self.object_list
        return self._get_page(source[bottom:top], number, self)
