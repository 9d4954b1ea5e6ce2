"""Incident pages: file, list with filters, detail with the workflow, review queue, duplicates and merge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceops.ceasefire import layers, services
from peaceops.ceasefire.forms import (
    DecisionForm,
    IncidentForm,
    MergeForm,
    ReopenForm,
    SourceForm,
    add_service_errors,
)
from peaceops.ceasefire.models import Incident, Status
from peaceops.ceasefire.models.incidents import DECISION_ACTIONS
from peaceops.ceasefire.services import exports
from peaceops.ceasefire.taxonomy import VIOLATION_TYPES, IncidentType, is_violation
from peaceops.core import versioning
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind
from peaceops.core.operation import operation_now
from peaceops.core.params import check_span, choice_param, date_param, id_param
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.reporting import ReportingPeriod
from peaceops.core.roles import can


def filtered(request, queryset):
    """The list filters, shared by the page, the exports and the counts links."""
    params = request.GET
    if status := choice_param(request, "status", Status):
        queryset = queryset.filter(status=status)
    if kind := choice_param(request, "type", IncidentType):
        queryset = queryset.filter(incident_type=kind)
    kind_of_report = params.get("violations")
    if kind_of_report is None and params.get("day"):
        kind_of_report = "1"  # a day as the counts define it lists what they count: the violations
    if kind_of_report == "1":  # ceasefire violations only
        queryset = queryset.filter(incident_type__in=sorted(VIOLATION_TYPES))
    elif kind_of_report == "0":  # the other report types only
        queryset = queryset.exclude(incident_type__in=sorted(VIOLATION_TYPES))
    if district := id_param(request, "district"):
        queryset = queryset.filter(district_id=district)
    if query := params.get("q", "").strip()[:200]:
        queryset = queryset.filter(pk__in=_matching(query))
    if day := date_param(request, "day"):  # one reporting day, as the counts define it
        period = ReportingPeriod.ending_on(day)
        queryset = queryset.counted().filter(occurred_from__gte=period.start, occurred_from__lt=period.end)
    first, last = date_param(request, "from"), date_param(request, "to")
    if first and last:
        check_span(first, last)
    queryset = exports.in_window(queryset, first, last)
    if params.get("merged") != "1":
        queryset = queryset.filter(merged_into__isnull=True)
    return queryset


def _matching(query: str):
    """Incidents whose words (what the source said, notes, damage, weapons, direction of fire) or place (any of
    its names, in any script) contain the query: the free-text search of the list."""
    from django.db.models import Q

    from peaceops.core import gazetteer

    words = (Q(sources__summary__icontains=query) | Q(notes__icontains=query) | Q(damage__icontains=query)
             | Q(weapons__icontains=query) | Q(direction_of_fire__icontains=query)
             | Q(place__name__icontains=query) | Q(place__aliases__name__icontains=query))
    try:  # a place named in another script or transliteration ("Шуши", "Xankəndi")
        place = gazetteer.resolve(query).place
    except LookupError:
        place = None
    if place is not None:
        words |= Q(place=place) | Q(district=place)
    return Incident.objects.filter(words).values("pk")


@require("ceasefire.view")
def incident_list(request):
    incidents = filtered(request, Incident.objects.visible_to(request.user)).select_related(
        "place", "district", "claimed_by")
    page = Paginator(incidents, 50).get_page(request.GET.get("page"))
    return render(request, "ceasefire/incident_list.html", {
        "page": page, "statuses": Status.choices, "types": IncidentType.choices,
        "districts": Place.objects.filter(kind=PlaceKind.REGION, parent__isnull=False).order_by("name"),
        "params": request.GET, "query": request.GET.urlencode(),
        "can_file": can(request.user, "ceasefire.file"), "can_export": can(request.user, "ceasefire.export"),
    })


@require("ceasefire.view", "ceasefire.file", writer_only=True)
def incident_new(request):
    initial = {"occurred_from": operation_now()}
    # Opened from a lead (an open-source claim the monitors never recorded): its place and words come along.
    initial.update({name: request.GET[name] for name in ("place_name", "source_summary") if request.GET.get(name)})
    form = IncidentForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                attachments = []
                if form.cleaned_data.get("attachment"):
                    attachments.append(services.store_attachment(form.cleaned_data["attachment"], request.user))
                incident = services.file_incident(
                    request.user, form.incident_fields(),
                    [(form.cleaned_data["source"], form.cleaned_data["source_summary"])], attachments)
        except ValidationError as exc:
            add_service_errors(form, exc, {"place": "place_name", "sources": "source"})
        else:
            messages.success(request, _("Incident filed; an analyst will review it."))
            return redirect("ceasefire:incident_detail", pk=incident.pk)
    return render(request, "ceasefire/incident_form.html", {
        "form": form, "places": Place.objects.exclude(kind=PlaceKind.COUNTRY).values_list("name", flat=True)})


@require("ceasefire.view")
def incident_detail(request, pk: int):
    incident = get_visible_or_404(
        Incident.objects.select_related("place", "district", "alleged_party", "alleged_by", "claimed_by",
                                        "reported_by", "observed_by_post", "observed_by_patrol", "merged_into"),
        request.user, pk=pk)
    reviewer = can(request.user, "ceasefire.review")
    proposals = services.propose_duplicates(incident) if reviewer else []
    merge_form = MergeForm(queryset=Incident.objects.filter(pk__in=[p.incident.pk for p in proposals]))
    sources = list(incident.sources.select_related("source"))
    steps = list(incident.steps.select_related("actor"))
    posts_in_view = None
    if incident.latitude is not None and incident.longitude is not None:
        posts_in_view = layers.posts_in_view(float(incident.latitude), float(incident.longitude))
    return render(request, "ceasefire/incident_detail.html", {
        "posts_in_view": posts_in_view, "view_km": f"{layers.view_km():g}",
        "incident": incident, "steps": steps,
        "sources": sources, "grade": services.grade(incident), "attachments": incident.attachments.all(),
        "duplicates": incident.duplicates.all(), "proposals": proposals, "merge_form": merge_form,
        "decision_form": DecisionForm(), "can_review": reviewer,
        "decisions": [step for step in steps if step.action in DECISION_ACTIONS],
        "corroboration": services.corroboration(incident), "is_violation": is_violation(incident.incident_type),
        "reopen_form": ReopenForm(), "source_form": SourceForm(),
        "claimed_by_me": incident.claimed_by_id == request.user.pk,
    })


def _reviewable(request, pk):
    return get_visible_or_404(Incident.objects, request.user, pk=pk)


@require("ceasefire.view", "ceasefire.review", writer_only=True)
@require_POST
def incident_claim(request, pk: int):
    incident = _reviewable(request, pk)
    try:
        with versioning.expecting(incident, versioning.posted_revision(request)):
            services.claim(incident, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You are reviewing this incident."))
    return redirect("ceasefire:incident_detail", pk=pk)


def _review_form(request, incident, form, template: str, change, done, rename: dict | None = None):
    """A reviewer's form page on one incident: on a valid POST `change(cleaned_data)` runs against the revision
    the page showed, then back to the incident with `done`; a service's refusal goes onto the form's fields
    (`rename`: a service field shown under another name) and the page answers 400."""
    if request.method == "POST" and form.is_valid():
        try:
            with versioning.expecting(incident, versioning.posted_revision(request)):
                change(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, rename)
        else:
            messages.success(request, done)
            return redirect("ceasefire:incident_detail", pk=incident.pk)
    return render(request, template, {"incident": incident, "form": form},
                  status=400 if request.method == "POST" else 200)


@require("ceasefire.view", "ceasefire.review", writer_only=True)
def incident_decide(request, pk: int):
    incident = _reviewable(request, pk)
    return _review_form(
        request, incident, DecisionForm(request.POST or None), "ceasefire/decision_form.html",
        lambda data: services.decide(incident, request.user, data["outcome"], data["rationale"]),
        _("Decision recorded."))


@require("ceasefire.view", "ceasefire.review", writer_only=True)
def incident_reopen(request, pk: int):
    """Reopen a verified or refuted incident on new evidence (the earlier decision stays in the history)."""
    incident = _reviewable(request, pk)
    return _review_form(
        request, incident, ReopenForm(request.POST or None), "ceasefire/reopen_form.html",
        lambda data: services.reopen(incident, request.user, data["reason"], [(data["source"], data["summary"])]),
        _("Reopened; the incident is open for review again."), rename={"evidence": "summary"})


@require("ceasefire.view", "ceasefire.review", writer_only=True)
def incident_add_source(request, pk: int):
    """One more source for the incident, without a merge."""
    incident = _reviewable(request, pk)
    return _review_form(
        request, incident, SourceForm(request.POST or None), "ceasefire/source_form.html",
        lambda data: services.attach_source(incident, request.user, data["source"], data["summary"],
                                            data.get("reliability") or "", data.get("credibility"),
                                            data.get("reference") or ""),
        _("Source added to the incident."))


@require("ceasefire.view", "ceasefire.review", writer_only=True)
def incident_merge(request, pk: int):
    incident = _reviewable(request, pk)
    candidates = Incident.objects.visible_to(request.user).exclude(pk=pk)
    return _review_form(
        request, incident, MergeForm(request.POST or None, queryset=candidates), "ceasefire/merge_form.html",
        lambda data: services.merge(incident, list(data["duplicates"]), request.user, data["rationale"]),
        _("Merged; every source is kept on this incident."))


@require("ceasefire.view", "ceasefire.review", writer_only=True)
def review_queue(request):
    open_statuses = [Status.REPORTED, Status.UNDER_REVIEW, Status.UNCONFIRMED]
    incidents = (Incident.objects.visible_to(request.user).filter(status__in=open_statuses, merged_into__isnull=True)
                 .select_related("place", "district", "claimed_by").order_by("occurred_from"))
    page = Paginator(incidents, 50).get_page(request.GET.get("page"))
    return render(request, "ceasefire/review_queue.html", {"page": page})
