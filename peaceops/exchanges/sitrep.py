"""The exchanges section of the daily report and its dashboard curves. Counts of people are flagged so public
outputs suppress small cells; each figure links to the case or event list behind it."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from urllib.parse import urlencode

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.core.reporting import Figure, ReportingPeriod, Series, SitrepSection, Table, sentence
from peaceops.exchanges.models import ExchangeEvent, Handover, RemainsCase
from peaceops.exchanges.services.summary import agreed_pending, case_states, handovers_by, summary


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def _agreed(day: dt.date) -> int:
    return ExchangeEvent.objects.filter(agreed_pending(day)).count()


def _dna_week(day: dt.date) -> int:
    """Remains identified by DNA in the seven days ending on `day`."""
    return RemainsCase.objects.filter(case_states(day)["remains"]["dna_week"]).count()


def _filtered(name: str, day: dt.date, state: str, **kwargs) -> str:
    """The list behind a figure: the records it counted as of `day`."""
    return reverse(name, kwargs=kwargs) + "?" + urlencode({"as_of": day.isoformat(), "state": state})


def _handed_over_today(now, before) -> dict | None:
    """One clause per direction for the persons handed over in this period (the change since D−1), as one
    sentence whose counts are parts of the day's total (suppressed together)."""
    today = {pair: count - before.exchanged.get(pair, 0) for pair, count in now.exchanged.items()}
    pairs = [(pair, count) for pair, count in sorted(today.items(), key=lambda kv: (-kv[1], kv[0])) if count > 0]
    if not pairs:
        return None

    def message(form) -> str:
        # Each clause's count stays open ("%(count_0)s") for sentence() to fill in or reword; its own count
        # picks its form, except in the public rewording, where `form` does.
        clauses = [ngettext("%(count)s person was handed over from the %(from)s to the %(to)s",
                            "%(count)s persons were handed over from the %(from)s to the %(to)s",
                            count if form is None else form) % {
            "count": f"%(count_{i})s", "from": from_label.replace("%", "%%"), "to": to_label.replace("%", "%%")}
            for i, ((from_label, to_label), count) in enumerate(pairs)]
        return _("An exchange of prisoners and detainees took place in the last 24 hours: %(clauses)s.") % {
            "clauses": _join(clauses)}

    return sentence(message, people={f"count_{i}": count for i, (_pair, count) in enumerate(pairs)}, together=True)


