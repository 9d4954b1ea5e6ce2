"""Observation-post logs and patrols."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.ceasefire import counts, services
from peaceops.ceasefire.forms import PatrolForm, PostLogForm, add_service_errors
from peaceops.ceasefire.models import ObservationPostLog, Patrol
from peaceops.core.params import date_param, id_param, query_string
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.reporting import ReportingPeriod
from peaceops.core.roles import can


@require("ceasefire.view", "ceasefire.log")
def post_logs(request):
    form = PostLogForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.log_post(request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Log entry recorded."))
                return redirect("ceasefire:post_logs")
    entries = ObservationPostLog.objects.visible_to(request.user).select_related("post", "created_by")
    if post := id_param(request, "post"):
        entries = entries.filter(post_id=post)
    day = date_param(request, "day")
    posts = None
    if day:  # where the sitrep's "posts manned" links: the manned shifts of that reporting day
        entries = entries.filter(counts.manned_in(ReportingPeriod.ending_on(day)))
        posts = entries.values("post").distinct().count()
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "ceasefire/post_logs.html", {
        "page": page, "form": form, "can_log": can(request.user, "ceasefire.log"), "day": day, "posts": posts,
        "filters": query_string(day=day)})


@require("ceasefire.view", "ceasefire.log")
def patrol_list(request):
    form = PatrolForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                patrol = services.record_patrol(request.user, data["route_name"], data["route"], data["started_at"],
                                                data["ended_at"], data["team"], data["findings"], data["distance_km"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Patrol recorded."))
                return redirect("ceasefire:patrol_detail", pk=patrol.pk)
    patrols = Patrol.objects.visible_to(request.user).prefetch_related("stops__place")
    day = date_param(request, "day")
    distance = None
    if day:  # where the sitrep's "routes patrolled" and "distance" link: the patrols of that reporting day
        patrols = patrols.filter(counts.patrolled_in(ReportingPeriod.ending_on(day)))
        distance = patrols.aggregate(km=Sum("distance_km"))["km"] or 0
    page = Paginator(patrols, 50).get_page(request.GET.get("page"))
    return render(request, "ceasefire/patrol_list.html", {
        "page": page, "form": form, "can_log": can(request.user, "ceasefire.log"), "day": day,
        "distance": distance, "filters": query_string(day=day)})


@require("ceasefire.view")
def patrol_detail(request, pk: int):
    patrol = get_visible_or_404(Patrol.objects.prefetch_related("stops__place"), request.user, pk=pk)
    from peaceops.ceasefire.models import Incident

    return render(request, "ceasefire/patrol_detail.html", {
        "patrol": patrol, "incidents": Incident.objects.visible_to(request.user).filter(observed_by_patrol=patrol)})
