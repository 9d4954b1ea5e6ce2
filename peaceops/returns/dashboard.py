"""Dashboard card: returned as of today, in the last 24 hours, and what is waiting or on the road."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.params import page_day
from peaceops.core.reporting import is_small_cell
from peaceops.core.roles import can
from peaceops.returns.models import Convoy, ConvoyStatus, Household, HouseholdState
from peaceops.returns.services import flow_summary, returned_as_of


def returns_section(request) -> list[dict]:
    if not can(request.user, "returns.view_counts"):
        return []
    day = page_day(request)
    count = returned_as_of(day)
    url = reverse("returns:returned") + f"?as_of={day.isoformat()}"
    rows = [(_("Returned in total"), count.total, url), (_("Returned in the last 24 hours"), count.last_24h, url)]
    detailed = can(request.user, "returns.view")
    if detailed or not (is_small_cell(count.escorted) or is_small_cell(count.self_organised)):
        # Each person once: escorted and self-organised add up to the total.
        rows += [(_("of them in escorted convoys"), count.escorted, url),
                 (_("of them on their own"), count.self_organised, url)]
    flows = flow_summary(day, day)
    flows_url = reverse("returns:flows") + f"?day={day.isoformat()}" if can(request.user, "returns.view_flows") else ""
    rows += [(_("Counted entering at checkpoints outside convoys"), flows.incoming, flows_url),
             (_("Counted leaving at checkpoints outside convoys"), flows.outgoing, flows_url)]
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
