"""The audit log: who did what, and whether the chain is intact."""

from __future__ import annotations

from urllib.parse import parse_qsl

from django.core.paginator import Paginator
from django.shortcuts import render

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction
from peaceops.core.params import query_string
from peaceops.core.permissions import require


@require("core.view_audit")
def audit_list(request):
    events, chosen = audit.filtered_events(request)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.shown_repr = audit.displayed_repr(event)
    report = audit.verify() if request.GET.get("verify") else None
    filters = query_string(**chosen)
    return render(request, "core/audit_list.html", {
        "page": page, "report": report, "actions": AuditAction.choices, "params": request.GET,
        "filters": filters, "keep": parse_qsl(filters)})
