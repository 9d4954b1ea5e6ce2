"""Mine action: hazardous areas with checked geometry, clearance tasks, daily reports and their totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from peaceops.restoration.models import (
    ClearanceReport,
    ClearanceTask,
    HazardousArea,
    OrdnanceCount,
    OrdnanceType,
)

M2_PER_HA = Decimal(10000)


def _position(value, where: str) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) < 2:
        raise ValidationError({"geometry": _("%(where)s is not a [longitude, latitude] pair.") % {"where": where}})
    try:
        lon, lat = float(value[0]), float(value[1])
    except (TypeError, ValueError):
        raise ValidationError({"geometry": _("%(where)s is not a pair of numbers.") % {"where": where}}) from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError({"geometry": _("%(where)s lies outside the globe; are longitude and latitude "
                                             "swapped?") % {"where": where}})
    return lon, lat


def validate_geometry(geometry) -> dict:
    """A GeoJSON Point or Polygon. A polygon's rings need four positions or more and must close (last = first)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Point", "Polygon"):
        raise ValidationError({"geometry": _("The geometry must be a GeoJSON Point or Polygon.")})
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Point":
        lon, lat = _position(coordinates, _("The point"))
        return {"type": "Point", "coordinates": [lon, lat]}
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError({"geometry": _("A polygon needs at least one ring of positions.")})
    rings = []
    for number, ring in enumerate(coordinates, start=1):
        if not isinstance(ring, list) or len(ring) < 4:
            raise ValidationError({"geometry": _("Ring %(n)s of the polygon needs at least four positions (the "
                                                 "last repeating the first).") % {"n": number}})
        points = [_position(p, _("Position %(i)s of ring %(n)s") % {"i": i, "n": number})
                  for i, p in enumerate(ring, start=1)]
        if points[0] != points[-1]:
            raise ValidationError({"geometry": _("The polygon does not close: ring %(n)s ends at %(last)s, not at "
                                                 "its first position %(first)s.")
                                   % {"n": number, "last": list(points[-1]), "first": list(points[0])}})
        rings.append([list(p) for p in points])
    return {"type": "Polygon", "coordinates": rings}


def centroid(geometry: dict) -> tuple[float, float]:
    """(lon, lat) of a point, or the mean of a polygon's outer ring (enough to place a marker)."""
    if geometry["type"] == "Point":
        return tuple(geometry["coordinates"][:2])
    ring = geometry["coordinates"][0][:-1]
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


@transaction.atomic
def save_hazardous_area(area: HazardousArea) -> HazardousArea:
    """Checked geometry and size; once land has been released from it, its status follows the releases
    (services.land_release)."""
    from peaceops.restoration.services import land_release

    area.geometry = validate_geometry(area.geometry)
    land_release.check_area_size(area)
    if area.pk:
        area.status = land_release.derived_status(area.status, land_release.balance(area))
    area.full_clean()
    area.save()
    return area


@transaction.atomic
def save_task(task: ClearanceTask) -> ClearanceTask:
    if task.start and task.end and task.end < task.start:
        raise ValidationError({"end": _("The task cannot end before it starts.")})
    task.full_clean()
    task.save()
    return task


def to_m2(value: Decimal | float | str, unit: str) -> Decimal:
    """Areas arrive in m² or hectares; they are kept in m²."""
    amount = Decimal(str(value))
    if unit == "ha":
        return amount * M2_PER_HA
    if unit != "m2":
        raise ValidationError({"unit": _("Give the area in m² or ha.")})
    return amount


