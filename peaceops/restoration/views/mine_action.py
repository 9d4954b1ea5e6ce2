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
from peaceops.core.operation import operation_day
from peaceops.core.params import check_span, date_param
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.restoration.forms import (
    ClearanceReportForm,
    ClearanceTaskForm,
    HandoverForm,
    HazardousAreaForm,
    LandReleaseForm,
    MineAccidentForm,
    QAForm,
    RiskEducationForm,
)
from peaceops.restoration.models import (
    ClearanceReport,
    ClearanceTask,
    HazardousArea,
    HazardStatus,
    LandRelease,
    MineAccident,
    OrdnanceType,
    ReleaseMethod,
    RiskEducationSession,
)
from peaceops.restoration.services import land_release, mine_action
from peaceops.restoration.views import form_errors


@require("restoration.view")
def overview(request):
    reports = ClearanceReport.objects.visible_to(request.user)
    latest = reports.aggregate(day=Max("date"))["day"] or operation_day()
    day = date_param(request, "date", latest)
    # ?from= lists every report from that day on (the sitrep's "since the ceasefire" figures link so).
    first = min(date_param(request, "from", day), day)
    check_span(first, day, "from/date")
    today = mine_action.totals(day, day, reports)
    cumulative = mine_action.totals(mission.ceasefire_start(), day, reports)
    labels = dict(OrdnanceType.choices)
    by_type = [(labels.get(k, k), today.by_type.get(k, (0, 0)), cumulative.by_type[k])
               for k in cumulative.by_type]
    areas = list(HazardousArea.objects.visible_to(request.user).select_related("place"))
    balances = land_release.balances(areas)
    week_first, week_last = land_release.week_ending(day)
    week = land_release.figures(week_first, week_last, *_visible_land_records(request.user))
    since = land_release.figures(mission.ceasefire_start(), day, *_visible_land_records(request.user))
    return render(request, "restoration/mine_action.html", {
        "day": day, "today": today, "cumulative": cumulative, "by_type": by_type,
        "areas": [(a, balances[a.pk]) for a in areas], "week": week, "since": since,
        "land_rows": _land_rows(week, since),
        "tasks": ClearanceTask.objects.visible_to(request.user).select_related("organisation", "hazardous_area"),
        "first": first, "reports": reports.filter(date__gte=first, date__lte=day).order_by("date", "id")
        .select_related("task").prefetch_related("ordnance"),
        "can_edit": can(request.user, "restoration.edit"),
    })


def _visible_land_records(user):
    return (LandRelease.objects.visible_to(user), MineAccident.objects.visible_to(user),
            RiskEducationSession.objects.visible_to(user))


def _land_rows(week, since) -> list[tuple[str, object, object]]:
    """(label, this week, since the ceasefire) for the land-release table of the overview."""
    rows = [(_("Land %(method)s (m²)") % {"method": ReleaseMethod(m).label}, week.by_method[m], since.by_method[m])
            for m in ReleaseMethod.values]
    rows += [(_("Land released in total (m²)"), week.released_m2, since.released_m2),
             (_("Released land handed over (m²)"), week.handed_over_m2, since.handed_over_m2),
             (_("Mine / ERW accidents"), week.accidents, since.accidents),
             (_("Victims killed"), week.killed, since.killed), (_("Victims injured"), week.injured, since.injured),
             (_("Risk education sessions"), week.sessions, since.sessions),
             (_("People reached by risk education"), week.reached, since.reached)]
    return rows


def _edit(request, form, save, title: str, to: str | None = None):
    done = versioning.submit(request, form, form.instance, lambda: save(form.save(commit=False)),
                             errors=form_errors)
    if done.saved:
        messages.success(request, _("Saved."))
        return redirect(to or "restoration:mine_action")
    return render(request, "restoration/form.html", {"form": form, "title": title}, status=done.status)


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
                  HazardStatus.CLEARED: "#2e7d32", HazardStatus.CANCELLED: "#6b7280",
                  HazardStatus.RELEASED: "#6b7280"}


@require("restoration.view")
def areas_geojson(request):
    features = []
    for area in HazardousArea.objects.visible_to(request.user).exclude(status=HazardStatus.CANCELLED):
        features.append({
            "type": "Feature", "geometry": area.geometry,
            "properties": {"name": f"{area.code} {area.name}", "color": STATUS_COLOURS.get(area.status),
                           "summary": f"{area.get_status_display()} · {area.get_hazard_display()}",
                           "url": reverse("restoration:area_detail", args=[area.pk])},
        })
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _span(request) -> tuple[dt.date, dt.date]:
    """?from=&to= (both included); by default the week ending on the operation's day."""
    last = date_param(request, "to", operation_day())
    first = date_param(request, "from", last - dt.timedelta(days=6))
    check_span(first, last, "from/to")
    return first, last


