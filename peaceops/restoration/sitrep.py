"""Restoration (order 40) and mine action (order 45) in the daily sitrep, and their dashboard curves."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.reporting import CEASEFIRE_EFFECTIVE, Figure, ReportingPeriod, Series, SitrepSection, Table
from peaceops.restoration.models import ClearanceReport, Facility, OrdnanceType, Sector
from peaceops.restoration.services import mine_action, status


def restoration_section(period: ReportingPeriod) -> SitrepSection | None:
    if not Facility.objects.exists():
        return None
    today, yesterday = status.with_previous_day(period.day)
    url = reverse("restoration:status") + f"?as_of={period.day.isoformat()}"
    figures = []
    for sector, total in today.totals.items():
        figures.append(Figure(f"restoration.people_with_{sector}",
                              _("People with %(service)s") % {"service": Sector(sector).label},
                              total.served, yesterday.totals[sector].served, url=url))
        figures.append(Figure(f"restoration.fully_{sector}",
                              _("People with full %(service)s") % {"service": Sector(sector).label},
                              total.full, yesterday.totals[sector].full, url=url))
    restored = [f for f in figures if f.change]
    parts = [_("%(service)s %(change)+d") % {"service": f.label, "change": f.change} for f in restored]
    summary = _("As of today, of the people in the settlements followed, %(water)s have water, %(power)s "
                "electricity and %(gas)s gas.") % {
        "water": f"{today.totals['water'].served:,}", "power": f"{today.totals['electricity'].served:,}",
        "gas": f"{today.totals['gas'].served:,}"}
    if parts:
        summary += " " + _("Since the previous day: %(changes)s.") % {"changes": "; ".join(parts)}
    sectors = [s for s in Sector.values if any(s in row.services for row in today.settlements)]
    rows = [[row.place.name, row.population, *[row.services[s].label if s in row.services else "—"
                                                for s in sectors]] for row in today.settlements]
    table = Table("restoration.settlements", _("Services per settlement"),
                  [_("Settlement"), _("Population"), *[str(Sector(s).label) for s in sectors]], rows)
    return SitrepSection("restoration", _("Restoration of life-support facilities"), 40, summary, figures, [table])


def mine_action_section(period: ReportingPeriod) -> SitrepSection | None:
    reports = ClearanceReport.objects.all()
    if not reports.exists():
        return None
    day = period.day
    today = mine_action.totals(day, day, reports)
    before = mine_action.totals(day - dt.timedelta(days=1), day - dt.timedelta(days=1), reports)
    total = mine_action.totals(CEASEFIRE_EFFECTIVE, day, reports)
    url = reverse("restoration:mine_action") + f"?date={day.isoformat()}"
    figures = [
        Figure("mine_action.area_ha", _("Area cleared"), float(today.area_ha), float(before.area_ha), "ha", url),
        Figure("mine_action.road_km", _("Road cleared"), float(today.road_km), float(before.road_km), "km", url),
        Figure("mine_action.found", _("Explosive ordnance found"), today.found, before.found, url=url),
        Figure("mine_action.destroyed", _("Explosive ordnance destroyed"), today.destroyed, before.destroyed,
               url=url),
        Figure("mine_action.total_area_ha", _("Area cleared since the ceasefire"), float(total.area_ha), None, "ha",
               url),
        Figure("mine_action.total_found", _("Explosive ordnance found since the ceasefire"), total.found, None,
               url=url),
    ]
    summary = _("In the last 24 hours %(area)s ha of land and %(road)s km of roads were cleared; %(found)s "
                "explosive objects were found and %(destroyed)s destroyed.") % {
        "area": today.area_ha, "road": today.road_km, "found": today.found, "destroyed": today.destroyed}
    labels = dict(OrdnanceType.choices)
    rows = [[str(labels.get(k, k)), *today.by_type.get(k, (0, 0)), *total.by_type[k]] for k in total.by_type]
    table = Table("mine_action.ordnance", _("Explosive ordnance by type"),
                  [_("Type"), _("Found today"), _("Destroyed today"), _("Found in total"), _("Destroyed in total")],
                  rows)
    return SitrepSection("mine_action", _("Mine action"), 45, summary, figures, [table])


def services_series(first_day: dt.date, last_day: dt.date) -> list[Series]:
    engine = status.StatusEngine()
    days = [first_day + dt.timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    snaps = [engine.snapshot(d) for d in days]
    return [Series(f"restoration.people_with_{sector}",
                   _("People with %(service)s") % {"service": Sector(sector).label}, _("people"),
                   [(s.as_of, float(s.totals[sector].served)) for s in snaps])
            for sector in status.LIFE_SUPPORT]


def clearance_series(first_day: dt.date, last_day: dt.date) -> list[Series]:
    daily = mine_action.daily_totals(first_day, last_day)
    return [
        Series("mine_action.area_ha", _("Area cleared per day"), "ha", [(t.first_day, float(t.area_ha))
                                                                       for t in daily]),
        Series("mine_action.road_km", _("Road cleared per day"), "km", [(t.first_day, float(t.road_km))
                                                                       for t in daily]),
        Series("mine_action.found", _("Explosive ordnance found per day"), _("items"),
               [(t.first_day, float(t.found)) for t in daily]),
    ]


SECTIONS = [restoration_section, mine_action_section]
SERIES = [services_series, clearance_series]
