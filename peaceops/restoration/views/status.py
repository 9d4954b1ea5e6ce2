"""Service status per settlement as of a date, with the change since the previous day."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render

from peaceops.core.permissions import require
from peaceops.restoration.models import Sector
from peaceops.restoration.models.facilities import LIFE_SUPPORT
from peaceops.restoration.services import status
from peaceops.restoration.views import as_of_date

ARROW = {("none", "partial"): "↑", ("none", "full"): "↑", ("partial", "full"): "↑",
         ("full", "partial"): "↓", ("full", "none"): "↓", ("partial", "none"): "↓"}


def status_context(day: dt.date) -> dict:
    today, yesterday = status.with_previous_day(day)
    previous = {s.place.pk: s for s in yesterday.settlements}
    sectors = [s for s in Sector.values if any(s in row.services for row in today.settlements)]
    rows = []
    for row in today.settlements:
        before = previous.get(row.place.pk)
        cells = []
        for sector in sectors:
            state = row.services.get(sector)
            old = before.services.get(sector) if before else None
            change = ARROW.get((old.level, state.level), "") if state and old else ""
            cells.append({"state": state, "change": change, "was": old.label if old and change else ""})
        rows.append({"settlement": row, "cells": cells})
    totals = []
    for sector in LIFE_SUPPORT:
        now, was = today.totals[sector], yesterday.totals[sector]
        totals.append({"sector": Sector(sector).label, "served": now.served, "full": now.full,
                       "partial": now.partial, "none": now.none, "change": now.served - was.served})
    return {"as_of": day, "previous": day - dt.timedelta(days=1), "sectors": [Sector(s).label for s in sectors],
            "rows": rows, "totals": totals}


@require("restoration.view")
def status_page(request):
    context = status_context(as_of_date(request))
    template = "restoration/_status_tables.html" if request.htmx else "restoration/status.html"
    return render(request, template, context)
