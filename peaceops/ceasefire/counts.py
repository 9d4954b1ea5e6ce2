"""Violation counts the way monitoring missions publish them: per reporting period, district and type, as lower
bounds ("at least N"), with the change from the previous period and the running total since the ceasefire."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.ceasefire.models import Incident, Status
from peaceops.ceasefire.taxonomy import IncidentType
from peaceops.core.models import Place
from peaceops.core.reporting import ReportingPeriod


def _periods(first_day: dt.date, last_day: dt.date) -> list[ReportingPeriod]:
    return [ReportingPeriod.ending_on(first_day + dt.timedelta(days=i)) for i in range((last_day - first_day).days + 1)]


def daily_rows(first_day: dt.date, last_day: dt.date, queryset=None) -> list[tuple[dt.date, int | None, str, int]]:
    """(reporting day, district id, type, count) for every combination with violations.

    The periods (computed in Python, so the cut-off and any change of UTC offset are honoured exactly) are joined
    to the incidents as a small VALUES table: the database does one index range scan per day and no per-row date
    arithmetic. A narrowed `queryset` takes the plain ORM path instead.
    """
    periods = _periods(first_day, last_day)
    if queryset is not None:
        qs = queryset.counted().filter(occurred_from__gte=periods[0].start, occurred_from__lt=periods[-1].end)
        buckets: dict[tuple, int] = defaultdict(int)
        for instant, district, kind in qs.values_list("occurred_from", "district_id", "incident_type"):
            buckets[(ReportingPeriod.containing(instant).day, district, kind)] += 1
        return [(d, district, kind, n) for (d, district, kind), n in buckets.items()]
    cast = "::timestamptz" if connection.vendor == "postgresql" else ""
    adapt = connection.ops.adapt_datetimefield_value
    values = ", ".join(f"(%s, %s{cast}, %s{cast})" for _p in periods)
    params: list = []
    for period in periods:
        params += [period.day.isoformat(), adapt(period.start), adapt(period.end)]
    table = Incident._meta.db_table
    sql = (f"WITH periods(day, start_at, end_at) AS (VALUES {values}) "
           f"SELECT periods.day, i.district_id, i.incident_type, COUNT(*) FROM periods "
           f"JOIN {table} i ON i.occurred_from >= periods.start_at AND i.occurred_from < periods.end_at "
           f"WHERE i.merged_into_id IS NULL AND i.status <> %s "
           f"GROUP BY periods.day, i.district_id, i.incident_type")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, Status.REFUTED])
        return [(dt.date.fromisoformat(str(day)), district, kind, n) for day, district, kind, n in cursor.fetchall()]


def daily_totals(first_day: dt.date, last_day: dt.date, queryset=None) -> dict[dt.date, int]:
    totals = {first_day + dt.timedelta(days=i): 0 for i in range((last_day - first_day).days + 1)}
    for day, _district, _kind, n in daily_rows(first_day, last_day, queryset):
        totals[day] = totals.get(day, 0) + n
    return totals


def running_total(day: dt.date, queryset=None) -> int:
    period = ReportingPeriod.ending_on(day)
    qs = queryset if queryset is not None else Incident.objects.all()
    return qs.counted().filter(occurred_from__gte=period.since_ceasefire_start, occurred_from__lt=period.end).count()


def at_least(n: int) -> str:
    """Counts are lower bounds: what was reported and not refuted, not everything that happened."""
    if n == 0:
        return _("none recorded")
    return ngettext("at least %(n)d violation", "at least %(n)d violations", n) % {"n": n}


@dataclass
class PeriodCounts:
    period: ReportingPeriod
    total: int
    previous: int
    running: int
    by_district: list[tuple[Place | None, dict[str, int], int]] = field(default_factory=list)
    killed: int = 0
    injured: int = 0
    verified: int = 0
    under_review: int = 0

    @property
    def change(self) -> int:
        return self.total - self.previous

    @property
    def wording(self) -> str:
        return at_least(self.total)


def for_period(day: dt.date, queryset=None) -> PeriodCounts:
    """Everything the counts page and the sitrep say about one reporting day."""
    from django.db.models import Sum

    period = ReportingPeriod.ending_on(day)
    base = queryset if queryset is not None else Incident.objects.all()
    rows = daily_rows(day - dt.timedelta(days=1), day, base)
    today = [r for r in rows if r[0] == day]
    previous = sum(n for d, _di, _k, n in rows if d == period.previous().day)
    per_district: dict[int | None, dict[str, int]] = defaultdict(dict)
    for _d, district, kind, n in today:
        per_district[district][kind] = per_district[district].get(kind, 0) + n
    places = Place.objects.in_bulk([pk for pk in per_district if pk])
    by_district = sorted(((places.get(pk) if pk else None, kinds, sum(kinds.values()))
                          for pk, kinds in per_district.items()), key=lambda row: (-row[2], str(row[0])))
    in_period = base.counted().filter(occurred_from__gte=period.start, occurred_from__lt=period.end)
    sums = in_period.aggregate(
        kc=Sum("killed_civilian"), km=Sum("killed_military"), ku=Sum("killed_unknown"),
        ic=Sum("injured_civilian"), im=Sum("injured_military"), iu=Sum("injured_unknown"))
    status = dict(in_period.order_by().values_list("status").annotate(n=Count("id")))
    return PeriodCounts(
        period=period, total=sum(r[3] for r in today), previous=previous, running=running_total(day, base),
        by_district=by_district,
        killed=sum(sums[k] or 0 for k in ("kc", "km", "ku")), injured=sum(sums[k] or 0 for k in ("ic", "im", "iu")),
        verified=status.get("verified", 0), under_review=status.get("under_review", 0) + status.get("reported", 0),
    )


def type_labels() -> dict[str, str]:
    return {value: str(label) for value, label in IncidentType.choices}


