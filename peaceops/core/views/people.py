"""Identity records: listed and read only by roles that hold them, and every read is audited."""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from peaceops.core import audit
from peaceops.core.models import Person
from peaceops.core.params import query_string
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.registry import collect

UUID_PREFIX = re.compile(r"[0-9a-fA-F]{4,}[0-9a-fA-F-]*")


def _name_search():
    """The installed name search (`people.NAME_SEARCH` of the search app): the core keeps no name keys itself."""
    found = collect("people", "NAME_SEARCH")
    if len(found) != 1:
        raise ImproperlyConfigured("One installed app must find persons by name (people.NAME_SEARCH); found "
                                   f"{len(found)}.")
    return found[0]


@require("core.view_persons")
def person_list(request):
    query = request.GET.get("q", "").strip()
    persons = Person.objects.visible_to(request.user).current().prefetch_related("names").order_by("-id")
    if query:
        # A UUID prefix is asked of the person table only when the query could be one: it has no index.
        by_uuid = Q(uuid__startswith=query.lower()) if UUID_PREFIX.fullmatch(query) else None
        persons = _name_search()(persons, query, also=by_uuid)
    # A name search pages through the installed search's paginator (`people.NAME_PAGINATOR`): it counts up to a
    # cap and never ranks every bearer of a common name.
    paginator = (collect("people", "NAME_PAGINATOR") or (Paginator,))[0] if query else Paginator
    page = paginator(persons, 50).get_page(request.GET.get("page"))
    audit.record_list_read(request.user, Person, [p.pk for p in page.object_list])
    return render(request, "core/person_list.html", {"page": page, "query": query, "filters": query_string(q=query),
                                                      "keep": [("q", query)] if query else []})


@require("core.view_persons")
def person_detail(request, pk: int):
    person = get_visible_or_404(Person.objects.prefetch_related("names", "documents"), request.user, pk=pk)
    audit.record_read(request.user, person)
    return render(request, "core/person_detail.html", {"person": person})
