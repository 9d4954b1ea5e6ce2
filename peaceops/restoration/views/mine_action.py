"""Mine action pages: daily totals, hazardous areas, clearance tasks and daily reports."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core import mission, versioning
from peaceops.core.params import check_span, date_param
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.restoration.forms import ClearanceReportForm, ClearanceTaskForm, HazardousAreaForm
from peaceops.restoration.models import (
    ClearanceReport,
    ClearanceTask,
    HazardousArea,
    HazardStatus,
    OrdnanceType,
)
from peaceops.restoration.services import mine_action
from peaceops.restoration.views import form_errors


@require("restoration.view")
def overview(request):
    reports = ClearanceReport.objects.visible_to(request.user)
    latest = reports.aggregate(day=Max("date"))["day"] or dt.date.today()
    day = date_param(request, "date", latest)
    # ?from= lists every report from that day on (the sitrep's "since the ceasefire" figures link so).
    first = min(date_param(request, "from", day), day)
    check_span(first, day, "from/date")
    today = mine_action.totals(day, day, reports)
    cumulative = mine_action.totals(mission.ceasefire_start(), day, reports)
    labels = dict(OrdnanceType.choices)
    by_type = [(labels.get(k, k), today.by_type.get(k, (0, 0)), cumulative.by_type[k])
               for k in cumulative.by_type]
    return render(request, "restoration/mine_action.html", {
        "day": day, "today": today, "cumulative": cumulative, "by_type": by_type,
        "areas": HazardousArea.objects.visible_to(request.user).select_related("place"),
        "tasks": ClearanceTask.objects.visible_to(request.user).select_related("organisation", "hazardous_area"),
        "first": first, "reports": reports.filter(date__gte=first, date__lte=day).order_by("date", "id")
        .select_related("task").prefetch_related("ordnance"),
        "can_edit": can(request.user, "restoration.edit"),
    })


def _edit(request, form, save, title: str):
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with versioning.expecting(form.instance, form.seen_revision):
                save(form.save(commit=False))
        except versioning.StaleRecord as exc:
            versioning.keep_input(form, exc)
            status = 409
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("restoration:mine_action")
    return render(request, "restoration/form.html", {"form": form, "title": title}, status=status)


@require("restoration.view", "restoration.edit", writer_only=True)
def area_edit(request, pk: int | None = None):
    area = get_visible_or_404(HazardousArea.objects, request.user, pk=pk) if pk else None
    form = HazardousAreaForm(request.POST or None, instance=area)
    return _edit(request, form, mine_action.save_hazardous_area, str(area) if area else _("New hazardous area"))


@require("restoration.view", "restoration.edit", writer_only=True)
def task_edit(request, pk: int | None = None):
    task = get_visible_or_404(ClearanceTask.objects, request.user, pk=pk) if pk else None
    form = ClearanceTaskForm(request.POST or None, instance=task)
    return _edit(request, form, mine_action.save_task, str(task) if task else _("New clearance task"))


@require("restoration.view", "restoration.edit", writer_only=True)
def report_new(request):
    form = ClearanceReportForm(request.POST or None, initial={"task": request.GET.get("task")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = mine_action.record_daily_report(
                data["task"], data["date"], mine_action.to_m2(data["area"], data["unit"]), data["road_km"],
                form.ordnance(), data["notes"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Daily report recorded."))
            return redirect(reverse("restoration:mine_action") + f"?date={report.date.isoformat()}")
    return render(request, "restoration/clearance_report_form.html", {"form": form})


STATUS_COLOURS = {HazardStatus.SUSPECTED: "#c77c00", HazardStatus.CONFIRMED: "#b00020",
                  HazardStatus.CLEARED: "#2e7d32", HazardStatus.CANCELLED: "#6b7280"}


@require("restoration.view")
def areas_geojson(request):
    features = []
    for area in HazardousArea.objects.visible_to(request.user).exclude(status=HazardStatus.CANCELLED):
        features.append({
            "type": "Feature", "geometry": area.geometry,
            "properties": {"name": f"{area.code} {area.name}", "color": STATUS_COLOURS.get(area.status),
                           "summary": f"{area.get_status_display()} · {area.get_hazard_display()}",
                           "url": reverse("restoration:mine_action")},
        })
    return JsonResponse({"type": "FeatureCollection", "features": features})
