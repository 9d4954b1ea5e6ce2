"""The ceasefire section of the daily report (order 10) and the violations-per-day curve."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.ceasefire import counts
from peaceops.ceasefire.models import ObservationPostLog, Patrol
from peaceops.ceasefire.taxonomy import VIOLATION_TYPES, IncidentType
from peaceops.core import mission
from peaceops.core.reporting import Figure, ReportingPeriod, Series, SitrepSection, Table


def _posts_manned(period: ReportingPeriod) -> int:
    return ObservationPostLog.objects.filter(counts.manned_in(period)).values("post").distinct().count()


def _patrols(period: ReportingPeriod):
    return Patrol.objects.filter(counts.patrolled_in(period))


def _join(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return _("%(list)s and %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def _violations_sentence(result, verified: int, open_cases: int) -> str:
    if not result.total:
        return _("No ceasefire violation was recorded.")
    casualties = (_("no casualties") if not (result.killed or result.injured) else
                  _("%(k)d killed and %(i)d injured") % {"k": result.killed, "i": result.injured})
    where = ", ".join(str(d or _("district unknown")) for d, _kinds, _n in result.by_district)
    if result.explosions:
        # OSCE-style: "N violations, including M explosions" (both lower bounds).
        text = ngettext(
            "At least %(n)d ceasefire violation was recorded (%(where)s), including %(explosions)s, %(casualties)s.",
            "At least %(n)d ceasefire violations were recorded (%(where)s), including %(explosions)s, "
            "%(casualties)s.", result.total) % {
            "n": result.total, "where": where, "casualties": casualties,
            "explosions": ngettext("%(m)d explosion", "%(m)d explosions", result.explosions) % {
                "m": result.explosions}}
    else:
        text = ngettext("At least %(n)d ceasefire violation was recorded (%(where)s), %(casualties)s.",
                        "At least %(n)d ceasefire violations were recorded (%(where)s), %(casualties)s.",
                        result.total) % {"n": result.total, "where": where, "casualties": casualties}
    if result.bursts:
        text += " " + ngettext("%(m)d burst of fire was counted.", "%(m)d bursts of fire were counted.",
                               result.bursts) % {"m": result.bursts}
    # Say what the verification workflow says, not more: verified, or still being investigated.
    if verified:
        text += " " + ngettext("%(n)d has been verified.", "%(n)d have been verified.", verified) % {"n": verified}
    if open_cases:
        text += " " + ngettext("%(n)d is under investigation with both sides.",
                               "%(n)d are under investigation with both sides.", open_cases) % {"n": open_cases}
    return text


def _other_reports(period: ReportingPeriod) -> dict[str, int]:
    """Reports of the types that are not violations (restrictions on the monitors, damage, casualties, other
    events) in the period, by type."""
    qs = (counts.Incident.objects.counted().exclude(incident_type__in=sorted(VIOLATION_TYPES))
          .filter(occurred_from__gte=period.start, occurred_from__lt=period.end))
    return dict(qs.order_by().values_list("incident_type").annotate(n=Count("id")))


def _other_reports_sentence(period: ReportingPeriod) -> str:
    others = _other_reports(period)
    parts = []
    if n := others.get(IncidentType.MOVEMENT_RESTRICTION):
        parts.append(ngettext("%(n)d restriction on the monitors' freedom of movement",
                              "%(n)d restrictions on the monitors' freedom of movement", n) % {"n": n})
    if n := others.get(IncidentType.INFRASTRUCTURE):
        parts.append(ngettext("%(n)d report of damage to civilian infrastructure",
                              "%(n)d reports of damage to civilian infrastructure", n) % {"n": n})
    if n := others.get(IncidentType.CIVILIAN_CASUALTIES):
        parts.append(ngettext("%(n)d report of civilian casualties", "%(n)d reports of civilian casualties", n)
                     % {"n": n})
    if not parts:
        return ""
    return " " + _("Also recorded: %(list)s.") % {"list": _join(parts)}


def ceasefire_section(period: ReportingPeriod) -> SitrepSection:
    result = counts.for_period(period.day)
    previous = period.previous()
    # Every figure carries its D−1 value, so the reports app need not build the whole section again for D−1.
    before = counts.for_period(previous.day)
    distance_before = _patrols(previous).aggregate(km=Sum("distance_km"))["km"] or 0
    day_query = f"?day={period.day.isoformat()}"
    list_url = reverse("ceasefire:incident_list") + day_query
    patrols = _patrols(period)
    routes = patrols.count()
    distance = patrols.aggregate(km=Sum("distance_km"))["km"] or 0
    manned = _posts_manned(period)
    labels = counts.type_labels()
    table = Table(
        key="ceasefire.by_district", title=_("Violations by district and type"),
        columns=[_("District"), _("Type"), _("Violations (at least)"), _("Verified"), _("Under investigation")],
        rows=[],
    )
    detail = (counts.Incident.objects.violations().filter(occurred_from__gte=period.start, occurred_from__lt=period.end)
              .values("district__name", "incident_type", "status").annotate(n=Count("id")))
    grouped: dict[tuple, list[int]] = {}
    for row in detail:
        cell = grouped.setdefault((row["district__name"] or _("district unknown"), labels[row["incident_type"]]),
                                  [0, 0, 0])
        cell[0] += row["n"]
        cell[1] += row["n"] if row["status"] == "verified" else 0
        cell[2] += row["n"] if row["status"] in ("reported", "under_review") else 0
    table.rows = [[d, t, *values] for (d, t), values in sorted(grouped.items())]
    summary = ngettext("%(posts)d observation post was manned.", "%(posts)d observation posts were manned.",
                       manned) % {"posts": manned} + " " + _violations_sentence(
        result, sum(v[1] for v in grouped.values()), sum(v[2] for v in grouped.values()))
    summary += _other_reports_sentence(period)
    if routes:
        # Name the routes, as the force's bulletins do ("in the Martakert, Martuni and Shushi districts").
        names = sorted(set(patrols.values_list("route_name", flat=True)))
        summary += " " + ngettext(
            "%(n)d route was patrolled (%(km)s km): %(routes)s.",
            "%(n)d routes were patrolled (%(km)s km in all): %(routes)s.", routes) % {
            "n": routes, "km": number_format(round(float(distance)), force_grouping=True), "routes": _join(names)}
    # Without violations the summary says so; a table of headers only would say nothing more.
    tables = [table] if table.rows else []
    return SitrepSection(
        key="ceasefire", title=_("Ceasefire compliance"), order=10, summary=summary,
        figures=[
            Figure("ceasefire.posts_manned", _("Observation posts manned"), manned, _posts_manned(previous),
                   url=reverse("ceasefire:post_logs") + day_query),
            Figure("ceasefire.violations", _("Ceasefire violations"), result.total, result.previous,
                   url=list_url, lower_bound=True),
            Figure("ceasefire.violations_total",
                   _("Violations since %(date)s") % {"date": date_format(mission.ceasefire_start())},
                   result.running, counts.running_total(previous.day),
                   url=reverse("ceasefire:incident_list") + f"?from={mission.ceasefire_start().isoformat()}"
                   + f"&to={period.day.isoformat()}&violations=1",
                   lower_bound=True),
            Figure("ceasefire.explosions", _("Explosions counted in violations"), result.explosions,
                   before.explosions, url=list_url, lower_bound=True),
            Figure("ceasefire.killed", _("Killed in violations"), result.killed, before.killed, url=list_url),
            Figure("ceasefire.injured", _("Injured in violations"), result.injured, before.injured, url=list_url),
            Figure("ceasefire.routes_patrolled", _("Routes patrolled"), routes, _patrols(previous).count(),
                   url=reverse("ceasefire:patrol_list") + day_query),
            Figure("ceasefire.patrol_km", _("Distance patrolled"), float(distance), float(distance_before), unit="km",
                   url=reverse("ceasefire:patrol_list") + day_query),
        ],
        tables=tables,
    )


def violations_series(first_day: dt.date, last_day: dt.date) -> list[Series]:
    totals = counts.daily_totals(first_day, last_day)
    return [Series("ceasefire.violations_per_day", _("Ceasefire violations per day (at least)"), _("violations"),
                   sorted((day, float(n)) for day, n in totals.items()))]


def latest_day() -> dt.date | None:
    """The newest reporting day with a patrol: where the dashboard opens when no report is stored yet."""
    newest = Patrol.objects.aggregate(m=Max("started_at"))["m"]
    return ReportingPeriod.containing(newest).day if newest else None


SECTIONS = [ceasefire_section]
LATEST_DAY = [latest_day]
SERIES = [violations_series]
