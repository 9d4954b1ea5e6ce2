"""Restoration's dashboard card: people with each life-support service today, and clearance today."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.numbers import grouped, signed
from peaceops.core.params import page_day
from peaceops.core.roles import can
from peaceops.restoration.models import Facility, Sector, Work, WorkStatus
from peaceops.restoration.services import status


def services_section(request) -> list[dict]:
    if not can(request.user, "restoration.view"):
        return []
    day = page_day(request)
    if not Facility.objects.exists():
        return []
    today, yesterday = status.with_previous_day(day)
    url = reverse("restoration:status") + f"?as_of={day.isoformat()}"
    rows = []
    for sector, total in today.totals.items():
        change = total.served - yesterday.totals[sector].served
        value = grouped(total.served) + (f" ({signed(change)})" if change else "")
        rows.append((_("People with %(service)s") % {"service": Sector(sector).label}, value, url))
    ongoing = Work.objects.visible_to(request.user).filter(status=WorkStatus.ONGOING).count()
    rows.append((_("Works ongoing"), ongoing, reverse("restoration:work_list") + "?status=ongoing"))
    return [{"key": "restoration", "title": _("Life-support services"), "url": url,
             "template": "core/_section_figures.html", "data": rows}]


def land_release_section(request) -> list[dict]:
    """Land released this week by method, handed over, accidents and victims, and risk-education reach."""
    from peaceops.restoration.models import LandRelease, MineAccident, ReleaseMethod, RiskEducationSession
    from peaceops.restoration.services import land_release

    if not can(request.user, "restoration.view"):
        return []
    releases = LandRelease.objects.visible_to(request.user)
    accidents = MineAccident.objects.visible_to(request.user)
    sessions = RiskEducationSession.objects.visible_to(request.user)
    if not (releases.exists() or accidents.exists() or sessions.exists()):
        return []
    first, last = land_release.week_ending(page_day(request))
    week = land_release.figures(first, last, releases, accidents, sessions)
    url = reverse("restoration:mine_action") + f"?date={last.isoformat()}"
    span = f"?from={first.isoformat()}&to={last.isoformat()}"
    rows = [(_("Land %(method)s this week (m²)") % {"method": ReleaseMethod(m).label},
             grouped(int(week.by_method[m])), url) for m in ReleaseMethod.values]
    rows += [(_("Released land handed over this week (m²)"), grouped(int(week.handed_over_m2)), url),
             (_("Mine / ERW accidents this week"), str(week.accidents), reverse("restoration:accident_list") + span),
             (_("Killed / injured by mines and ERW this week"), f"{week.killed} / {week.injured}",
              reverse("restoration:accident_list") + span),
             (_("People reached by risk education this week"), grouped(week.reached),
              reverse("restoration:session_list") + span)]
    return [{"key": "land_release", "title": _("Land release and mine risk"), "url": url,
             "template": "core/_section_figures.html", "data": rows}]


SECTIONS = [services_section, land_release_section]
