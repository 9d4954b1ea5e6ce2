"""Violation counts the way monitoring missions publish them: per reporting period, district and type, as lower
bounds ("at least N"), with the change from the previous period and the running total since the ceasefire."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Q, Sum, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.ceasefire.models import Incident
from peaceops.ceasefire.taxonomy import VIOLATION_TYPES, IncidentType
from peaceops.core.models import Place
from peaceops.core.reporting import ReportingPeriod, _cutoff


def manned_in(period: ReportingPeriod) -> Q:
    """Post-log entries of a manned shift overlapping the period: the sitrep counts their posts."""
    return Q(manned=True, shift_start__lt=period.end, shift_end__gt=period.start)


def patrolled_in(period: ReportingPeriod) -> Q:
    """Patrols that set out within the period."""
    return Q(started_at__gte=period.start, started_at__lt=period.end)


def _periods(first_day: dt.date, last_day: dt.date) -> list[ReportingPeriod]:
    return [ReportingPeriod.ending_on(first_day + dt.timedelta(days=i)) for i in range((last_day - first_day).days + 1)]


def daily_rows(first_day: dt.date, last_day: dt.date, queryset=None) -> list[tuple[dt.date, int | None, str, int]]:
    """(reporting day, district id, type, count) for every combination with violations.

    The whole range is one index range over the incidents' local date (see `_rows_by_local_time`); a narrowed
    `queryset` takes the plain ORM path instead.
    """
    periods = _periods(first_day, last_day)
    if queryset is not None:
        qs = queryset.violations().filter(occurred_from__gte=periods[0].start, occurred_from__lt=periods[-1].end)
        buckets: dict[tuple, int] = defaultdict(int)
        for instant, district, kind in qs.values_list("occurred_from", "district_id", "incident_type"):
            buckets[(ReportingPeriod.containing(instant).day, district, kind)] += 1
        return [(d, district, kind, n) for (d, district, kind), n in buckets.items()]
    return _rows_by_local_time(first_day, last_day, periods)


def _rows_by_local_time(first_day: dt.date, last_day: dt.date, periods: list[ReportingPeriod]):
    """Count from the incidents' local date and minute (kept on save) through `cf_incident_day_idx`.

    With a cut-off C, reporting day D holds local day D before C and local day D-1 from C on. One query groups by
    (local date, district, type) in index order and counts the rows before and from C; each local date then gives
    its early count to its own reporting day and its late count to the next one.
    """
    hours, minutes = _cutoff()
    cut = hours * 60 + minutes
    rows = (Incident.objects.violations().order_by()
            .filter(local_date__gte=first_day - dt.timedelta(days=1), local_date__lte=last_day)
            .values_list("local_date", "district_id", "incident_type")
            .annotate(early=Sum(Case(When(local_minute__lt=cut, then=1), default=0)),
                      late=Sum(Case(When(local_minute__gte=cut, then=1), default=0))))
    buckets: dict[tuple, int] = defaultdict(int)
    one = dt.timedelta(days=1)
    for local_date, district, kind, early, late in rows:
        if early and first_day <= local_date:
            buckets[(local_date, district, kind)] += early
        if late and local_date + one <= last_day:
            buckets[(local_date + one, district, kind)] += late
    return [(d, district, kind, n) for (d, district, kind), n in buckets.items()]


def daily_totals(first_day: dt.date, last_day: dt.date, queryset=None) -> dict[dt.date, int]:
    totals = {first_day + dt.timedelta(days=i): 0 for i in range((last_day - first_day).days + 1)}
    for day, _district, _kind, n in daily_rows(first_day, last_day, queryset):
        totals[day] = totals.get(day, 0) + n
    return totals


def running_total(day: dt.date, queryset=None) -> int:
    period = ReportingPeriod.ending_on(day)
    qs = queryset if queryset is not None else Incident.objects.all()
    return qs.violations().filter(occurred_from__gte=period.since_ceasefire_start, occurred_from__lt=period.end).count()


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
    # OSCE-style units counted within the violations (lower bounds: incidents without a count add nothing).
    explosions: int = 0
    bursts: int = 0
    rounds: int = 0

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
    violations = in_period.filter(incident_type__in=sorted(VIOLATION_TYPES))
    status = dict(violations.order_by().values_list("status").annotate(n=Count("id")))
    units = violations.aggregate(explosions=Sum("explosions"), bursts=Sum("bursts"), rounds=Sum("rounds"))
    return PeriodCounts(
        period=period, total=sum(r[3] for r in today), previous=previous, running=running_total(day, base),
        by_district=by_district,
        killed=sum(sums[k] or 0 for k in ("kc", "km", "ku")), injured=sum(sums[k] or 0 for k in ("ic", "im", "iu")),
        verified=status.get("verified", 0), under_review=status.get("under_review", 0) + status.get("reported", 0),
        explosions=units["explosions"] or 0, bursts=units["bursts"] or 0, rounds=units["rounds"] or 0,
    )


def type_labels() -> dict[str, str]:
    return {value: str(label) for value, label in IncidentType.choices}




def posts_manned(day: dt.date) -> int:
    """Observation posts with a manned shift in reporting day D (the sitrep's and the cross-check's figure)."""
    from peaceops.ceasefire.models import ObservationPostLog

    period = ReportingPeriod.ending_on(day)
    return ObservationPostLog.objects.filter(manned_in(period)).values("post").distinct().count()


def casualties_between(first_day: dt.date, last_day: dt.date, district_id: int | None = None) -> tuple[int, int]:
    """(killed, injured) in the counted incidents of reporting days first_day…last_day, optionally in one
    district: the figures a published casualty claim is read against."""
    start, end = ReportingPeriod.ending_on(first_day).start, ReportingPeriod.ending_on(last_day).end
    qs = Incident.objects.counted().filter(occurred_from__gte=start, occurred_from__lt=end)
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    sums = qs.aggregate(kc=Sum("killed_civilian"), km=Sum("killed_military"), ku=Sum("killed_unknown"),
                        ic=Sum("injured_civilian"), im=Sum("injured_military"), iu=Sum("injured_unknown"))
    return (sum(sums[k] or 0 for k in ("kc", "km", "ku")), sum(sums[k] or 0 for k in ("ic", "im", "iu")))
