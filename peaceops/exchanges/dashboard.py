"""The exchanges card: real counts, for the roles that hold case files."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.params import page_day
from peaceops.core.roles import can
from peaceops.exchanges.models import DecisionStatus, MatchDecision
from peaceops.exchanges.services.summary import summary


def exchanges_section(request) -> list[dict]:
    if not can(request.user, "exchanges.view_cases"):
        return []
    figures = summary(page_day(request))
    pending = MatchDecision.objects.visible_to(request.user).filter(status=DecisionStatus.PROPOSED).count()
    rows = [
        (_("Persons exchanged to date"), figures.exchanged_total, reverse("exchanges:event_list")),
        (_("Detained (open cases)"), figures.detained, reverse("exchanges:case_list", args=["detention"])),
        (_("Missing (open cases)"), figures.missing_open, reverse("exchanges:case_list", args=["missing"])),
        (_("Remains recovered"), figures.remains_recovered, reverse("exchanges:case_list", args=["remains"])),
        (_("Remains awaiting DNA identification"), figures.remains_dna_pending, None),
        (_("Match proposals to decide"), pending, reverse("exchanges:list_list")),
    ]
    return [{"key": "exchanges", "title": _("Exchanges and the missing"), "url": reverse("exchanges:home"),
             "template": "core/_section_figures.html", "data": rows}]


SECTIONS = [exchanges_section]
