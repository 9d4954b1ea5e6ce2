"""The API's filter backends. django-filter's backend, without building a filter set for a request that names none of its filters.

Building one deep-copies every declared filter (with their querysets) and validates a form, about a sixth of a
list page's CPU after the list rows (peaceops.api.rows); with no filter parameter in the query it filters
nothing, so the queryset is returned as it is."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        fields = getattr(view, "filterset_fields", None)
        plain = isinstance(fields, (list, tuple)) and getattr(view, "filterset_class", None) is None
        # A list of field names gives filters of exactly those names (an exact lookup each).
        if plain and not any(name in request.query_params for name in fields):
            return queryset
        return super().filter_queryset(request, queryset, view)


class OrderingFilter(filters.OrderingFilter):
    """DRF's ?ordering=, with the record's id as the last key: records sharing the named fields (incidents with one
    start time) keep one order across pages on PostgreSQL, which otherwise returns ties in any order. The id runs
    in the direction of the last field named (newest first stays newest first)."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        ordering = list(ordering)
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            ordering.append("-id" if ordering[-1].startswith("-") else "id")
        return ordering
