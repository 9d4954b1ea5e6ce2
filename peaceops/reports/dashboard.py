"""The reports card on the dashboard: where today's report stands, with links to it and to the curves."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.roles import can
from peaceops.reports.models import Sitrep


def sitrep_section(request) -> list[dict]:
    if not can(request.user, "reports.view_sitrep"):
        return []
    newest = Sitrep.objects.visible_to(request.user).order_by("-day", "-version").first()
    published = Sitrep.objects.published().values("day").distinct().count()
    rows = [(_("Days with a published report"), published, reverse("reports:public_index"))]
    if newest is not None:
        state = f"{newest.day.isoformat()} · v{newest.version} · {newest.get_status_display()}"
        rows.insert(0, (_("Latest report"), state, reverse("reports:sitrep", kwargs={"day": newest.day})))
    if can(request.user, "reports.view_dashboard"):
        rows.append((_("Curves"), _("open"), reverse("reports:dashboard")))
    return [{"key": "sitrep", "title": _("Situation report"), "url": reverse("reports:index"),
             "template": "core/_section_figures.html", "data": rows}]


SECTIONS = [sitrep_section]
