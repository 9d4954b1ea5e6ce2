"""Dashboard card: open alerts addressed to me, and my tasks (open, overdue)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.alerts.models import Alert, Task
from peaceops.core.roles import can


def alerts_section(request) -> list[dict]:
    user = request.user
    if not can(user, "alerts.view"):
        return []
    open_alerts = Alert.objects.visible_to(user).open()
    mine = Task.objects.filter(owner=user).live()
    rows = [
        (_("Open alerts"), open_alerts.count(), reverse("alerts:alert_list") + "?open=1"),
        (_("Critical, not acknowledged"), open_alerts.filter(severity="critical").count(),
         reverse("alerts:alert_list") + "?open=1&severity=critical"),
        (_("My tasks"), mine.count(), reverse("alerts:my_tasks")),
        (_("My tasks overdue"), mine.filter(due_at__lt=timezone.now()).count(), reverse("alerts:my_tasks")),
    ]
    return [{"key": "alerts", "title": _("Open alerts and my tasks"), "url": reverse("alerts:alert_list"),
             "template": "core/_section_figures.html", "data": rows}]


SECTIONS = [alerts_section]
