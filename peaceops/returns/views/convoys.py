"""Convoy planning and the convoy run screen (manifest, cargo, dispatch, checkpoints, arrival, turning back)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceops.core import audit, versioning
from peaceops.core.models import PersonName
from peaceops.core.params import choice_param, date_param, query_string
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.reporting import ReportingPeriod
from peaceops.core.roles import can
from peaceops.core.text import record_number
from peaceops.returns import services
from peaceops.returns.forms import CargoForm, PassageForm, PlanForm, ResolveHeadcountForm, TimeForm
from peaceops.returns.models import (
    Convoy,
    ConvoyStatus,
    Household,
    HouseholdMember,
    HouseholdState,
    ManifestEntry,
    SeatNeed,
    Vulnerability,
)
from peaceops.returns.models.households import needs_labels
from peaceops.returns.services.convoys import (
    arrived_in,
    capacity_left,
    carried,
    next_checkpoint,
    unresolved_passages,
)
from peaceops.returns.services.planning import reason_text


@require("returns.view")
def convoy_list(request):
    convoys = Convoy.objects.visible_to(request.user).select_related("corridor").order_by("-date", "-id")
    status = choice_param(request, "status", ConvoyStatus)
    if status:
        convoys = convoys.filter(status=status)
    arrived, people, cargo = date_param(request, "arrived"), None, None
    if arrived:  # where the sitrep's convoy figures link: the convoys that arrived in that reporting day
        convoys = convoys.filter(arrived_in(ReportingPeriod.ending_on(arrived)))
        people, cargo = carried(convoys)
    page = Paginator(convoys, 50).get_page(request.GET.get("page"))
    filters = query_string(status=status, arrived=arrived)
    return render(request, "returns/convoy_list.html", {
        "page": page, "status": status, "arrived": arrived, "people": people, "cargo": cargo, "filters": filters,
        "can_edit": can(request.user, "returns.change")})


@require("returns.view", "returns.change", writer_only=True)
def convoy_plan(request):
    form = PlanForm(request.POST or None)
    form.fields["corridor"].queryset = form.fields["corridor"].queryset.visible_to(request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.plan_convoy(data["corridor"], data["date"], data["buses"], escort=data["escort"],
                                          user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Convoy planned: %(people)d people on %(buses)d buses (%(seats)d seats).")
                             % {"people": result.people, "buses": len(data["buses"]), "seats": result.seats})
            request.session[f"unplaceable-{result.convoy.pk}"] = [
                (pk, code, result.whom.get(pk)) for pk, code in result.unplaceable[:500]]
            request.session[f"unplaceable-count-{result.convoy.pk}"] = len(result.unplaceable)
            if result.mixed:
                messages.warning(request, _("Not enough vehicles to keep destinations apart: %(n)d vehicles serve "
                                            "more than one destination.") % {"n": len(result.mixed)})
            return redirect("returns:convoy_detail", pk=result.convoy.pk)
    waiting = Household.objects.visible_to(request.user).filter(state=HouseholdState.WAITING)
    return render(request, "returns/convoy_plan.html", {
        "form": form, "waiting_households": waiting.count(),
        "waiting_vulnerable": waiting.filter(is_vulnerable=True).count(), "needs": _waiting_needs(waiting)})


def _waiting_needs(waiting) -> list[tuple[str, int]]:
    """People waiting with each need and seat need, for the planner to size the vehicles (ambulances, wheelchair
    spaces, child escorts) before planning."""
    counts: dict[str, int] = {}
    for needs, seats in HouseholdMember.objects.filter(household__in=waiting.filter(is_vulnerable=True)).values_list(
            "needs", "seat_needs"):
        for code in [*needs, *seats]:
            counts[code] = counts.get(code, 0) + 1
    labels = {**dict(Vulnerability.choices), **dict(SeatNeed.choices)}
    order = [*SeatNeed.values, *Vulnerability.values]
    return [(str(labels[code]), counts[code]) for code in order if counts.get(code)]


def _manifest_by_vehicle(convoy: Convoy) -> list[dict]:
    """The manifest per vehicle, each person with their needs and carer, and the destinations each vehicle serves."""
    # Entries carry their display fields (name, needs, carer) as attributes for the template.
    entries: list[Any] = list(convoy.manifest.select_related("household__destination").order_by(
        "vehicle_id", "household_id", "id"))
    names = dict(PersonName.objects.filter(person_id__in=[e.person_id for e in entries], is_primary=True)
                 .values_list("person_id", "full_name"))
    needs: dict[tuple[Any, Any], tuple[Any, Any, Any]] = {
        (h, p): (n, s, c) for h, p, n, s, c in HouseholdMember.objects.filter(
            household_id__in={e.household_id for e in entries if e.household_id is not None}).values_list(
            "household_id", "person_id", "needs", "seat_needs", "carer_id")}
    cared_for = {c: p for (_h, p), (_n, _s, c) in needs.items() if c}
    grouped: dict[int | None, list] = defaultdict(list)
    for entry in entries:
        entry.name = names.get(entry.person_id, "")
        own, seats, carer = needs.get((entry.household_id, entry.person_id), ([], [], None))
        entry.needs = needs_labels(own, [s for s in seats if s != SeatNeed.CARER])
        entry.carer_name = (names.get(carer) or f"#{carer}") if carer else ""
        entry.cares_for = (names.get(cared_for[entry.person_id]) or f"#{cared_for[entry.person_id]}"
                           ) if entry.person_id in cared_for else ""
        grouped[entry.vehicle_id].append(entry)
    left = capacity_left(convoy)
    rows = []
    for v in convoy.vehicles.all():
        on = grouped.get(v.pk, [])
        going = sorted({str(e.household.destination) for e in on if e.household_id} or (
            {str(convoy.destination)} if convoy.destination_id and on else set()))
        rows.append({"vehicle": v, "entries": on, "left": left.get(v.pk, [v.seats])[0], "destinations": going,
                     "needs": sum(1 for e in on if e.needs)})
    return rows


@require("returns.view")
def convoy_manifest(request, pk: int):
    """The manifest to print and hand to the drivers and the escort: per vehicle, seat by seat, needs and carers."""
    convoy = get_visible_or_404(Convoy.objects.select_related("corridor"), request.user, pk=pk)
    vehicles = _manifest_by_vehicle(convoy)
    audit.record_list_read(request.user, ManifestEntry, [e.pk for v in vehicles for e in v["entries"]],
                           purpose=f"printed manifest of convoy {convoy.pk}")
    return render(request, "returns/convoy_manifest.html", {
        "convoy": convoy, "vehicles": vehicles, "head_count": sum(len(v["entries"]) for v in vehicles)})


@require("returns.view")
def convoy_detail(request, pk: int):
    convoy = get_visible_or_404(Convoy.objects.select_related("corridor"), request.user, pk=pk)
    vehicles = _manifest_by_vehicle(convoy)
    audit.record_list_read(request.user, ManifestEntry, [e.pk for v in vehicles for e in v["entries"]],
                           purpose=f"manifest of convoy {convoy.pk}")
    unplaceable = request.session.get(f"unplaceable-{convoy.pk}", [])
    waiting = (Household.objects.visible_to(request.user).filter(state=HouseholdState.WAITING)
               .order_by("-is_vulnerable", "registered_on", "id")[:200]) if convoy.status == "planned" else []
    return render(request, "returns/convoy_detail.html", {
        "convoy": convoy, "vehicles": vehicles, "head_count": sum(len(v["entries"]) for v in vehicles),
        "seats": sum(v["vehicle"].seats for v in vehicles), "cargo": convoy.cargo.all(),
        "passages": convoy.passages.select_related("checkpoint__place", "resolved_by"),
        "held": unresolved_passages(convoy), "resolve_form": ResolveHeadcountForm(),
        "checkpoints": convoy.corridor.ordered_checkpoints(), "next_checkpoint": next_checkpoint(convoy),
        "unplaceable": _by_reason(unplaceable),
        "unplaceable_count": request.session.get(f"unplaceable-count-{convoy.pk}", 0), "waiting": waiting,
        "passage_form": PassageForm(initial={"head_count": sum(len(v["entries"]) for v in vehicles)}),
        "time_form": TimeForm(), "cargo_form": CargoForm(), "can_edit": can(request.user, "returns.change")})


def _by_reason(unplaceable: list) -> list[tuple[str, int, list[tuple[int, int | None]]]]:
    """Households the planner could not place, one line per reason (the page listed 50 identical rows above
    the manifest): the reason, how many, and the first few to open, with the person a need concerns."""
    groups: dict[str, list[tuple[int, int | None]]] = {}
    for row in unplaceable:
        pk, code, person = (*row, None)[:3]
        groups.setdefault(code, []).append((pk, person))
    return [(reason_text(code), len(pks), pks[:20]) for code, pks in sorted(groups.items(), key=lambda g: -len(g[1]))]


@require("returns.view", "returns.change")
@require_POST
def convoy_action(request, pk: int, action: str):
    convoy = get_visible_or_404(Convoy.objects.select_related("corridor"), request.user, pk=pk)
    if action not in _ACTIONS:
        raise Http404
    try:
        with versioning.expecting(convoy, versioning.posted_revision(request)):
            done = _ACTIONS[action](request, convoy)
    except KeyError:
        raise Http404 from None
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if done:
            messages.success(request, done)
    return redirect("returns:convoy_detail", pk=convoy.pk)


def _form_or_error(form):
    if not form.is_valid():
        raise ValidationError([f"{form.fields[k].label if k in form.fields else ''}: {' '.join(v)}".lstrip(": ")
                               for k, v in form.errors.items()])
    return form.cleaned_data


def _dispatch(request, convoy):
    services.dispatch(convoy, at=_form_or_error(TimeForm(request.POST))["at"], user=request.user)
    return _("Convoy dispatched.")


def _pass(request, convoy):
    data = _form_or_error(PassageForm(request.POST))
    checkpoint = convoy.corridor.checkpoints.filter(pk=request.POST.get("checkpoint")).first()
    if checkpoint is None:
        raise ValidationError(_("Choose a checkpoint of this corridor."))
    passage = services.pass_checkpoint(convoy, checkpoint, head_count=data["head_count"],
                                       checked_by=data["checked_by"], at=data["at"], user=request.user)
    if passage.discrepancy:
        messages.warning(request, _("%(counted)d counted against %(manifest)d on the manifest: the arrival is held "
                                    "until an officer resolves the difference; the duty officer has been alerted.")
                         % {"counted": passage.head_count, "manifest": passage.manifest_count})
    return _("Passage of %(checkpoint)s recorded.") % {"checkpoint": checkpoint.place.name}


def _arrive(request, convoy):
    new = services.arrive(convoy, at=_form_or_error(TimeForm(request.POST))["at"], user=request.user)
    return _("Arrival recorded: %(n)d people returned for the first time.") % {"n": new}


def _turn_back(request, convoy):
    data = _form_or_error(TimeForm(request.POST))
    services.turn_back(convoy, data["reason"] or "", at=data["at"], user=request.user)
    return _("The convoy turned back; its households are waiting again.")


def _resolve(request, convoy):
    passage = convoy.passages.filter(pk=request.POST.get("passage") or 0).first()
    if passage is None:
        raise ValidationError(_("Choose a checkpoint passage of this convoy."))
    form = ResolveHeadcountForm(request.POST)
    form.fields["absent"].choices = [(pk, pk) for pk in convoy.manifest.values_list("person_id", flat=True)]
    data = _form_or_error(form)
    added = _added_people(request, data["added"])
    services.resolve_headcount(passage, absent=data["absent"], added=added, note=data["note"],
                               miscounted=data["miscounted"], user=request.user)
    return _("Head count difference at %(checkpoint)s resolved.") % {"checkpoint": passage.checkpoint.place.name}


def _added_people(request, text: str) -> list[int]:
    """Household references (every member) or person numbers (#123 or 123), comma-separated, among the
    households this user may see."""
    people: list[int] = []
    visible = Household.objects.visible_to(request.user)
    for token in (t.strip() for t in text.replace(";", ",").split(",")):
        if not token:
            continue
        household = visible.filter(reference=token).first()
        if household is not None:
            people += list(household.members.values_list("person_id", flat=True))
        elif (number := record_number(token.lstrip("#"))) and HouseholdMember.objects.filter(
                household__in=visible, person_id=number).exists():
            people.append(number)
        else:
            raise ValidationError(_("“%(token)s” is neither a household reference nor a registered person's number.")
                                  % {"token": token})
    return people


def _household(request):
    household = Household.objects.visible_to(request.user).filter(pk=request.POST.get("household") or 0).first()
    if household is None:
        raise ValidationError(_("Choose a household."))
    return household


def _add(request, convoy):
    services.add_household_to_convoy(convoy, _household(request))
    return _("Household added to the manifest.")


def _remove(request, convoy):
    services.remove_household_from_convoy(convoy, _household(request))
    return _("Household taken off the manifest.")


def _cargo(request, convoy):
    data = _form_or_error(CargoForm(request.POST))
    services.add_cargo(convoy, data["description"], data["quantity"], data["unit"])
    return _("Cargo added.")


_ACTIONS = {"dispatch": _dispatch, "pass": _pass, "resolve": _resolve, "arrive": _arrive, "turn-back": _turn_back, "add": _add,
            "remove": _remove, "cargo": _cargo}
