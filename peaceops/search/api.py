"""`?q=` on API lists of name-bearing records: the same search as the web pages' search boxes.

A viewset opts in with `name_search = (scope, field)` or a callable (queryset, query) -> queryset."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.filters import BaseFilterBackend

from peaceops.search.services import search


class NameSearchFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        how = getattr(view, "name_search", None)
        query = request.query_params.get("q", "").strip()
        if how is None or not query:
            return queryset
        if callable(how):
            return how(queryset, query)
        scope, field = how
        return search(queryset, scope, query, field=field)

    def get_schema_operation_parameters(self, view):
        if getattr(view, "name_search", None) is None:
            return []
        return [{"name": "q", "required": False, "in": "query", "schema": {"type": "string"},
                 "description": str(_("A name in any script or spelling (Armenian, Cyrillic, Latin); "
                                      "best matches first."))}]
