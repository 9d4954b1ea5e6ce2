"""Restoration (order 40) and mine action (order 45) in the daily sitrep, and their dashboard curves."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.core import mission
from peaceops.core.reporting import (
    Figure,
    ReportingPeriod,
    Series,
    SitrepSection,
    Table,
    sentence,
)
from peaceops.restoration.models import (
    ClearanceReport,
    Facility,
    LandRelease,
    MineAccident,
    OrdnanceType,
    ReleaseMethod,
    RiskEducationSession,
    Sector,
    Work,
)
from peaceops.restoration.services import land_release, mine_action, status, works


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def _decimal(value) -> str:
    """Hectares and kilometres to one decimal place, with the locale's separators."""
    return number_format(round(float(value), 1), decimal_pos=1, force_grouping=True)


def _join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def _summary(today, figures: list[Figure]) -> str:
    """Short plain sentences: coverage of the people followed, what nobody has yet, and what changed."""
    population = sum(row.population for row in today.settlements)
    served = [(str(Sector(sector).label), total.served) for sector, total in today.totals.items()]
    have = [(label, n) for label, n in served if n]
    sentences = [ngettext("%(population)s people live in the %(count)d settlement followed.",
                          "%(population)s people live in the %(count)d settlements followed.",
                          len(today.settlements)) % {"population": _n(population), "count": len(today.settlements)}]
    if have:
        listed = [_("%(n)s have %(service)s") % {"n": _n(n), "service": label} for label, n in have[:1]]
        listed += [_("%(n)s %(service)s") % {"n": _n(n), "service": label} for label, n in have[1:]]
        sentences.append(_("Of them, %(list)s, fully or in part.") % {"list": _join(listed)})
    missing = [label for label, n in served if not n]
    if missing:
        sentences.append(_("None of them has %(services)s yet.") % {"services": _(" or ").join(missing)})
    for figure in figures:
        if figure.change:
            # "The number of people with full electricity rose by 55,200."
            what = figure.label[0].lower() + figure.label[1:]
            template = (_("The number of %(what)s rose by %(n)s.") if figure.change > 0
                        else _("The number of %(what)s fell by %(n)s."))
            sentences.append(template % {"what": what, "n": _n(abs(figure.change))})
    return " ".join(sentences)


def _works(day: dt.date) -> tuple[int, int]:
    """(under way, completed) as of `day`, from the works' actual dates rather than today's status."""
    states = works.states_as_of(day)
    return Work.objects.filter(states["ongoing"]).count(), Work.objects.filter(states["completed"]).count()


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
    ongoing, completed = _works(period.day)
    before_ongoing, before_completed = _works(period.day - dt.timedelta(days=1))
    works_url = reverse("restoration:work_list") + f"?as_of={period.day.isoformat()}&state="
    summary = _summary(today, figures)
    if ongoing or completed:
        summary += " " + ngettext("%(n)d restoration project is under way", "%(n)d restoration projects are under way",
                                  ongoing) % {"n": ongoing} + "; " + ngettext(
            "%(n)d has been completed.", "%(n)d have been completed.", completed) % {"n": completed}
    figures += [Figure("restoration.works_ongoing", _("Restoration works under way"), ongoing, before_ongoing,
                       url=works_url + "ongoing"),
                Figure("restoration.works_completed", _("Restoration works completed"), completed,
                       before_completed, url=works_url + "completed")]
    sectors = [s for s in Sector.values if any(s in row.services for row in today.settlements)]
    rows = [[str(row.place), row.population, *[row.services[s].label if s in row.services else "—"
                                                for s in sectors]] for row in today.settlements]
    table = Table("restoration.settlements", _("Services per settlement"),
                  [_("Settlement"), _("Population"), *[capfirst(str(Sector(s).label)) for s in sectors]], rows)
    return SitrepSection("restoration", _("Restoration of life-support facilities"), 40, summary, figures, [table])


