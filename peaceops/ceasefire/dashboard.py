"""The ceasefire card on the dashboard: today's count, the review backlog, the running total."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.ceasefire import counts
from peaceops.ceasefire.models import Incident, Status
from peaceops.core.operation import operation_now
from peaceops.core.params import date_param
from peaceops.core.reporting import ReportingPeriod
from peaceops.core.roles import can


def ceasefire_section(request) -> list[dict]:
    if not can(request.user, "ceasefire.view_counts"):
        return []
    day = date_param(request, "as_of") or ReportingPeriod.containing(operation_now()).day
    result = counts.for_period(day)
    rows = [
        (_("Violations this reporting day"), result.wording, reverse("ceasefire:incident_list") + f"?day={day}"),
        (_("Since the ceasefire took effect"), result.running, reverse("ceasefire:counts")),
    ]
    if result.explosions or result.bursts:  # OSCE-style units, where the day's reports counted them
        rows.insert(1, (_("Explosions and bursts counted"), _("%(e)d explosions, %(b)d bursts") % {
            "e": result.explosions, "b": result.bursts}, reverse("ceasefire:incident_list") + f"?day={day}"))
    if can(request.user, "ceasefire.review"):
        backlog = Incident.objects.visible_to(request.user).filter(
            status__in=[Status.REPORTED, Status.UNDER_REVIEW], merged_into__isnull=True).count()
        rows.append((_("Awaiting review"), backlog, reverse("ceasefire:review_queue")))
    return [{"key": "ceasefire", "title": _("Ceasefire"), "url": reverse("ceasefire:counts"),
             "template": "core/_section_figures.html", "data": rows}]


SECTIONS = [ceasefire_section]
