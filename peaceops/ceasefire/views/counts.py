"""Counts page (table, SVG chart, link to the map), the incidents map layer, exports and imports."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.ceasefire import counts, formats, imports
from peaceops.ceasefire.charts import violations_chart_svg
from peaceops.ceasefire.forms import ImportForm
from peaceops.ceasefire.models import Incident, Status
from peaceops.ceasefire.services import exports
from peaceops.ceasefire.views.incidents import filtered
from peaceops.core import mission
from peaceops.core.operation import operation_now
from peaceops.core.params import check_span, date_param
from peaceops.core.permissions import require
from peaceops.core.reporting import ReportingPeriod

STATUS_COLOURS = {Status.REPORTED: "#8a6100", Status.UNDER_REVIEW: "#8a6100", Status.VERIFIED: "#a12a2a",
                  Status.UNCONFIRMED: "#6b7783", Status.REFUTED: "#999999"}


def _today() -> dt.date:
    return ReportingPeriod.containing(operation_now()).day


@require("ceasefire.view_counts")
def counts_page(request):
    day = date_param(request, "day", _today())
    result = counts.for_period(day)
    first = date_param(request, "from", max(mission.ceasefire_start(), day - dt.timedelta(days=29)))
    check_span(min(first, day), day, "from/day")
    series = counts.daily_totals(first, day)
    labels = counts.type_labels()
    types = sorted({kind for _d, kinds, _t in result.by_district for kind in kinds})
    rows = [(district, [kinds.get(t, 0) for t in types], total) for district, kinds, total in result.by_district]
    return render(request, "ceasefire/counts.html", {"ceasefire_start": mission.ceasefire_start(),
        "day": day, "result": result, "series": sorted(series.items()), "types": [(t, labels[t]) for t in types],
        "rows": rows, "first": first, "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1), "cutoff": ReportingPeriod.ending_on(day).end,
        "list_url": reverse("ceasefire:incident_list") + f"?day={day.isoformat()}",
    })


@require("ceasefire.view_counts")
def counts_chart(request):
    """Violations per reporting day as an SVG bar chart (matplotlib, no display needed)."""
    last = date_param(request, "to", _today())
    first = date_param(request, "from", max(mission.ceasefire_start(), last - dt.timedelta(days=29)))
    check_span(first, last)
    return HttpResponse(violations_chart_svg(sorted(counts.daily_totals(first, last).items())),
                        content_type="image/svg+xml")


@require("ceasefire.view")
def incidents_geojson(request):
    """Incidents as map points (visible_to narrows them); filters as on the list, default the last 30 days."""
    qs = filtered(request, Incident.objects.visible_to(request.user)).exclude(latitude=None)
    if request.GET.get("period") != "all" and not any(request.GET.get(k) for k in ("day", "from", "to")):
        # The 30 days up to the latest incident (not up to today: the demo world lies in 2020).
        latest = qs.order_by("-occurred_from").values_list("occurred_from", flat=True).first()
        if latest:
            qs = qs.filter(occurred_from__gte=latest - dt.timedelta(days=30))
    features = []
    for incident in qs.select_related("place")[:2000]:
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(incident.longitude), float(incident.latitude)]},
            "properties": {
                "id": incident.pk, "name": str(incident.get_incident_type_display()),
                "summary": f"{timezone.localtime(incident.occurred_from):%Y-%m-%d %H:%M} · {incident.location_label}"
                           f" · {incident.get_status_display()}",
                "url": reverse("ceasefire:incident_detail", args=[incident.pk]),
                "color": STATUS_COLOURS.get(incident.status, "#a12a2a"), "status": incident.status,
                "date": timezone.localtime(incident.occurred_from).date().isoformat(),
            },
        })
    # The map draws these on its time slider and as a heat map.
    return JsonResponse({"type": "FeatureCollection", "features": features, "timeline": True, "heat": True})


@require("ceasefire.export")
def export(request):
    fmt = request.GET.get("format", "acled")
    if fmt not in formats.EXPORTERS:
        return HttpResponse(_("Unknown format; choose acled or hxl."), status=400)
    qs = filtered(request, Incident.objects.visible_to(request.user))
    out = io.StringIO()
    exports.export_incidents(qs, fmt, out, actor=request.user.username, detail={"query": request.GET.urlencode()})
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incidents-{fmt}.csv"'
    return response


@require("ceasefire.view", "ceasefire.import", writer_only=True)
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.import_file(upload.read(), upload.name, form.cleaned_data["format"], request.user)
        if result.file_error:
            messages.error(request, result.file_error)
        else:
            messages.success(request, _("%(created)d incidents imported, %(skipped)d already known.")
                             % {"created": result.rows_saved, "skipped": result.rows_skipped})
        if result.rows_quarantined:
            # The bad rows wait in the intake quarantine, where each can be corrected and resubmitted.
            return redirect("intake:batch", pk=result.pk)
    return render(request, "ceasefire/import.html", {"form": form, "result": result})
