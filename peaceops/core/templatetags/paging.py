"""`{% page_filters as kept %}`: the filters a paged list keeps on every page link, for `core/_pagination.html`.

A view may name them (`filters`, a query string, and `keep`, the (name, value) pairs of the page-number form);
otherwise they are the request's own parameters less `page`, so every list that includes the paging keeps its
filters without passing them."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_filters(context) -> dict:
    filters, keep = context.get("filters"), context.get("keep")
    if filters is None or keep is None:
        request = context.get("request")
        pairs = [(name, value) for name, values in (request.GET.lists() if request else [])
                 if name != "page" for value in values if value.strip()]
        filters = urlencode(pairs) if filters is None else filters
        keep = pairs if keep is None else keep
    return {"query": f"{filters}&" if filters else "", "keep": keep}
