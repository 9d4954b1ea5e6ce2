"""Dashboard card: returned as of today, in the last 24 hours, and what is waiting or on the road."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.operation import page_day
from peaceops.core.roles import can
from peaceops.returns.models import Convoy, ConvoyStatus, Household, HouseholdState
from peaceops.returns.services import returned_as_of


def returns_section(request) -> list[dict]:
    if not can(request.user, "returns.view_counts"):
        return []
    day = page_day(request)
    count = returned_as_of(day)
    url = reverse("returns:returned") + f"?as_of={day.isoformat()}"
    rows = [(_("Returned in total"), count.total, url), (_("Returned in the last 24 hours"), count.last_24h, url)]
    if can(request.user, "returns.view"):
        rows += [
            (_("Households waiting"), Household.objects.visible_to(request.user)
             .filter(state=HouseholdState.WAITING).count(), reverse("returns:household_list")),
            (_("Convoys on the road"), Convoy.objects.visible_to(request.user)
             .filter(status=ConvoyStatus.DISPATCHED).count(), reverse("returns:convoy_list") + "?status=dispatched"),
        ]
    return [{"key": "returns", "title": _("Return of displaced people"), "url": url,
             "template": "core/_section_figures.html", "data": rows}]


SECTIONS = [returns_section]