@transaction.atomic
def record_daily_report(task: ClearanceTask, date: dt.date, area_cleared_m2=0, road_cleared_km=0,
                        ordnance: dict[str, tuple[int, int]] | None = None, notes: str = "") -> ClearanceReport:
    """One report per task and day; `ordnance` maps an ordnance type to (found, destroyed)."""
    errors: dict[str, list[str]] = {}
    area, road = Decimal(str(area_cleared_m2 or 0)), Decimal(str(road_cleared_km or 0))
    if area < 0:
        errors.setdefault("area_cleared_m2", []).append(_("The area cleared cannot be negative."))
    if road < 0:
        errors.setdefault("road_cleared_km", []).append(_("The road length cleared cannot be negative."))
    if task.start and date < task.start:
        errors.setdefault("date", []).append(_("The report is dated before the task started."))
    if ClearanceReport.objects.filter(task=task, date=date).exists():
        errors.setdefault("date", []).append(_("This task already has a report for %(date)s.") % {"date": date})
    counts = {}
    for kind, (found, destroyed) in (ordnance or {}).items():
        if kind not in OrdnanceType.values:
            errors.setdefault("ordnance", []).append(_("Unknown ordnance type “%(kind)s”.") % {"kind": kind})
            continue
        if int(found) < 0 or int(destroyed) < 0:
            errors.setdefault("ordnance", []).append(_("Ordnance counts cannot be negative."))
            continue
        if int(destroyed) > int(found):
            errors.setdefault("ordnance", []).append(
                _("%(type)s: %(destroyed)s destroyed but only %(found)s found; more items cannot be destroyed "
                  "than found.") % {"type": OrdnanceType(kind).label, "destroyed": destroyed, "found": found})
            continue
        if found or destroyed:
            counts[kind] = (int(found), int(destroyed))
    if errors:
        raise ValidationError(errors)
    report = ClearanceReport(task=task, date=date, area_cleared_m2=area, road_cleared_km=road, notes=notes)
    report.full_clean()
    report.save()
    OrdnanceCount.objects.bulk_create(
        [OrdnanceCount(report=report, ordnance_type=k, found=f, destroyed=d) for k, (f, d) in counts.items()])
    return report


@dataclass
class ClearanceTotals:
    first_day: dt.date
    last_day: dt.date
    area_m2: Decimal = Decimal(0)
    road_km: Decimal = Decimal(0)
    found: int = 0
    destroyed: int = 0
    by_type: dict[str, tuple[int, int]] = field(default_factory=dict)  # type → (found, destroyed)

    @property
    def area_ha(self) -> Decimal:
        return (self.area_m2 / M2_PER_HA).quantize(Decimal("0.01"))


def totals(first_day: dt.date, last_day: dt.date, reports=None) -> ClearanceTotals:
    """Sums of the daily reports dated first_day … last_day (both included)."""
    reports = (reports if reports is not None else ClearanceReport.objects.all()).filter(
        date__gte=first_day, date__lte=last_day)
    sums = reports.aggregate(area=Sum("area_cleared_m2"), road=Sum("road_cleared_km"))
    result = ClearanceTotals(first_day, last_day, sums["area"] or Decimal(0), sums["road"] or Decimal(0))
    rows = (OrdnanceCount.objects.filter(report__in=reports).values("ordnance_type")
            .annotate(found=Sum("found"), destroyed=Sum("destroyed")).order_by("ordnance_type"))
    for row in rows:
        result.by_type[row["ordnance_type"]] = (row["found"], row["destroyed"])
        result.found += row["found"]
        result.destroyed += row["destroyed"]
    return result


def daily_totals(first_day: dt.date, last_day: dt.date, reports=None) -> list[ClearanceTotals]:
    """One total per day, days without reports included (as zeros): two queries grouped by date, not two per
    day (the sitrep's curves run from the ceasefire to the report's day)."""
    reports = (reports if reports is not None else ClearanceReport.objects.all()).filter(
        date__gte=first_day, date__lte=last_day)
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    result = {day: ClearanceTotals(day, day) for day in days}
    for day, area, road in (reports.values_list("date").annotate(area=Sum("area_cleared_m2"),
                                                                 road=Sum("road_cleared_km"))
                            .values_list("date", "area", "road")):
        result[day].area_m2, result[day].road_km = area or Decimal(0), road or Decimal(0)
    rows = (OrdnanceCount.objects.filter(report__in=reports).values_list("report__date", "ordnance_type")
            .annotate(found=Sum("found"), destroyed=Sum("destroyed")).order_by("report__date", "ordnance_type"))
    for day, kind, found, destroyed in rows:
        result[day].by_type[kind] = (found, destroyed)
        result[day].found += found
        result[day].destroyed += destroyed
    return list(result.values())
