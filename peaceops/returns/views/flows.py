"""Flow monitoring pages: a day's flow counts across checkpoints, and one checkpoint's day sheet to enter them
(made for a phone at the checkpoint). Counts carry no names, so no read is audited here."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.operation import operation_day
from peaceops.core.params import date_param
from peaceops.core.permissions import require
from peaceops.core.roles import can
from peaceops.core.text import record_number
from peaceops.returns import services
from peaceops.returns.forms import FlowLineFormSet
from peaceops.returns.models import FlowDirection, FlowPurpose, FlowVehicle
from peaceops.returns.services import flows as flow_services


def _checkpoint(request, value):
    checkpoint = flow_services.checkpoints().filter(pk=record_number(value)).first() if record_number(value) else None
    if checkpoint is None:
        raise Http404
    return checkpoint


@require("returns.view_flows")
def flow_list(request):
    day = date_param(request, "day", operation_day())
    summary = flow_services.flow_summary(day, day)
    week = flow_services.flow_summary(day - dt.timedelta(days=6), day)
    count = services.returned_as_of(day) if can(request.user, "returns.view_live_counts") else None
    counted = {place.pk: (i, o) for place, i, o in summary.by_checkpoint}
    rows = [(place, *counted.get(place.pk, (None, None))) for place in flow_services.checkpoints()]
    return render(request, "returns/flow_list.html", {
        "day": day, "summary": summary, "week": week, "count": count, "rows": rows, "can_record": can(request.user, "returns.record_flows")})


def _initial(checkpoint, day) -> list[dict]:
    sheet = flow_services.day_sheet(checkpoint, day)
    rows = [{"direction": d, "vehicle": v, "purpose": p, "people": n, "vehicles": k}
            for (d, v, p), (n, k) in sorted(sheet.items())]
    # Blank lines to fill: the common ones first (returns coming in by car, departures going out by car).
    common = [(FlowDirection.INCOMING, FlowVehicle.CAR, FlowPurpose.RETURN),
              (FlowDirection.INCOMING, FlowVehicle.BUS, FlowPurpose.RETURN),
              (FlowDirection.OUTGOING, FlowVehicle.CAR, FlowPurpose.DEPARTURE),
              (FlowDirection.OUTGOING, FlowVehicle.CAR, FlowPurpose.VISIT)]
    rows += [{"direction": d, "vehicle": v, "purpose": p} for d, v, p in common if (d, v, p) not in sheet]
    return rows


@require("returns.view_flows", "returns.record_flows")
def flow_sheet(request, checkpoint: int):
    place = _checkpoint(request, checkpoint)
    day = date_param(request, "day", operation_day())
    assert day is not None  # date_param gives the default when the page names no day
    extra = min(record_number(request.GET.get("extra")) or 0, 20)
    initial = _initial(place, day) + [{}] * extra
    formset = FlowLineFormSet(request.POST or None, initial=initial, prefix="line")
    if request.method == "POST":
        if formset.is_valid():
            lines = [services.FlowLine(f.cleaned_data["direction"], f.cleaned_data["vehicle"],
                                       f.cleaned_data["purpose"], f.cleaned_data.get("people") or 0,
                                       f.cleaned_data.get("vehicles") or 0)
                     for f in formset.forms if f.cleaned_data]
            try:
                total = services.record_flow_counts(place, day, lines, user=request.user)
            except ValidationError as exc:
                # Django's own slot for a formset-wide error; it has no public setter (nor a stub).
                formset._non_form_errors = formset.error_class(exc.messages)  # type: ignore[attr-defined]
            else:
                messages.success(request, _("Flow counts saved: %(n)d people at %(checkpoint)s on %(day)s.")
                                 % {"n": total, "checkpoint": place.name, "day": day.isoformat()})
                return redirect(reverse("returns:flow_sheet", args=[place.pk]) + f"?day={day.isoformat()}")
    summary = flow_services.flow_summary(day, day, place)
    return render(request, "returns/flow_sheet.html", {
        "checkpoint": place, "day": day, "formset": formset, "summary": summary,
        "can_record": can(request.user, "returns.record_flows"), "extra": extra + 3,
        "previous_day": day - dt.timedelta(days=1), "next_day": day + dt.timedelta(days=1)})
