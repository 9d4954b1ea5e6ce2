"""The audit log: who did what, and whether the chain is intact."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from peaceops.core import audit
from peaceops.core.models import AuditEvent
from peaceops.core.permissions import require


@require("core.view_audit")
def audit_list(request):
    events = AuditEvent.objects.order_by("-id")
    for field in ("actor", "action", "model"):
        if request.GET.get(field):
            events = events.filter(**{field: request.GET[field]})
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.shown_repr = audit.displayed_repr(event)
    report = audit.verify() if request.GET.get("verify") else None
    return render(request, "core/audit_list.html", {"page": page, "report": report})