def _join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def exchanges_section(period: ReportingPeriod) -> SitrepSection | None:
    now, before = summary(period.day), summary(period.day - dt.timedelta(days=1))
    if not (now.remains_recovered or now.exchanged_total or now.missing_open or now.detained
            or now.exchange_prepared):
        return None
    sentences = []
    if now.remains_exchanged or now.remains_received:
        sentences.append(sentence(
            lambda count: _("Remains of the dead continue to be recovered and exchanged with the help of the "
                            "neutral intermediary; %(identified)s have been identified and %(handed)s handed over "
                            "to families."),
            people={"identified": now.remains_identified, "handed": now.remains_handed_over}))
    today = _handed_over_today(now, before)
    if today:
        sentences.append(today)
    if now.exchange_prepared is not None:
        sentences.append(sentence(
            lambda count: _("An exchange of detainees (%(kind)s) has been agreed and is being prepared."),
            kind=str(now.exchange_prepared.get_kind_display())))
    elif now.detained and not today:
        # Before any agreement the work is still real: cases are open and the intermediary visits detainees.
        sentences.append(sentence(
            lambda count: _("Work continues through the neutral intermediary towards an exchange of prisoners and "
                            "detainees; %(count)s detention cases are open."), people={"count": now.detained}))
    elif now.detained:
        sentences.append(sentence(
            lambda count: ngettext("%(count)s detention case remains open.", "%(count)s detention cases remain "
                                   "open.", count), "count", people={"count": now.detained}))
    if now.exchanged_total and not today:
        sentences.append(sentence(
            lambda count: ngettext("%(count)s person has been exchanged to date.",
                                   "%(count)s persons have been exchanged to date.", count),
            "count", people={"count": now.exchanged_total}))
    day = period.day

    def remains(state: str) -> str:
        return _filtered("exchanges:case_list", day, state, kind="remains")

    figures = [
        Figure("exchanges.exchanged", _("Persons exchanged to date"), now.exchanged_total, before.exchanged_total,
               url=_filtered("exchanges:event_list", day, "exchanged"), people=True),
        Figure("exchanges.agreed", _("Agreed exchanges being prepared"), _agreed(period.day),
               _agreed(period.day - dt.timedelta(days=1)), url=_filtered("exchanges:event_list", day, "agreed")),
        Figure("exchanges.remains_recovered", _("Remains recovered"), now.remains_recovered,
               before.remains_recovered, url=remains("recovered"), people=True),
        Figure("exchanges.remains_identified", _("Remains identified"), now.remains_identified,
               before.remains_identified, url=remains("identified"), people=True),
        Figure("exchanges.remains_dna_week", _("Remains identified by DNA this week (last 7 days)"),
               _dna_week(day), _dna_week(day - dt.timedelta(days=1)), url=remains("dna_week"), people=True),
        Figure("exchanges.remains_dna_pending", _("Remains awaiting DNA identification"), now.remains_dna_pending,
               before.remains_dna_pending, url=remains("dna_pending"), people=True),
        Figure("exchanges.remains_handed_over", _("Remains handed over to families"), now.remains_handed_over,
               before.remains_handed_over, url=remains("handed_over"), people=True),
        Figure("exchanges.missing_open", _("Open missing-person cases"), now.missing_open, before.missing_open,
               url=_filtered("exchanges:case_list", day, "open", kind="missing"), people=True),
        Figure("exchanges.detained", _("Prisoners and detainees held (open detention cases)"), now.detained,
               before.detained, url=_filtered("exchanges:case_list", day, "held", kind="detention"), people=True),
    ]
    # Before the first exchange there is no direction to show; the table appears with the first handover.
    tables = [Table("exchanges.by_direction", _("Exchanged to date, by direction"),
                    [_("From"), _("To"), _("Persons")],
                    [[f, t, n] for (f, t), n in sorted(now.exchanged.items())], people_columns=[2])]
    return SitrepSection("exchanges", _("Exchanges and the missing"), 30, "", figures,
                         [t for t in tables if t.rows], sentences=sentences)


def exchanges_series(first_day: dt.date, last_day: dt.date) -> list[Series]:
    """The same figures as `summary(day)` for every day, from two reads (not two dozen queries a day)."""
    handed = Counter(ReportingPeriod.containing(at).day for at in Handover.objects.filter(
        handovers_by(last_day)).values_list("handed_at", flat=True) if at is not None)
    recovered = Counter(dict(RemainsCase.objects.filter(recovered_on__lte=last_day).values_list("recovered_on")
                             .annotate(n=Count("id")).values_list("recovered_on", "n")))
    exchanged_total = sum(n for day, n in handed.items() if day < first_day)
    recovered_total = sum(n for day, n in recovered.items() if day < first_day)
    points_exchanged, points_remains = [], []
    day = first_day
    while day <= last_day:
        exchanged_total += handed[day]
        recovered_total += recovered[day]
        points_exchanged.append((day, float(exchanged_total)))
        points_remains.append((day, float(recovered_total)))
        day += dt.timedelta(days=1)
    return [Series("exchanges.exchanged_total", _("Persons exchanged (cumulative)"), _("persons"),
                   points_exchanged, people=True),
            Series("exchanges.remains_recovered", _("Remains recovered (cumulative)"), _("remains"),
                   points_remains, people=True)]


def latest_day() -> dt.date | None:
    """The newest recovery of remains or exchange event."""
    days = [RemainsCase.objects.aggregate(m=Max("recovered_on"))["m"],
            ExchangeEvent.objects.aggregate(m=Max("date"))["m"]]
    return max((d for d in days if d), default=None)


SECTIONS = [exchanges_section]
LATEST_DAY = [latest_day]
SERIES = [exchanges_series]