def _incidents_visible(user):
    """The ceasefire incidents this user may see, or None without the ceasefire app (read through the app
    registry: restoration does not import ceasefire, and ceasefire never imports restoration)."""
    from django.apps import apps

    try:
        model = apps.get_model("ceasefire", "Incident")
    except LookupError:
        return None
    return model.objects.visible_to(user)


@require("restoration.view")
def area_detail(request, pk: int):
    area = get_visible_or_404(HazardousArea.objects.select_related("place"), request.user, pk=pk)
    incidents = _incidents_visible(request.user)
    linked = land_release.incidents_in_area(area, incidents) if incidents is not None else []
    return render(request, "restoration/hazardous_area.html", {
        "area": area, "balance": land_release.balance(area),
        "releases": area.releases.select_related("organisation", "task").order_by("date", "id"),
        "accidents": area.accidents.select_related("place").order_by("-date", "-id"),
        "sessions": area.risk_education.select_related("place").order_by("-date", "-id"),
        "tasks": area.tasks.all(), "incidents": linked,
        "can_edit": can(request.user, "restoration.edit"), "qa_form": QAForm(), "handover_form": HandoverForm(),
    })


@require("restoration.view", "restoration.edit", writer_only=True)
def release_new(request, pk: int):
    area = get_visible_or_404(HazardousArea.objects, request.user, pk=pk)
    form = LandReleaseForm(request.POST or None, area=area, initial={"date": request.GET.get("date")})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            land_release.record_release(area, d["date"], d["method"], mine_action.to_m2(d["area"], d["unit"]),
                                        d["team"], d["organisation"], d["task"], d["notes"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Land release recorded."))
            return redirect("restoration:area_detail", pk=area.pk)
    return render(request, "restoration/form.html", {
        "form": form, "title": _("Release land from %(area)s") % {"area": area}})


def _release_step(request, pk: int, form_class, step):
    release = get_visible_or_404(LandRelease.objects, request.user, pk=pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            step(release, form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("restoration:area_detail", pk=release.area_id)
    return render(request, "restoration/form.html", {"form": form, "title": str(release)},
                  status=400 if request.method == "POST" else 200)


@require("restoration.view", "restoration.edit", writer_only=True)
def release_qa(request, pk: int):
    return _release_step(request, pk, QAForm, lambda r, d: land_release.record_qa(
        r, d["qa_date"], d["qa_result"], d["qa_inspector"]))


@require("restoration.view", "restoration.edit", writer_only=True)
def release_handover(request, pk: int):
    return _release_step(request, pk, HandoverForm, lambda r, d: land_release.hand_over(
        r, d["handed_over_on"], d["handed_over_to"]))


@require("restoration.view")
def accident_list(request):
    first, last = _span(request)
    accidents = (MineAccident.objects.visible_to(request.user).filter(date__gte=first, date__lte=last)
                 .select_related("place", "area").order_by("-date", "-id"))
    figures = land_release.figures(first, last, accidents=MineAccident.objects.visible_to(request.user))
    return render(request, "restoration/accident_list.html", {
        "first": first, "last": last, "accidents": accidents, "figures": figures,
        "groups": [(g, *figures.victims_by_group[g]) for g in MineAccident.GROUPS],
        "can_edit": can(request.user, "restoration.edit")})


@require("restoration.view", "restoration.edit", writer_only=True)
def accident_edit(request, pk: int | None = None):
    accident = get_visible_or_404(MineAccident.objects, request.user, pk=pk) if pk else None
    form = MineAccidentForm(request.POST or None, instance=accident)
    return _edit(request, form, land_release.save_accident, str(accident) if accident else _("New mine / ERW accident"),
                 "restoration:accident_list")


@require("restoration.view")
def session_list(request):
    first, last = _span(request)
    sessions = (RiskEducationSession.objects.visible_to(request.user).filter(date__gte=first, date__lte=last)
                .select_related("place", "organisation").order_by("-date", "-id"))
    figures = land_release.figures(first, last, sessions=RiskEducationSession.objects.visible_to(request.user))
    return render(request, "restoration/risk_education_list.html", {
        "first": first, "last": last, "sessions": sessions, "figures": figures,
        "can_edit": can(request.user, "restoration.edit")})


@require("restoration.view", "restoration.edit", writer_only=True)
def session_edit(request, pk: int | None = None):
    session = get_visible_or_404(RiskEducationSession.objects, request.user, pk=pk) if pk else None
    form = RiskEducationForm(request.POST or None, instance=session)
    return _edit(request, form, land_release.save_session,
                 str(session) if session else _("New risk education session"), "restoration:session_list")
