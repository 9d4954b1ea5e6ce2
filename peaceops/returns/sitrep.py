"""The returns section of the daily sitrep and the dashboard curves."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.core.reporting import Figure, ReportingPeriod, Series, SitrepSection, Table, sentence
from peaceops.returns.flowreport import with_flows
from peaceops.returns.models import Convoy, ConvoyStatus
from peaceops.returns.services import daily_first_arrivals, returned_as_of
from peaceops.returns.services.convoys import arrived_in, carried


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def _convoys(period: ReportingPeriod):
    arrived = Convoy.objects.filter(arrived_in(period))
    people, cargo = carried(arrived)
    return arrived, arrived.count(), people, cargo


def _convoy_sentence(arrived, people: int, cargo: float) -> dict:
    """"2 escorted convoys arrived in Stepanakert / Khankendi: 1 with 1,400 returnees and 1 with 99 t of
    humanitarian cargo." — a convoy with a manifest carries returnees, one without carries cargo."""
    rows = list(arrived.annotate(heads=Count("manifest")).select_related("destination")
                .values_list("heads", "destination__name"))
    with_people = sum(1 for heads, _d in rows if heads)
    cargo_convoys = len(rows) - with_people
    places = sorted({name for _h, name in rows if name})
    cargo_text = _n(round(cargo) if float(cargo).is_integer() else round(cargo, 1))

    def message(_count) -> str:
        parts = []
        if with_people:
            # The count of people stays open ("%(people)s") for sentence() to fill in or reword.
            parts.append(ngettext("%(n)d with %(people)s returnees", "%(n)d with %(people)s returnees in all",
                                  with_people) % {"n": with_people, "people": "%(people)s"})
        if cargo_convoys:
            parts.append(_("%(n)d with %(cargo)s t of humanitarian cargo") % {
                "n": cargo_convoys, "cargo": cargo_text.replace("%", "%%")})
        text = ngettext("%(n)d escorted convoy arrived", "%(n)d escorted convoys arrived", len(rows)) % {
            "n": len(rows)}
        if places:
            text += " " + _("in %(places)s") % {"places": _(" and ").join(places).replace("%", "%%")}
        return text + ": " + _(" and ").join(parts) + "."

    return sentence(message, people={"people": people} if with_people else {})


def _corridors_used(arrived, period: ReportingPeriod) -> list[list[str]]:
    """[corridor, route, status that day, reason] for each corridor the period's arrived convoys used. The route
    is the settlements of its first and last checkpoint as the active language names them (the gazetteer's
    aliases); the status is
    the one in force when the period began, then each change within it ("restricted → open")."""
    from peaceops.returns.models import Corridor, CorridorStatus

    labels = dict(CorridorStatus.choices)
    rows = []
    for corridor in Corridor.objects.filter(pk__in=arrived.values("corridor")).order_by("name"):
        stops = [stop.place.parent or stop.place for stop in corridor.ordered_checkpoints()]  # its settlement
        route = f"{stops[0]} – {stops[-1]}" if len(stops) > 1 else ""
        start = corridor.status_at(period.start)
        changes = [start] if start else []
        changes += list(corridor.status_changes.filter(at__gt=period.start, at__lt=period.end).order_by("at", "id"))
        statuses = [str(labels[c.status]) for c in changes] or [str(labels[corridor.status])]
        reasons = "; ".join(c.reason for c in changes if c.reason)
        rows.append([corridor.name, route, " → ".join(statuses), reasons])
    return rows


def returns_section(period: ReportingPeriod) -> SitrepSection | None:
    now = returned_as_of(period.day)
    before = returned_as_of(period.previous().day)
    if not now.total and not Convoy.objects.exists():
        return None
    arrived, convoys, people, cargo = _convoys(period)
    _arrived, prev_convoys, prev_people, prev_cargo = _convoys(period.previous())
    url = reverse("returns:returned") + f"?as_of={period.day.isoformat()}"
    convoy_url = reverse("returns:convoy_list") + f"?arrived={period.day.isoformat()}"
    sentences = [sentence(lambda count: _("As of today, %(total)s people have returned, %(new)s of them in the last "
                                       "24 hours."), people={"total": now.total, "new": now.total - before.total})]
    corridors = _corridors_used(arrived, period) if convoys else []
    if convoys:
        sentences.append(_convoy_sentence(arrived, people, cargo))
        used = _(" and ").join(_("the corridor %(name)s (%(status)s that day)") % {
            "name": row[0], "status": row[2]} for row in corridors).replace("%", "%%")
        sentences.append(sentence(lambda _count: _("The convoys used %(corridors)s.") % {"corridors": used}))
    return SitrepSection(
        key="returns", title=_("Return of displaced people"), order=20, summary="", sentences=sentences,
        figures=[
            Figure("returns.total", _("Returned in total"), now.total, before.total, url=url, people=True),
            Figure("returns.in_period", _("Returned in the last 24 hours"), now.total - before.total,
                   before.last_24h, url=url, people=True),
            Figure("returns.convoys", _("Convoys escorted"), convoys, prev_convoys, url=convoy_url),
            Figure("returns.convoy_people", _("People carried in convoys"), people, prev_people, url=convoy_url,
                   people=True),
            Figure("returns.cargo", _("Humanitarian cargo delivered"), cargo, prev_cargo, unit="t", url=convoy_url),
        ],
        tables=[Table("returns.by_destination", _("Returned by destination settlement"),
                      [_("Settlement"), _("People")], [[str(p), n] for p, n in now.by_destination],
                      people_columns=[1]),
                Table("returns.corridors", _("Corridors the convoys used"),
                      [_("Corridor"), _("Route"), _("Status that day"), _("Reason")], corridors)])


def returns_series(first_day: dt.date, last_day: dt.date) -> list[Series]:
    rows = daily_first_arrivals(first_day, last_day)
    return [Series("returns.per_day", _("Returned per day"), _("people"), [(d, n) for d, n, _t in rows], True),
            Series("returns.cumulative", _("Returned in total"), _("people"), [(d, t) for d, _n, t in rows], True)]


def latest_day() -> dt.date | None:
    """The reporting day of the newest convoy arrival."""
    newest = Convoy.objects.filter(status=ConvoyStatus.ARRIVED).aggregate(m=Max("arrived_at"))["m"]
    return ReportingPeriod.containing(newest).day if newest else None


SECTIONS = [with_flows(returns_section)]  # + escorted/self-organised split and checkpoint flow counts
LATEST_DAY = [latest_day]
SERIES = [returns_series]
