"""Land release in the IMAS 07.11 sense: each hazardous area's m² released by cancellation (non-technical
survey), reduction (technical survey) and clearance, with the area's remaining m² and status computed from those
records; quality assurance and handover of released land; mine/ERW accidents and their victims; explosive
ordnance risk education; and which hazardous area a ceasefire mine/UXO incident lies in.

The link to ceasefire incidents is computed here, on the restoration side: the ceasefire app knows nothing of
hazardous areas (docs/architecture.md, dependency direction), and this module reads its incidents through the app
registry, so restoration still works without the ceasefire app installed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from peaceops.restoration.models import (
    HazardousArea,
    HazardStatus,
    LandRelease,
    MineAccident,
    OrdnanceType,
    QAResult,
    ReleaseMethod,
    RiskEducationSession,
)

ZERO = Decimal(0)
VICTIM_GROUPS = MineAccident.GROUPS  # girls, boys, women, men
REACH_GROUPS = ("girls", "boys", "women", "men")


def _m2(value) -> str:
    return number_format(Decimal(value).quantize(Decimal("0.1")).normalize(), force_grouping=True)


# --- Geometry: which area a point lies in ---

def _in_ring(lon: float, lat: float, ring: list) -> bool:
    """Ray casting: does a horizontal ray from the point cross the ring an odd number of times?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < crossing:
                inside = not inside
    return inside


