"""Returned as of D: the figure, by destination, the last 24 hours, and the daily curve. Aggregates only."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from peaceops.core import mission
from peaceops.core.operation import operation_day
from peaceops.core.params import date_param
from peaceops.core.permissions import require
from peaceops.core.reporting import is_small_cell
from peaceops.core.roles import can
from peaceops.returns.charts import returns_chart_svg
from peaceops.returns.models import Convoy, Corridor
from peaceops.returns.published import published_returns
from peaceops.returns.services import daily_first_arrivals, flow_summary, mapping, returned_as_of


@require("returns.view_counts")
def returned(request):
    day = date_param(request, "as_of", operation_day())
    if not can(request.user, "returns.view_live_counts"):
        return _returned_published(request, day)
    count = returned_as_of(day)
    detailed = can(request.user, "returns.view")
    rows = [(place, None if not detailed and is_small_cell(n) else n) for place, n in count.by_destination]
    first = min(mission.first_return_day(), day)
    daily = daily_first_arrivals(max(first, day - dt.timedelta(days=60)), day)
    split = (count.escorted, count.self_organised)
    if not detailed and any(is_small_cell(n) for n in split):
        split = None  # one small part would give the other away by subtraction from the total
    flows = flow_summary(day, day)
    context = {"day": day, "count": count, "rows": rows, "daily": list(reversed(daily)), "detailed": detailed,
               "split": split, "flows": flows, "can_view_flows": can(request.user, "returns.view_flows"),
               "chart": returns_chart_svg(daily), "small_cell": mission.small_cell()}
    template = "returns/_returned_panel.html" if request.htmx else "returns/returned.html"
    return render(request, template, context)


def _returned_published(request, day):
    """The public role's page: the newest published report's figures up to `day`, never the live count."""
    context = {"day": day, "published": published_returns(day), "small_cell": mission.small_cell()}
    if context["published"] and context["published"].daily:
        context["chart"] = returns_chart_svg(_chart_rows(context["published"].daily))
    # One page for both; only the panel inside it differs.
    context["panel"] = "returns/_returned_published_panel.html"
    return render(request, context["panel"] if request.htmx else "returns/returned.html", context)


def _chart_rows(daily):
    # A point the disclosure rules left out is a gap in the chart, not a zero.
    return [(d, float("nan") if n is None else n, float("nan") if t is None else t) for d, n, t in daily]


@require("returns.view_counts")
def returned_chart(request):
    day = date_param(request, "as_of", operation_day())
    if not can(request.user, "returns.view_live_counts"):
        published = published_returns(day)
        return HttpResponse(returns_chart_svg(_chart_rows(published.daily if published else [])),
                            content_type="image/svg+xml")
    return HttpResponse(returns_chart_svg(daily_first_arrivals(min(mission.first_return_day(), day), day)),
                        content_type="image/svg+xml")


@require("returns.view")
def corridor_geojson(request):
    """The corridor road (a line through its checkpoints)."""
    return JsonResponse({"type": "FeatureCollection",
                         "features": mapping.corridor_features(Corridor.objects.visible_to(request.user))})


@require("returns.view")
def convoys_geojson(request):
    """Convoys on the road at their last checkpoint."""
    return JsonResponse({"type": "FeatureCollection",
                         "features": mapping.convoy_features(Convoy.objects.visible_to(request.user))})
