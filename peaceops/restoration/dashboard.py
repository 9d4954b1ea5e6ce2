"""Restoration's dashboard card: people with each life-support service today, and clearance today."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core.numbers import grouped, signed
from peaceops.core.operation import page_day
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


SECTIONS = [services_section]
