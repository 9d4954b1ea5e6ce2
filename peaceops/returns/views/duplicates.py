"""Possible duplicate registrations: run the search, read the reasons, confirm or reject each pair.

Returns officers decide; coordinators read; everyone else gets a 404. The pairs name people, so every list
shown goes to the audit chain."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from peaceops.core import audit
from peaceops.core.models import Person
from peaceops.core.params import choice_param
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.linkage import level_labels
from peaceops.returns.models import DuplicateProposal, DuplicateStatus, HouseholdMember
from peaceops.returns.services import duplicates
from peaceops.returns.tasks import search_duplicates


def _annotate(proposals: list[Any]) -> None:
    """Names as written, birth dates, households and registration dates of both people of each pair, set on each
    proposal as attributes for the template (`sides`, `reasons`)."""
    ids = {p.left_id for p in proposals} | {p.right_id for p in proposals}
    people = Person.objects.prefetch_related("names").in_bulk(list(ids))
    households: dict[int, list[tuple[int, str]]] = {}  # (id, what the officer reads)
    for person_id, household_id, reference in HouseholdMember.objects.filter(person_id__in=ids).order_by(
            "household_id").values_list("person_id", "household_id", "household__reference"):
        households.setdefault(person_id, []).append((household_id, duplicates.household_label(household_id, reference)))
    registered = duplicates.first_registered(ids)
    places = _place_names(proposals)
    for p in proposals:
        p.sides = [{"person": people.get(pk), "names": [n.full_name for n in people[pk].names.all()] if pk in people else [],
                    "households": households.get(pk, []), "registered": registered.get(pk)}
                   for pk in (p.left_id, p.right_id)]
        p.reasons = [{**r, "label": duplicates.FIELD_LABELS.get(r["field"], r["field"]),
                      "level": level_labels.translated(r["level"]),
                      **({"left": places.get(r["left"], r["left"]), "right": places.get(r["right"], r["right"])}
                         if r["field"] == "birth_place" else {})} for r in p.explanation]


def _place_names(proposals: list[Any]) -> dict[str, str]:
    """The birthplace reason holds the gazetteer's key ("place-23", aliases resolved): the place's name instead."""
    return duplicates.place_names(value for p in proposals for r in p.explanation if r["field"] == "birth_place"
                                  for value in (r.get("left"), r.get("right")) if isinstance(value, str))


@require("returns.view", "returns.change")
def duplicate_list(request):
    status = choice_param(request, "status", [*DuplicateStatus.choices, ("all", "all")], DuplicateStatus.PROPOSED)
    proposals = (DuplicateProposal.objects.visible_to(request.user)
                 .select_related("decided_by").order_by("-probability", "id"))
    if status in DuplicateStatus.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _annotate(rows)
    audit.record_list_read(request.user, DuplicateProposal, [p.pk for p in rows])
    return render(request, "returns/duplicate_list.html", {
        "page": page, "rows": rows, "status": status, "statuses": DuplicateStatus.choices,
        "can_edit": can(request.user, "returns.change"), "threshold": duplicates.DEFAULT_THRESHOLD,
        "open_count": DuplicateProposal.objects.visible_to(request.user)
        .filter(status=DuplicateStatus.PROPOSED).count(), "search_running": _running_search(request) is not None})


SEARCH_KEY = "returns-duplicate-search"  # the session remembers the officer's running search


def _running_search(request):
    """The officer's search still queued or running, or None; a finished one is reported once, then forgotten."""
    result_id = request.session.get(SEARCH_KEY)
    if not result_id:
        return None
    try:
        result = search_duplicates.get_result(result_id)
    except TaskResultDoesNotExist:
        del request.session[SEARCH_KEY]
        return None
    if not result.is_finished:
        return result
    del request.session[SEARCH_KEY]
    if result.status == TaskResultStatus.FAILED:
        messages.error(request, _("The duplicate search failed; nothing was stored. Run it again, and tell the "
                                  "administrator if it fails again."))
    elif "error" in result.return_value:
        messages.error(request, result.return_value["error"])
    else:
        messages.success(request, duplicates.SearchResult(**result.return_value).summary())
    return None


@require("returns.view", "returns.change")
@require_POST
def duplicate_search(request):
    """Check the threshold here, so a mistake is said at once; the search itself runs in the background."""
    try:
        threshold = float(request.POST.get("threshold") or duplicates.DEFAULT_THRESHOLD)
    except ValueError:
        threshold = -1.0
    if not 0 < threshold <= 1:
        messages.error(request, _("The threshold is a probability between 0 and 1."))
    elif _running_search(request) is not None:
        messages.info(request, _("Your previous search is still running; its result will show here."))
    else:
        request.session[SEARCH_KEY] = search_duplicates.enqueue(request.user.pk, threshold).id
    return redirect("returns:duplicate_list")


@require("returns.view", "returns.change")
def duplicate_search_status(request):
    """Polled by the list page while a search runs: the same notice, or a full reload once it has finished."""
    if _running_search(request) is None:  # its summary waits in the messages for the reloaded page
        return HttpResponse(headers={"HX-Refresh": "true"})
    return render(request, "returns/_duplicate_search_running.html", {"search_running": True})


@require("returns.view", "returns.change")
@require_POST
def duplicate_decide(request, pk: int, decision: str):
    proposal = get_visible_or_404(DuplicateProposal.objects.all(), request.user, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if decision == "confirm":
            survivor = duplicates.confirm(proposal, request.user, reason)
            messages.success(request, _("Confirmed: the two registrations are now one person (record %(pk)d kept).")
                             % {"pk": survivor.pk})
        elif decision == "reject":
            duplicates.reject(proposal, request.user, reason)
            messages.success(request, _("Rejected: the two registrations stay separate people."))
        elif decision == "reopen":
            duplicates.reopen(proposal, request.user, reason)
            messages.success(request, _("Reopened: the pair awaits a decision again; a merge it made is undone."))
        else:
            messages.error(request, _("Unknown decision."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("returns:duplicate_list")
