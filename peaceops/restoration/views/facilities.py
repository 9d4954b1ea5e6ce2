"""Facility register: list, detail (with its state, dependencies, assessments and works), forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.core import versioning
from peaceops.core.models import Place
from peaceops.core.params import choice_param, id_param
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.restoration.forms import AssessmentForm, FacilityForm
from peaceops.restoration.models import DamageAssessment, Facility, Sector
from peaceops.restoration.services import assessments, facilities, status
from peaceops.restoration.views import as_of_date, form_errors


@require("restoration.view")
def facility_list(request):
    day = as_of_date(request)
    qs = Facility.objects.visible_to(request.user).select_related("place")
    sector, settlement = choice_param(request, "sector", Sector), id_param(request, "settlement")
    if sector:
        qs = qs.filter(sector=sector)
    if settlement:
        qs = qs.filter(settlements=settlement)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    states = status.StatusEngine(Facility.objects.filter(pk__in=[f.pk for f in page])).facility_states(day)
    rows = [(f, states.get(f.pk)) for f in page]
    return render(request, "restoration/facility_list.html", {
        "rows": rows, "page": page, "sector": sector, "sectors": Sector.choices, "settlement": settlement,
        "settlements": Place.objects.filter(served_by__isnull=False).distinct().order_by("name"), "as_of": day,
        "can_edit": can(request.user, "restoration.edit"), "level_labels": status.LEVEL_LABELS,
    })


@require("restoration.view")
def facility_detail(request, pk: int):
    facility = get_visible_or_404(Facility.objects.select_related("place"), request.user, pk=pk)
    day = as_of_date(request)
    states = status.snapshot(day).facilities
    state = states.get(facility.pk)
    blockers = Facility.objects.filter(pk__in=state.blocked_by) if state else []
    return render(request, "restoration/facility_detail.html", {
        "facility": facility, "state": state, "blockers": blockers, "as_of": day,
        "level_label": status.LEVEL_LABELS[state.level] if state else "",
        "depends_on": [(f, states.get(f.pk)) for f in facility.depends_on.all()],
        "dependants": [(f, states.get(f.pk)) for f in facility.dependants.all()],
        "assessments": DamageAssessment.objects.visible_to(request.user).filter(facility=facility)
        .prefetch_related("photos"),
        "works": facility.works.select_related("organisation"),
        "can_edit": can(request.user, "restoration.edit"), "can_assess": can(request.user, "restoration.assess"),
    })


@require("restoration.view", "restoration.edit", writer_only=True)
def facility_edit(request, pk: int | None = None):
    facility = get_visible_or_404(Facility.objects, request.user, pk=pk) if pk else None
    form = FacilityForm(request.POST or None, instance=facility)
    done = versioning.submit(request, form, facility, lambda: facilities.save_facility(
        form.save(commit=False), form.cleaned_data["settlements"], form.cleaned_data["depends_on"]),
        errors=form_errors)
    if done.saved:
        messages.success(request, _("Facility saved."))
        return redirect("restoration:facility_detail", pk=done.value.pk)
    return render(request, "restoration/form.html", {
        "form": form, "title": facility.name if facility else _("New facility"), "multipart": False},
        status=done.status)


@require("restoration.view_assessments", "restoration.assess")
def assessment_list(request):
    qs = DamageAssessment.objects.visible_to(request.user).select_related("facility", "submitted_by")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "restoration/assessment_list.html", {
        "page": page, "can_assess": can(request.user, "restoration.assess")})


@require("restoration.view_assessments", "restoration.assess", writer_only=True)
def assessment_new(request):
    initial = {"facility": request.GET.get("facility"), "assessor": request.user.get_full_name()
               or request.user.get_username()}
    form = AssessmentForm(request.POST or None, request.FILES or None, initial=initial)
    form.fields["facility"].queryset = Facility.objects.order_by("sector", "name")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = assessments.record_assessment(data["facility"], data["date"], data["assessor"],
                                                  data["severity"], data["functionality"], data["needs"],
                                                  data["photos"], request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Assessment recorded."))
            if can(request.user, "restoration.view"):
                return redirect("restoration:facility_detail", pk=saved.facility_id)
            return redirect("restoration:assessment_list")
    return render(request, "restoration/form.html", {"form": form, "title": _("New damage assessment"),
                                                     "multipart": True})


LEVEL_COLOURS = {status.FULL: "#2e7d32", status.PARTIAL: "#c77c00", status.NONE: "#b00020"}


@require("restoration.view")
def facilities_geojson(request):
    """Facilities at their place's coordinates, coloured by what they deliver as of the date asked for."""
    from django.http import JsonResponse
    from django.urls import reverse

    day = as_of_date(request)
    qs = Facility.objects.visible_to(request.user).select_related("place").exclude(place__latitude=None)
    states = status.StatusEngine(qs).facility_states(day)
    features = []
    for facility in qs:
        state = states[facility.pk]
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(facility.place.longitude),
                                                          float(facility.place.latitude)]},
            "properties": {"name": facility.name, "color": LEVEL_COLOURS[state.level], "radius": 5,
                           "summary": f"{facility.get_kind_display()} · {status.LEVEL_LABELS[state.level]} "
                                      f"({state.effective}%)",
                           "url": reverse("restoration:facility_detail", args=[facility.pk])},
        })
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require("restoration.view_assessments")
def assessment_photo(request, pk: int, sha256: str):
    """A photo of an assessment the user may see; nothing else in the attachment store is reachable here. Shown
    inline only when its bytes are a raster image (peaceops.core.uploads.serve); anything else downloads."""
    from django.conf import settings
    from django.http import Http404

    from peaceops.core import uploads

    assessment = get_visible_or_404(DamageAssessment.objects, request.user, pk=pk)
    photo = assessment.photos.filter(sha256=sha256).first()
    if photo is None:
        raise Http404
    path = settings.ATTACHMENT_ROOT / photo.relative_path
    if not path.exists():
        raise Http404
    return uploads.serve(path, photo.filename, photo.content_type)
