"""Movement beyond convoys in the returns section of the sitrep: what "returned" counts (escorted and
self-organised, each person once) and, beside it, the day's flow counts at checkpoints (people passing outside
convoys, counted without names — a different measure, never added to "returned").

Kept apart from sitrep.py, which wraps its section with `with_flows`; every number here is a count of people
(`people=True`), so public outputs pass it through peaceops.reports.disclosure like the rest."""

from __future__ import annotations

import functools

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.reporting import Figure, ReportingPeriod, SitrepSection, Table, sentence
from peaceops.returns.models import FlowCount
from peaceops.returns.services.counting import returned_as_of
from peaceops.returns.services.flows import flow_summary


def add_flows(section: SitrepSection, period: ReportingPeriod) -> SitrepSection:
    now = returned_as_of(period.day)
    flows, previous = flow_summary(period.day, period.day), flow_summary(period.previous().day,
                                                                         period.previous().day)
    url = reverse("returns:flows") + f"?day={period.day.isoformat()}"
    # A table, not two figures: its cells are suppressed as parts of the published total, so a small number
    # returning on their own cannot be worked out by subtracting the escorted figure from the total.
    section.tables.insert(0, Table(
        "returns.by_means", _("Returned by how they came (each person once, by their first arrival)"),
        [_("How"), _("People")], [[_("in escorted convoys"), now.escorted], [_("on their own (registered)"),
                                                                            now.self_organised]],
        people_columns=[1]))
    figures = []
    if flows.people or previous.people or FlowCount.objects.exists():
        figures += [
            Figure("returns.flow_in", _("Counted entering at checkpoints outside convoys"), flows.incoming,
                   previous.incoming, url=url, people=True),
            Figure("returns.flow_out", _("Counted leaving at checkpoints outside convoys"), flows.outgoing,
                   previous.outgoing, url=url, people=True),
        ]
        section.tables.append(Table(
            "returns.flows_by_purpose", _("Flow counts at checkpoints by purpose (people, no names)"),
            [_("Purpose"), _("Entering"), _("Leaving")], [[label, i, o] for label, i, o in flows.by_purpose],
            people_columns=[1, 2]))
    after = next((i + 1 for i, f in enumerate(section.figures) if f.key == "returns.in_period"), len(section.figures))
    section.figures[after:after] = figures
    if now.total:
        section.sentences.append(sentence(
            lambda count: _("Of them, %(escorted)s came in escorted convoys and %(own)s on their own; each person "
                            "counts once."),
            people={"escorted": now.escorted, "own": now.self_organised}, together=True))
    if flows.people:
        section.sentences.append(sentence(
            lambda count: _("Outside convoys, checkpoints counted %(incoming)s people entering and %(outgoing)s "
                            "leaving (counts without names, not added to the returned)."),
            people={"incoming": flows.incoming, "outgoing": flows.outgoing}))
    if section.sentences:
        section.summary = " ".join(s["text"] for s in section.sentences)
    return section


def with_flows(build):
    """Wrap a returns section builder so its section carries the split and the flow counts."""

    @functools.wraps(build)
    def wrapped(period: ReportingPeriod):
        section = build(period)
        return add_flows(section, period) if section is not None else None

    return wrapped