def contains(geometry: dict, lat: float, lon: float) -> bool:
    """True when (lat, lon) lies inside a GeoJSON Polygon (in its outer ring, outside its holes). A Point
    geometry contains nothing: a spot task is linked by place instead."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        return False
    rings = [[(float(p[0]), float(p[1])) for p in ring] for ring in geometry.get("coordinates") or []]
    if not rings or not _in_ring(lon, lat, rings[0]):
        return False
    return not any(_in_ring(lon, lat, hole) for hole in rings[1:])


def _locate(latitude, longitude, place_id, areas: list[HazardousArea]) -> HazardousArea | None:
    if latitude is not None and longitude is not None:
        lat, lon = float(latitude), float(longitude)
        for area in areas:
            if contains(area.geometry, lat, lon):
                return area
    if place_id is not None:
        return next((a for a in areas if a.place_id == place_id), None)
    return None


def area_containing(latitude=None, longitude=None, place=None, areas=None) -> HazardousArea | None:
    """The hazardous area a location lies in: by point in polygon when coordinates are known and some area's
    polygon holds them, else the area recorded at the same place (the first by code). None when neither."""
    areas = areas if areas is not None else HazardousArea.objects.all()
    return _locate(latitude, longitude, getattr(place, "pk", place), list(areas.order_by("code")))


def _incident_model():
    try:
        return apps.get_model("ceasefire", "Incident")
    except LookupError:
        return None


MINE_INCIDENT_TYPE = "mine_uxo"


def incidents_in_area(area: HazardousArea, incidents=None) -> list:
    """The ceasefire mine/UXO incidents that lie in this area, by the rule of `area_of_incident`: inside its
    polygon when the incident has coordinates, else at its place. `incidents` narrows them (a user's visible
    ones)."""
    model = _incident_model()
    if model is None:
        return []
    incidents = incidents if incidents is not None else model.objects.all()
    incidents = incidents.filter(incident_type=MINE_INCIDENT_TYPE)
    candidates = Q(place_id=area.place_id) if area.place_id else Q(pk__in=[])
    if area.geometry.get("type") == "Polygon":
        lons = [p[0] for p in area.geometry["coordinates"][0]]
        lats = [p[1] for p in area.geometry["coordinates"][0]]
        candidates |= Q(latitude__gte=min(lats), latitude__lte=max(lats), longitude__gte=min(lons),
                        longitude__lte=max(lons))
    areas = list(HazardousArea.objects.order_by("code"))
    found = [i for i in incidents.filter(candidates).order_by("-occurred_from", "-id")
             if (hit := _locate(i.latitude, i.longitude, i.place_id, areas)) is not None and hit.pk == area.pk]
    return found


def area_of_incident(incident) -> HazardousArea | None:
    """The hazardous area a ceasefire incident lies in (shown on the area's page and in the API)."""
    return area_containing(incident.latitude, incident.longitude, incident.place_id)


# --- Balance and status of an area ---

@dataclass
class AreaBalance:
    estimated_m2: Decimal | None
    cancelled_m2: Decimal = ZERO
    reduced_m2: Decimal = ZERO
    cleared_m2: Decimal = ZERO
    handed_over_m2: Decimal = ZERO

    @property
    def released_m2(self) -> Decimal:
        return self.cancelled_m2 + self.reduced_m2 + self.cleared_m2

    @property
    def remaining_m2(self) -> Decimal | None:
        return None if self.estimated_m2 is None else max(ZERO, self.estimated_m2 - self.released_m2)

    @property
    def awaiting_handover_m2(self) -> Decimal:
        return self.released_m2 - self.handed_over_m2


def balance(area: HazardousArea, as_of: dt.date | None = None) -> AreaBalance:
    releases = LandRelease.objects.filter(area=area)
    if as_of:
        releases = releases.filter(date__lte=as_of)
    result = AreaBalance(area.estimated_area_m2)
    for method, total in releases.values_list("method").annotate(total=Sum("area_m2")).values_list("method",
                                                                                                  "total"):
        setattr(result, {"cancellation": "cancelled_m2", "reduction": "reduced_m2",
                         "clearance": "cleared_m2"}[method], total or ZERO)
    handed = releases.filter(handed_over_on__isnull=False)
    if as_of:
        handed = handed.filter(handed_over_on__lte=as_of)
    result.handed_over_m2 = handed.aggregate(s=Sum("area_m2"))["s"] or ZERO
    return result


def balances(areas) -> dict[int, AreaBalance]:
    """Balances of many areas in two queries (the overview lists them all)."""
    areas = list(areas)
    result = {a.pk: AreaBalance(a.estimated_area_m2) for a in areas}
    rows = (LandRelease.objects.filter(area__in=areas).values_list("area", "method")
            .annotate(total=Sum("area_m2"), handed=Sum("area_m2", filter=Q(handed_over_on__isnull=False))))
    names = {"cancellation": "cancelled_m2", "reduction": "reduced_m2", "clearance": "cleared_m2"}
    for area_id, method, total, handed in rows:
        setattr(result[area_id], names[method], total or ZERO)
        result[area_id].handed_over_m2 += handed or ZERO
    return result


def derived_status(current: str, b: AreaBalance) -> str:
    """The status the releases give: fully released → cleared (some m² cleared), cancelled (all by non-technical
    survey) or released (by survey, some by technical survey); otherwise suspected or confirmed, and confirmed
    as soon as any m² has been cleared (clearance found the hazard). Without releases the status stays as set."""
    if not b.released_m2:
        return current
    if b.remaining_m2 is not None and b.remaining_m2 <= 0:
        if b.cleared_m2:
            return HazardStatus.CLEARED
        return HazardStatus.RELEASED if b.reduced_m2 else HazardStatus.CANCELLED
    if b.cleared_m2 or current == HazardStatus.CONFIRMED:
        return HazardStatus.CONFIRMED
    if current in (HazardStatus.CLEARED, HazardStatus.RELEASED):
        return HazardStatus.CONFIRMED
    return HazardStatus.SUSPECTED


def refresh_status(area: HazardousArea) -> HazardousArea:
    status = derived_status(area.status, balance(area))
    if status != area.status:
        area.status = status
        area.save(update_fields=["status", "updated_at"])
    return area


def check_area_size(area: HazardousArea) -> None:
    """Raised by save_hazardous_area: a size of zero or below, or below what has already been released."""
    if area.estimated_area_m2 is None:
        return
    if area.estimated_area_m2 <= 0:
        raise ValidationError({"estimated_area_m2": _("The area must be more than 0 m².")})
    if area.pk:
        released = balance(area).released_m2
        if area.estimated_area_m2 < released:
            raise ValidationError({"estimated_area_m2": _(
                "%(released)s m² of this area have already been released; its size cannot be smaller.")
                % {"released": _m2(released)}})


# --- Recording ---

@transaction.atomic
def record_release(area: HazardousArea, date: dt.date, method: str, area_m2, team: str, organisation=None,
                   task=None, notes: str = "") -> LandRelease:
    """Release `area_m2` of `area` by `method` on `date`; refused beyond what remains, before the area was
    reported, or before the task started. The area's status follows."""
    area = HazardousArea.objects.select_for_update().get(pk=area.pk)  # two releases at once cannot overdraw it
    errors: dict[str, list[str]] = {}
    try:
        amount = Decimal(str(area_m2))
    except ArithmeticError:
        amount = None
    if amount is None or not amount.is_finite():
        errors.setdefault("area_m2", []).append(_("Give the area released as a number of m²."))
    elif amount <= 0:
        errors.setdefault("area_m2", []).append(_("The area released must be more than 0 m²."))
    if method not in ReleaseMethod.values:
        errors.setdefault("method", []).append(_("Say how the land was released: cancellation, reduction or "
                                                 "clearance."))
    if not (team or "").strip():
        errors.setdefault("team", []).append(_("Name the team that released the land."))
    if date < area.reported_on:
        errors.setdefault("date", []).append(_("The release is dated before the area was reported (%(day)s).")
                                             % {"day": area.reported_on.isoformat()})
    if task is not None:
        if task.hazardous_area_id != area.pk:
            errors.setdefault("task", []).append(_("Task %(task)s works on another area.") % {"task": task.code})
        elif task.start and date < task.start:
            errors.setdefault("date", []).append(_("The release is dated before task %(task)s started.")
                                                 % {"task": task.code})
    if area.estimated_area_m2 is None:
        errors.setdefault("area", []).append(_("Give the size of %(area)s before releasing land from it.")
                                             % {"area": area.code})
    elif amount is not None and amount.is_finite() and amount > 0:
        remaining = balance(area).remaining_m2  # known: the area has its size
        if remaining is not None and amount > remaining:
            errors.setdefault("area_m2", []).append(_(
                "Only %(remaining)s m² of %(area)s remain to be released; %(amount)s m² is more than that.")
                % {"remaining": _m2(remaining), "area": area.code, "amount": _m2(amount)})
    if errors:
        raise ValidationError(errors)
    assert amount is not None  # refused above otherwise
    release = LandRelease(area=area, date=date, method=method, area_m2=amount, team=team.strip(),
                          organisation=organisation, task=task, notes=notes)
    release.full_clean()
    release.save()
    refresh_status(area)
    return release


@transaction.atomic
def record_qa(release: LandRelease, date: dt.date, result: str, inspector: str) -> LandRelease:
    """A quality assurance inspection of released land. A failed one may be followed by another; after the
    handover the inspection stands."""
    release = LandRelease.objects.select_for_update().get(pk=release.pk)
    errors: dict[str, list[str]] = {}
    if result not in (QAResult.PASSED, QAResult.FAILED):
        errors.setdefault("qa_result", []).append(_("The inspection either passed or failed."))
    if date < release.date:
        errors.setdefault("qa_date", []).append(_("The inspection is dated before the land was released (%(day)s).")
                                                % {"day": release.date.isoformat()})
    if release.qa_date and date < release.qa_date:
        errors.setdefault("qa_date", []).append(_("An inspection on %(day)s is already recorded; a new one cannot "
                                                  "be earlier.") % {"day": release.qa_date.isoformat()})
    if not (inspector or "").strip():
        errors.setdefault("qa_inspector", []).append(_("Name who inspected the land."))
    if release.handed_over_on is not None:
        errors.setdefault("qa_result", []).append(_("This land was handed over on %(day)s; its inspection is "
                                                    "closed.") % {"day": release.handed_over_on.isoformat()})
    if errors:
        raise ValidationError(errors)
    release.qa_date, release.qa_result, release.qa_inspector = date, result, inspector.strip()
    release.save()
    return release


@transaction.atomic
def hand_over(release: LandRelease, date: dt.date, recipient: str) -> LandRelease:
    """Hand released land over to its users; only after a passed quality assurance inspection."""
    release = LandRelease.objects.select_for_update().get(pk=release.pk)
    errors: dict[str, list[str]] = {}
    if release.handed_over_on is not None:
        errors.setdefault("handed_over_on", []).append(_("This land was already handed over on %(day)s.")
                                                       % {"day": release.handed_over_on.isoformat()})
    elif release.qa_result != QAResult.PASSED or release.qa_date is None:  # a passed inspection has its date
        errors.setdefault("handed_over_on", []).append(
            _("Land is handed over only after it passes quality assurance."))
    elif date < release.qa_date:
        errors.setdefault("handed_over_on", []).append(
            _("The handover is dated before the quality assurance inspection (%(day)s).")
            % {"day": release.qa_date.isoformat()})
    if not (recipient or "").strip():
        errors.setdefault("handed_over_to", []).append(_("Name who received the land."))
    if errors:
        raise ValidationError(errors)
    release.handed_over_on, release.handed_over_to = date, recipient.strip()
    release.save()
    return release


def _check_counts(record, names: list[str], errors: dict) -> None:
    for name in names:
        value = getattr(record, name)
        if value is None or int(value) < 0:
            errors.setdefault(name, []).append(_("Counts of people cannot be negative."))


@transaction.atomic
def save_accident(accident: MineAccident) -> MineAccident:
    """An accident needs a place, coordinates or a hazardous area; without an area given it is linked to the
    one its coordinates (or place) lie in."""
    errors: dict[str, list[str]] = {}
    _check_counts(accident, [f"{o}_{g}" for o in ("killed", "injured") for g in VICTIM_GROUPS], errors)
    if accident.device not in OrdnanceType.values:
        errors.setdefault("device", []).append(_("Say which kind of device caused the accident."))
    if (accident.latitude is None) != (accident.longitude is None):
        errors.setdefault("latitude", []).append(_("Give both latitude and longitude, or neither."))
    if accident.place_id is None and accident.latitude is None and accident.area_id is None:
        errors.setdefault("place", []).append(_("Say where: a place, coordinates or the hazardous area."))
    if errors:
        raise ValidationError(errors)
    if accident.area_id is None:
        accident.area = area_containing(accident.latitude, accident.longitude, accident.place)
    accident.full_clean()
    accident.save()
    return accident


@transaction.atomic
def save_session(session: RiskEducationSession) -> RiskEducationSession:
    errors: dict[str, list[str]] = {}
    _check_counts(session, list(REACH_GROUPS), errors)
    if not errors and not sum(int(getattr(session, g)) for g in REACH_GROUPS):
        errors.setdefault("girls", []).append(_("A session reaches someone: give the participants by sex and "
                                                "age group."))
    if session.place_id is None:
        errors.setdefault("place", []).append(_("Say where the session was held."))
    if errors:
        raise ValidationError(errors)
    session.full_clean()
    session.save()
    return session


# --- Figures ---

@dataclass
class LandReleaseFigures:
    first_day: dt.date
    last_day: dt.date
    by_method: dict[str, Decimal] = field(default_factory=dict)  # method → m²
    handed_over_m2: Decimal = ZERO
    accidents: int = 0
    killed: int = 0
    injured: int = 0
    victims_by_group: dict[str, tuple[int, int]] = field(default_factory=dict)  # group → (killed, injured)
    sessions: int = 0
    reach: dict[str, int] = field(default_factory=dict)  # group → participants

    @property
    def released_m2(self) -> Decimal:
        return sum(self.by_method.values(), ZERO)

    @property
    def victims(self) -> int:
        return self.killed + self.injured

    @property
    def reached(self) -> int:
        return sum(self.reach.values())


def figures(first_day: dt.date, last_day: dt.date, releases=None, accidents=None, sessions=None
            ) -> LandReleaseFigures:
    """Land released by method and handed over, accidents and victims, and risk-education reach, dated
    first_day … last_day (both included)."""
    releases = releases if releases is not None else LandRelease.objects.all()
    accidents = accidents if accidents is not None else MineAccident.objects.all()
    sessions = sessions if sessions is not None else RiskEducationSession.objects.all()
    result = LandReleaseFigures(first_day, last_day, {m: ZERO for m in ReleaseMethod.values})
    span = {"date__gte": first_day, "date__lte": last_day}
    for method, total in (releases.filter(**span).values_list("method").annotate(t=Sum("area_m2"))
                          .values_list("method", "t")):
        result.by_method[method] = total or ZERO
    result.handed_over_m2 = releases.filter(handed_over_on__gte=first_day, handed_over_on__lte=last_day).aggregate(
        s=Sum("area_m2"))["s"] or ZERO
    sums = accidents.filter(**span).aggregate(
        n=Count("id"), **{f"{o}_{g}": Sum(f"{o}_{g}") for o in ("killed", "injured") for g in VICTIM_GROUPS})
    result.accidents = sums.pop("n")
    for group in VICTIM_GROUPS:
        killed, injured = sums[f"killed_{group}"] or 0, sums[f"injured_{group}"] or 0
        result.victims_by_group[group] = (killed, injured)
        result.killed += killed
        result.injured += injured
    reach = sessions.filter(**span).aggregate(n=Count("id"), **{g: Sum(g) for g in REACH_GROUPS})
    result.sessions = reach.pop("n")
    result.reach = {g: reach[g] or 0 for g in REACH_GROUPS}
    return result


def week_ending(day: dt.date) -> tuple[dt.date, dt.date]:
    """The seven days ending on `day`: the sitrep's "this week"."""
    return day - dt.timedelta(days=6), day


def released_per_day(first_day: dt.date, last_day: dt.date) -> list[tuple[dt.date, float]]:
    """m² released per day, all methods together, days without releases as zeros (one query)."""
    days = {first_day + dt.timedelta(days=n): 0.0 for n in range((last_day - first_day).days + 1)}
    for day, total in (LandRelease.objects.filter(date__gte=first_day, date__lte=last_day).values_list("date")
                       .annotate(t=Sum("area_m2")).values_list("date", "t")):
        days[day] = float(total or 0)
    return list(days.items())
