"""Dashboard card: claims to look at — inconsistent, contradicted, and leads for the monitors."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.roles import can
from peaceops.sources.models import Claim, Verdict


def claims_card(request) -> list[dict]:
    if not can(request.user, "sources.view"):
        return []
    claims = Claim.objects.visible_to(request.user).standing()
    if not claims.exists():
        return []
    url = reverse("sources:claim_list")
    rows = [
        (_("Claims inconsistent with our records"), claims.filter(verdict=Verdict.INCONSISTENT).count(),
         url + "?verdict=inconsistent"),
        (_("Claims contradicting another source"), claims.filter(contradicts__isnull=False).distinct().count(),
         url + "?contradicted=1"),
        (_("Unverifiable claims (leads)"), claims.filter(verdict=Verdict.UNVERIFIABLE).count(),
         url + "?verdict=unverifiable"),
    ]
    return [{"key": "sources", "title": _("What was said, and what we recorded"), "url": url,
             "template": "core/_section_figures.html", "data": rows}]


SECTIONS = [claims_card]
