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

from django.core.paginator import Paginator

from peaceops.search.services import ranked_ids

CAP = 1000  # matches counted exactly; "more than 1,000" beyond, when the officer should type more of the name


class NamePaginator(Paginator):
    cap = CAP

    def __init__(self, object_list, per_page, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._plan = self._keyed(object_list)

    def _keyed(self, queryset):
        """(scope, terms, descending) when the queryset is a name search ordered by rank then id, else None."""
        name_search = getattr(getattr(queryset, "query", None), "name_search", None)
        if name_search is None:
            return None
        order = list(queryset.query.order_by)
        pk = queryset.model._meta.pk.name
        if len(order) != 2 or order[0] != "-name_rank" or order[1].lstrip("-") not in ("pk", pk):
            return None
        scope, terms = name_search
        return scope, terms, order[1].startswith("-")

    @cached_property
    def _ids(self) -> list[int]:
        scope, terms, descending = self._plan
        return ranked_ids(scope, terms, descending, self.cap + 1)

    @cached_property
    def _narrowed(self):
        return self.object_list.filter(pk__in=self._ids)

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
        return self.object_list[self.cap:self.cap + 1].exists()  # many filtered out: ask the full query

    @cached_property
    def count(self) -> int:
        if self._plan is None:
            return super().count
        if self.more:
            return self.cap
        if self._exact:
            return self._narrowed_count
        return self.object_list.count()

    def page(self, number):
        if self._plan is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        # Past the last id read, or too many of them filtered out: the full query, same rows and order.
        source = self._narrowed if self._exact or self._narrowed_count >= top else self.object_list
        return self._get_page(source[bottom:top], number, self)
