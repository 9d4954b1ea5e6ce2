"""The household registry and waiting list. Personal data: list pages and detail reads are audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceops.core import audit
from peaceops.core.params import choice_param
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.returns import services
from peaceops.returns.forms import HouseholdForm, MovementForm
from peaceops.returns.models import Household, HouseholdState
from peaceops.returns.services.households import search_households
from peaceops.search.paging import NamePaginator


@require("returns.view")
def household_list(request):
    # An empty ?state= lists every state; none at all opens on the waiting list.
    state = choice_param(request, "state", HouseholdState) if "state" in request.GET else HouseholdState.WAITING
    households = (Household.objects.visible_to(request.user).select_related("destination")
                  .prefetch_related("head__names").order_by("-is_vulnerable", "registered_on", "id"))
    if state:
        households = households.filter(state=state)
    query = request.GET.get("q", "").strip()
    if query:
        households = search_households(households, query)
    # A name search pages from the key index (search.paging): its matches counted up to a cap, in this page's
    # own order, never every bearer of a common name ranked and counted.
    page = (NamePaginator if query else Paginator)(households, 50).get_page(request.GET.get("page"))
    audit.record_list_read(request.user, Household, [h.pk for h in page.object_list])
    return render(request, "returns/household_list.html", {
        "page": page, "state": state, "states": HouseholdState.choices, "query": query,
        "can_edit": can(request.user, "returns.change")})


@require("returns.view", "returns.change", writer_only=True)
def household_new(request):
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            household = services.register_household(
                data["members"], data["destination"], origin=data["origin"],
                registered_on=data["registered_on"], reference=data["reference"],
                written_by=_("registration form"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Household registered on the waiting list."))
            return redirect("returns:household_detail", pk=household.pk)
    return render(request, "returns/household_form.html", {"form": form})


@require("returns.view")
def household_detail(request, pk: int):
    household = get_visible_or_404(Household.objects.select_related("destination", "origin"), request.user, pk=pk)
    audit.record_read(request.user, household)
    members = household.members.select_related("person").prefetch_related("person__names")
    movements = household.movements.select_related("convoy", "destination", "checkpoint").order_by("arrived_at")[:200]
    return render(request, "returns/household_detail.html", {
        "household": household, "members": members, "movements": movements,
        "movement_form": MovementForm(), "can_edit": can(request.user, "returns.change"),
        "manifests": household.manifest_entries.select_related("convoy").order_by("-convoy__date")
        .values("convoy_id", "convoy__date", "convoy__status").distinct()})


@require("returns.view", "returns.change")
@require_POST
def household_movement(request, pk: int):
    """A self-organised return, a departure or secondary displacement of the household, recorded by hand."""
    household = get_visible_or_404(Household.objects.all(), request.user, pk=pk)
    form = MovementForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {' '.join(str(e) for e in errors)}")
        return redirect("returns:household_detail", pk=household.pk)
    data = form.cleaned_data
    try:
        new = services.record_household_movement(household, data["kind"], at=data["at"],
                                                 destination=data["destination"], checkpoint=data["checkpoint"],
                                                 user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Movement recorded: %(n)d people returned for the first time.") % {"n": new}
                         if data["kind"] == "return" else _("Movement recorded."))
    return redirect("returns:household_detail", pk=household.pk)
