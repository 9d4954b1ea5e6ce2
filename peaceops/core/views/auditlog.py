"""The audit log: who did what, and whether the chain is intact."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from peaceops.core import audit
from peaceops.core.models import AuditEvent
from peaceops.core.models.audit import AuditAction
from peaceops.core.params import check_span, choice_param, date_param, query_string
from peaceops.core.permissions import require
from peaceops.core.reporting import ReportingPeriod


@require("core.view_audit")
def audit_list(request):
    events = AuditEvent.objects.order_by("-id")
    actor, model = request.GET.get("actor", "").strip(), request.GET.get("model", "").strip()
    action = choice_param(request, "action", AuditAction)
    if actor:
        events = events.filter(actor__icontains=actor)
    if action:
        events = events.filter(action=action)
    if model:
        events = events.filter(model__icontains=model)
    first, last = date_param(request, "from"), date_param(request, "to")
    if first and last:
        check_span(first, last)
    if first:
        events = events.filter(timestamp__gte=ReportingPeriod.ending_on(first).start)
    if last:
        events = events.filter(timestamp__lt=ReportingPeriod.ending_on(last).end)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.shown_repr = audit.displayed_repr(event)
    report = audit.verify() if request.GET.get("verify") else None
    return render(request, "core/audit_list.html", {
        "page": page, "report": report, "actions": AuditAction.choices, "params": request.GET,
        "filters": query_string(actor=actor, action=action, model=model, **{"from": first, "to": last})})
