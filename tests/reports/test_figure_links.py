"""Every figure of the sitrep links to the records behind it, and the list it opens holds as many records as the
figure says. Walked on the rendered page for 21 November 2020 over the demo world at a small scale, the way a
coordinator would: follow each link and count what the list shows. (Killed and injured link to the day's
incidents: they are the records behind those figures, though a count of incidents is not a count of people.)"""

from __future__ import annotations

import datetime as dt
import html as markup
import re

import pytest
from django.urls import reverse

from peaceops.core.context import acting_as
from peaceops.core.registry import collect

DAY = dt.date(2020, 11, 21)
ROW = re.compile(r'<tr data-key="(?P<key>[^"]+)"><td>(?:<a href="(?P<url>[^"]*)">)?(?P<label>[^<]*)(?:</a>)?</td>'
                 r'\s*<td class="num">(?P<value>[^<]*)</td>')

# Figures that add up a quantity over the records listed (ordnance items over the clearance reports): the
# list is right when it holds those records, which a count cannot check. Figures with a unit (km, t, ha) are
# sums too and are recognised by it.
SUMS = {"mine_action.mine_action.found", "mine_action.mine_action.destroyed", "mine_action.mine_action.total_found"}

# Pages that count something other than their rows say the figure's own count in their context: persons handed
# over in the listed exchanges, distinct posts among the listed shifts, people on the listed convoys.
COUNTED = {"exchanges.exchanges.exchanged": "persons_handed_over", "ceasefire.ceasefire.posts_manned": "posts",
           "returns.returns.convoy_people": "people"}


@pytest.fixture
def small_world(db):
    """Every module's part of the demo world, at 2% of its size (the people and records are synthetic)."""
    from peaceops.scenario import world as scenario

    world = scenario.over_loaded_core(scale=0.02)
    with acting_as("system:scenario"):
        for build in collect("scenario", "BUILDERS"):
            build(world)
    return world


def _number(text: str) -> float | None:
    """"1,234" and "at least 3" → the number; "167 km" (a sum with a unit) or "—" → None."""
    words = text.replace(",", "").replace("\xa0", "").split()
    try:
        return float(words[-1])
    except (IndexError, ValueError):
        return None


def _listed(response) -> int | None:
    """How many records the page lists: a paginated list's total, or an unpaginated list's length; None for a
    page that is not a list (a count or a status page, compared by the module's own tests)."""
    context = response.context
    if "page" in context and hasattr(context["page"], "paginator"):
        return context["page"].paginator.count
    for name in ("events", "incidents", "reports"):
        if name in context:
            return len(context[name])
    return None


def test_every_figure_links_to_a_list_that_holds_the_figure(small_world, client_for):
    client = client_for("coordinator")
    html = client.get(reverse("reports:sitrep", kwargs={"day": DAY})).content.decode()
    rows = [m.groupdict() for m in ROW.finditer(html)]
    assert len(rows) >= 20  # five sections' figures
    unlinked = [row["key"] for row in rows if not row["url"]]
    assert unlinked == [], "every figure links to the records behind it"
    gaps, compared = {}, 0
    for row in rows:
        response = client.get(markup.unescape(row["url"]))
        assert response.status_code == 200, row
        listed, value = _listed(response), _number(row["value"])
        if row["key"] in COUNTED:
            listed = response.context[COUNTED[row["key"]]]
        if listed is None or value is None or row["key"] in SUMS:
            continue  # a count or status page (returned as of D, services), or a sum: not a list to count
        if listed == value:
            compared += 1
        else:
            gaps[row["key"]] = (row["label"], value, listed, row["url"])
    assert compared >= 15  # the lists of every module, not only the incidents
    assert gaps == {}, gaps
