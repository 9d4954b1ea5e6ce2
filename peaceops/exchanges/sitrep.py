"""The exchanges section of the daily report and its dashboard curves. Counts of people are flagged so public
outputs suppress small cells."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.core.reporting import Figure, ReportingPeriod, Series, SitrepSection, Table
from peaceops.exchanges.services.summary import summary


def exchanges_section(period: ReportingPeriod) -> SitrepSection | None:
    now, before = summary(period.day), summary(period.day - dt.timedelta(days=1))
    if not (now.remains_recovered or now.exchanged_total or now.missing_open or now.detained
            or now.exchange_prepared):
        return None
    sentences = []
    if now.remains_exchanged or now.remains_received:
        sentences.append(_("Remains of the dead continue to be recovered and exchanged with the help of the "
                           "neutral intermediary; %(identified)s have been identified and %(handed)s handed over "
                           "to families.") % {"identified": now.remains_identified,
                                              "handed": now.remains_handed_over})
    if now.exchange_prepared is not None:
        sentences.append(_("An exchange of detainees (%(kind)s) has been agreed and is being prepared.") % {
            "kind": now.exchange_prepared.get_kind_display()})
    elif now.detained:
        # Before any agreement the work is still real: cases are open and the intermediary visits detainees.
        sentences.append(_("Work continues through the neutral intermediary towards an exchange of prisoners and "
                           "detainees; %(count)s detention cases are open.") % {"count": now.detained})
    for (from_label, to_label), count in sorted(now.exchanged.items()):
        sentences.append(ngettext("To date %(count)s person has been handed over from the %(from)s to the %(to)s.",
                                  "To date %(count)s persons have been handed over from the %(from)s to the %(to)s.",
                                  count) % {"count": count, "from": from_label, "to": to_label})
    figures = [
        Figure("exchanges.exchanged", _("Persons exchanged to date"), now.exchanged_total, before.exchanged_total,
               people=True),
        Figure("exchanges.remains_recovered", _("Remains recovered"), now.remains_recovered,
               before.remains_recovered, people=True),
        Figure("exchanges.remains_identified", _("Remains identified"), now.remains_identified,
               before.remains_identified, people=True),
        Figure("exchanges.remains_dna_pending", _("Remains awaiting DNA identification"), now.remains_dna_pending,
               before.remains_dna_pending, people=True),
        Figure("exchanges.remains_handed_over", _("Remains handed over to families"), now.remains_handed_over,
               before.remains_handed_over, people=True),
        Figure("exchanges.missing_open", _("Open missing-person cases"), now.missing_open, before.missing_open,
               people=True),
        Figure("exchanges.detained", _("Prisoners and detainees held (open detention cases)"), now.detained,
               before.detained, people=True),
    ]
    table = Table("exchanges.by_direction", _("Exchanged to date, by direction"),
                  [_("from"), _("to"), _("persons")],
                  [[f, t, n] for (f, t), n in sorted(now.exchanged.items())], people_columns=[2])
    return SitrepSection("exchanges", _("Exchanges and the missing"), 30, " ".join(sentences), figures, [table])


def exchanges_series(first_day: dt.date, last_day: dt.date) -> list[Series]:
    points_exchanged, points_remains = [], []
    day = first_day
    while day <= last_day:
        figures = summary(day)
        points_exchanged.append((day, float(figures.exchanged_total)))
        points_remains.append((day, float(figures.remains_recovered)))
        day += dt.timedelta(days=1)
    return [Series("exchanges.exchanged_total", _("Persons exchanged (cumulative)"), _("persons"),
                   points_exchanged, people=True),
            Series("exchanges.remains_recovered", _("Remains recovered (cumulative)"), _("remains"),
                   points_remains, people=True)]


SECTIONS = [exchanges_section]
SERIES = [exchanges_series]