def _land_release_part(day: dt.date) -> tuple[list[Figure], list[dict], list[Table]]:
    """This week's land released by method, handovers, accidents and victims, and risk-education reach, each
    against the week before."""
    first, last = land_release.week_ending(day)
    week = land_release.figures(first, last)
    before = land_release.figures(first - dt.timedelta(days=7), first - dt.timedelta(days=1))
    since = land_release.figures(mission.ceasefire_start(), day)
    span = f"?from={first.isoformat()}&to={last.isoformat()}"
    area_url = reverse("restoration:mine_action") + f"?date={day.isoformat()}"
    accidents_url = reverse("restoration:accident_list") + span
    sessions_url = reverse("restoration:session_list") + span
    figures = [Figure(f"mine_action.released_{m}_m2",
                      _("Land %(method)s this week") % {"method": ReleaseMethod(m).label},
                      float(week.by_method[m]), float(before.by_method[m]), "m²", area_url)
               for m in ReleaseMethod.values]
    figures += [
        Figure("mine_action.released_m2", _("Land released this week"), float(week.released_m2),
               float(before.released_m2), "m²", area_url),
        Figure("mine_action.handed_over_m2", _("Released land handed over this week"), float(week.handed_over_m2),
               float(before.handed_over_m2), "m²", area_url),
        Figure("mine_action.total_released_m2", _("Land released since the ceasefire"), float(since.released_m2),
               None, "m²", area_url),
        Figure("mine_action.accidents", _("Mine / ERW accidents this week"), week.accidents, before.accidents,
               url=accidents_url),
        Figure("mine_action.killed", _("Killed by mines / ERW this week"), week.killed, before.killed,
               url=accidents_url, people=True),
        Figure("mine_action.injured", _("Injured by mines / ERW this week"), week.injured, before.injured,
               url=accidents_url, people=True),
        Figure("mine_action.reached", _("People reached by risk education this week"), week.reached,
               before.reached, url=sessions_url, people=True),
    ]
    sentences = [sentence(
        lambda n: _("In the seven days to %(day)s, %(released)s m² of land were released: %(cancelled)s m² "
                    "cancelled by non-technical survey, %(reduced)s m² reduced by technical survey and %(cleared)s "
                    "m² cleared; %(handed)s m² were handed over after quality assurance."),
        day=_decimal_day(day), released=_n(int(week.released_m2)),
        cancelled=_n(int(week.by_method["cancellation"])), reduced=_n(int(week.by_method["reduction"])),
        cleared=_n(int(week.by_method["clearance"])), handed=_n(int(week.handed_over_m2)))]
    if week.accidents:
        sentences.append(sentence(
            lambda n: ngettext("%(accidents)s mine / ERW accident was recorded: %(killed)s people killed and "
                               "%(injured)s injured.",
                               "%(accidents)s mine / ERW accidents were recorded: %(killed)s people killed and "
                               "%(injured)s injured.", week.accidents),
            people={"killed": week.killed, "injured": week.injured}, accidents=_n(week.accidents)))
    else:
        sentences.append(sentence(lambda n: _("No mine / ERW accident was recorded.")))
    if week.sessions:
        sentences.append(sentence(
            lambda n: ngettext("Risk education reached %(reached)s person.",
                               "Risk education reached %(reached)s people.", n),
            "reached", people={"reached": week.reached}))
    victims = Table("mine_action.victims", _("Mine / ERW victims this week"),
                    [_("Outcome"), _("Girls"), _("Boys"), _("Women"), _("Men")],
                    [[_("Killed"), *[week.victims_by_group[g][0] for g in MineAccident.GROUPS]],
                     [_("Injured"), *[week.victims_by_group[g][1] for g in MineAccident.GROUPS]]],
                    people_columns=[1, 2, 3, 4])
    reach = Table("mine_action.reach", _("Risk education this week"),
                  [_("Sessions"), _("Girls"), _("Boys"), _("Women"), _("Men")],
                  [[week.sessions, *[week.reach[g] for g in land_release.REACH_GROUPS]]], people_columns=[1, 2, 3, 4])
    return figures, sentences, [victims, reach]


def _decimal_day(day: dt.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j E Y")


def mine_action_section(period: ReportingPeriod) -> SitrepSection | None:
    reports = ClearanceReport.objects.all()
    has_land = (LandRelease.objects.exists() or MineAccident.objects.exists()
                or RiskEducationSession.objects.exists())
    if not reports.exists() and not has_land:
        return None
    day = period.day
    today = mine_action.totals(day, day, reports)
    before = mine_action.totals(day - dt.timedelta(days=1), day - dt.timedelta(days=1), reports)
    total = mine_action.totals(mission.ceasefire_start(), day, reports)
    # D−1 given here, so the reports app need not build the whole section again for the previous day.
    total_before = mine_action.totals(mission.ceasefire_start(), day - dt.timedelta(days=1), reports)
    url = reverse("restoration:mine_action") + f"?date={day.isoformat()}"
    since_url = url + f"&from={mission.ceasefire_start().isoformat()}"
    figures = [
        Figure("mine_action.area_ha", _("Area cleared"), float(today.area_ha), float(before.area_ha), "ha", url),
        Figure("mine_action.road_km", _("Road cleared"), float(today.road_km), float(before.road_km), "km", url),
        Figure("mine_action.found", _("Explosive ordnance found"), today.found, before.found, url=url),
        Figure("mine_action.destroyed", _("Explosive ordnance destroyed"), today.destroyed, before.destroyed,
               url=url),
        Figure("mine_action.total_area_ha", _("Area cleared since the ceasefire"), float(total.area_ha),
               float(total_before.area_ha), "ha",
               since_url),
        Figure("mine_action.total_found", _("Explosive ordnance found since the ceasefire"), total.found,
               total_before.found, url=since_url),
    ]
    sentences = [sentence(
        lambda n: _("In the last 24 hours %(area)s ha of land and %(road)s km of roads were cleared; %(found)s "
                    "explosive objects were found and %(destroyed)s destroyed."),
        area=_decimal(today.area_ha), road=_decimal(today.road_km), found=_n(today.found),
        destroyed=_n(today.destroyed)),
        sentence(lambda n: _("Since the ceasefire, %(area)s ha have been cleared and %(found)s explosive objects "
                             "found."), area=_decimal(total.area_ha), found=_n(total.found))]
    labels = dict(OrdnanceType.choices)
    rows = [[str(labels.get(k, k)), *today.by_type.get(k, (0, 0)), *total.by_type[k]] for k in total.by_type]
    tables = [Table("mine_action.ordnance", _("Explosive ordnance by type"),
                    [_("Type"), _("Found today"), _("Destroyed today"), _("Found in total"),
                     _("Destroyed in total")], rows)]
    if has_land:
        land_figures, land_sentences, land_tables = _land_release_part(day)
        figures += land_figures
        sentences += land_sentences
        tables += land_tables
    return SitrepSection("mine_action", _("Mine action"), 45, "", figures, tables, sentences=sentences)


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
        Series("mine_action.released_m2", _("Land released per day"), "m²",
               land_release.released_per_day(first_day, last_day)),
    ]


def latest_day() -> dt.date | None:
    """The newest clearance report."""
    return ClearanceReport.objects.aggregate(m=Max("date"))["m"]


SECTIONS = [restoration_section, mine_action_section]
LATEST_DAY = [latest_day]
SERIES = [services_series, clearance_series]
