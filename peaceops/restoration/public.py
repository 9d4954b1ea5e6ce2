"""Public block: region aggregates only — how many people have each life-support service today."""

from __future__ import annotations

from django.utils.translation import gettext as _

from peaceops.core.numbers import grouped
from peaceops.core.operation import operation_day
from peaceops.restoration.models import Facility, Sector
from peaceops.restoration.services import status


def services_block(request) -> list[dict]:
    if not Facility.objects.exists():
        return []
    snap = status.snapshot(operation_day())
    rows = [(_("People with %(service)s") % {"service": Sector(sector).label}, grouped(total.served), None)
            for sector, total in snap.totals.items()]
    return [{"template": "restoration/_public_services.html", "data": rows}]


BLOCKS = [services_block]
