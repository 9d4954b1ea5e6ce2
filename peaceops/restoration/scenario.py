"""The restoration part of the demo world: gas, electricity and water in Stepanakert/Khankendi and along the
corridor restored step by step through November–December 2020 with the peacekeepers taking part, and daily
clearance of roads and areas with the explosive ordnance found. Deterministic (world.rng)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from peaceops.core import audit
from peaceops.restoration.models import (
    ClearanceReport,
    ClearanceTask,
    DamageAssessment,
    Facility,
    HazardousArea,
    MineAccident,
    OrdnanceCount,
    OrdnanceType,
    RiskEducationSession,
    Work,
    WorkStatus,
)
from peaceops.restoration.services import land_release
from peaceops.scenario.builders import Labelled

D = dt.date

# key: (name, kind, place key, settlements served, depends on, population served, capacity, unit)
FACILITIES = {
    "line": ("Goris – Stepanakert 110 kV line", "power_line", "berdzor", ["berdzor", "shushi"], [], 61200, 110, "kV"),
    "sub_stk": ("Stepanakert 110/35 kV substation", "substation", "stepanakert", ["stepanakert"], ["line"], 55200,
                40, "MVA"),
    "sub_shushi": ("Shushi / Shusha substation", "substation", "shushi", ["shushi"], ["line"], 4100, 10, "MVA"),
    "sub_berdzor": ("Berdzor / Lachin substation", "substation", "berdzor", ["berdzor"], ["line"], 1900, 6, "MVA"),
    "sub_askeran": ("Askeran / Asgaran substation", "substation", "askeran", ["askeran"], ["sub_stk"], 2200, 6,
                    "MVA"),
    "sub_martuni": ("Martuni / Khojavend substation", "substation", "martuni", ["martuni"], [], 5700, 10, "MVA"),
    "sub_martakert": ("Martakert / Aghdara substation", "substation", "martakert", ["martakert"], [], 4600, 10,
                      "MVA"),
    "gas_pipe": ("Corridor gas pipeline", "gas_pipeline", "shushi", [], [], 59300, 120000, "m³/day"),
    "gas_stk": ("Stepanakert gas distribution station", "gas_station", "stepanakert", ["stepanakert"],
                ["gas_pipe"], 55200, 90000, "m³/day"),
    "gas_shushi": ("Shushi / Shusha gas distribution station", "gas_station", "shushi", ["shushi"], ["gas_pipe"],
                   4100, 8000, "m³/day"),
    "water_src": ("Stepanakert water intake", "water_source", "stepanakert", [], [], 55200, 30000, "m³/day"),
    "water_pump": ("Stepanakert pumping station", "pumping_station", "stepanakert", [], ["water_src", "sub_stk"],
                   55200, 28000, "m³/day"),
    "water_stk": ("Stepanakert water network", "water_network", "stepanakert", ["stepanakert"], ["water_pump"],
                  55200, None, ""),
    "water_shushi": ("Shushi / Shusha water network", "water_network", "shushi", ["shushi"], ["sub_shushi"], 4100,
                     None, ""),
    "water_berdzor": ("Berdzor / Lachin water network", "water_network", "berdzor", ["berdzor"], ["sub_berdzor"],
                      1900, None, ""),
    "water_martuni": ("Martuni / Khojavend water network", "water_network", "martuni", ["martuni"],
                      ["sub_martuni"], 5700, None, ""),
    "water_martakert": ("Martakert / Aghdara water network", "water_network", "martakert", ["martakert"],
                        ["sub_martakert"], 4600, None, ""),
    "water_askeran": ("Askeran / Asgaran water network", "water_network", "askeran", ["askeran"], ["sub_askeran"],
                      2200, None, ""),
    "heat_stk": ("Stepanakert boiler house no. 1", "heating_plant", "stepanakert", ["stepanakert"],
                 ["gas_stk", "sub_stk"], 18000, 12, "MW"),
    "hospital": ("Stepanakert republican hospital", "hospital", "stepanakert", ["stepanakert", "askeran", "shushi"],
                 ["sub_stk", "water_stk"], 61500, 400, "beds"),
    "clinic_martuni": ("Martuni / Khojavend polyclinic", "clinic", "martuni", ["martuni"], ["sub_martuni"], 5700,
                       40, "beds"),
    "clinic_martakert": ("Martakert / Aghdara polyclinic", "clinic", "martakert", ["martakert"], ["sub_martakert"],
                         4600, 30, "beds"),
    "school_stk": ("Stepanakert school no. 1", "school", "stepanakert", ["stepanakert"], ["sub_stk", "heat_stk"],
                   900, 900, "pupils"),
    "telecom_stk": ("Stepanakert telephone exchange", "telecom", "stepanakert", ["stepanakert"], ["sub_stk"], 55200,
                    None, ""),
    "road": ("Goris – Stepanakert road (corridor)", "road", "berdzor", ["berdzor", "shushi", "stepanakert"], [],
             61200, 64, "km"),
    "bridge": ("Hakari river bridge", "bridge", "berdzor", ["berdzor"], [], 1900, None, ""),
}

# Damage found at the start: key → (date, severity, functionality %, needs). The war damage to the main supply
# lines is assessed on the ceasefire's first day, so the curves do not show them working on 10 November.
INITIAL = {
    "line": (D(2020, 11, 10), 3, 20, "Towers 14–17 down, conductor replacement"),
    "sub_stk": (D(2020, 11, 10), 2, 40, "Transformer T2 damaged, switchgear"),
    "sub_shushi": (D(2020, 11, 12), 3, 0, "Control room destroyed"),
    "sub_berdzor": (D(2020, 11, 12), 3, 0, "Transformer and cabling"),
    "sub_askeran": (D(2020, 11, 13), 1, 70, "Cabling"),
    "sub_martuni": (D(2020, 11, 13), 2, 30, "Transformer, fences"),
    "sub_martakert": (D(2020, 11, 14), 2, 50, "Switchgear"),
    "gas_pipe": (D(2020, 11, 10), 4, 0, "Pipeline ruptured in three sections"),
    "gas_stk": (D(2020, 11, 12), 1, 80, "Regulators"),
    "gas_shushi": (D(2020, 11, 12), 2, 40, "Valves, metering"),
    "water_src": (D(2020, 11, 10), 0, 100, ""),
    "water_pump": (D(2020, 11, 10), 2, 30, "Pumps 2 and 3, electrical panels"),
    "water_stk": (D(2020, 11, 12), 1, 70, "Leaks on main lines"),
    "water_shushi": (D(2020, 11, 12), 2, 40, "Reservoir damaged"),
    "water_berdzor": (D(2020, 11, 13), 2, 50, "Main line"),
    "heat_stk": (D(2020, 11, 12), 2, 0, "Boilers offline, chimney"),
    "hospital": (D(2020, 11, 10), 1, 90, "Windows, generator fuel"),
    "clinic_martuni": (D(2020, 11, 14), 2, 50, "Roof, windows"),
    "school_stk": (D(2020, 11, 13), 1, 60, "Windows, roof"),
    "road": (D(2020, 11, 10), 2, 60, "Craters, debris, bridge approaches"),
    "bridge": (D(2020, 11, 10), 1, 80, "Deck repair"),
}

# Works: (facility key, organisation, activity, start, end or None while ongoing on 31 Dec, restores to %)
WORKS = [
    ("line", ["POWER", "PK ENG"], "Rebuild towers and restring line", D(2020, 11, 13), D(2020, 11, 19), 100),
    ("road", ["PK ENG"], "Clear debris and fill craters on the corridor road", D(2020, 11, 11), D(2020, 11, 16), 100),
    ("sub_stk", ["POWER"], "Replace transformer T2", D(2020, 11, 14), D(2020, 11, 21), 100),
    ("water_pump", ["WATER", "PK ENG"], "Repair pumps and electrical panels", D(2020, 11, 16), D(2020, 11, 24), 70),
    ("gas_pipe", ["GAS", "PK ENG"], "Weld ruptured pipeline sections", D(2020, 11, 15), D(2020, 11, 27), 100),
    ("gas_stk", ["GAS"], "Replace pressure regulators", D(2020, 11, 20), D(2020, 11, 29), 100),
    ("sub_askeran", ["POWER"], "Replace cabling", D(2020, 11, 18), D(2020, 11, 23), 100),
    ("water_stk", ["WATER"], "Repair leaks on main lines", D(2020, 11, 19), D(2020, 12, 2), 100),
    ("sub_shushi", ["POWER", "PK ENG"], "Rebuild control room", D(2020, 11, 22), D(2020, 12, 6), 100),
    ("gas_shushi", ["GAS"], "Replace valves and metering", D(2020, 11, 28), D(2020, 12, 8), 100),
    ("heat_stk", ["GAS", "PK ENG"], "Restart boilers and rebuild chimney", D(2020, 11, 25), D(2020, 12, 9), 100),
    ("sub_berdzor", ["POWER"], "Replace transformer and cabling", D(2020, 11, 26), D(2020, 12, 11), 100),
    ("water_pump", ["WATER"], "Install third pump", D(2020, 12, 1), D(2020, 12, 12), 100),
    ("sub_martuni", ["POWER"], "Replace transformer", D(2020, 11, 24), D(2020, 12, 4), 100),
    ("sub_martakert", ["POWER"], "Repair switchgear", D(2020, 11, 20), D(2020, 11, 30), 100),
    ("water_shushi", ["WATER", "PK ENG"], "Repair reservoir", D(2020, 12, 7), D(2020, 12, 19), 100),
    ("water_berdzor", ["WATER"], "Repair main line", D(2020, 12, 10), D(2020, 12, 18), 100),
    ("clinic_martuni", ["HCC"], "Roof and windows", D(2020, 11, 25), D(2020, 12, 14), 100),
    ("school_stk", ["HCC"], "Glazing and roof", D(2020, 12, 1), D(2020, 12, 22), 100),
    ("hospital", ["HCC", "PK HQ"], "Generator and glazing", D(2020, 11, 16), D(2020, 11, 25), 100),
    ("bridge", ["PK ENG"], "Deck repair", D(2020, 12, 14), None, 100),
]

AREAS = [
    # (code, name, status, hazard, near place, centre lat, lon, half-size in degrees or None for a point)
    ("HA-001", "Fields east of Shushi / Shusha", "confirmed", "mines", "shushi", 39.760, 46.770, 0.004),
    ("HA-002", "Southern outskirts of Stepanakert / Khankendi", "confirmed", "uxo", "stepanakert", 39.800, 46.760,
     0.005),
    ("HA-003", "Orchards near Martuni / Khojavend", "suspected", "cluster", "martuni", 39.800, 47.090, 0.006),
    ("HA-004", "Askeran / Asgaran road junction", "confirmed", "mixed", "askeran", 39.938, 46.835, 0.003),
    ("HA-005", "Unexploded rocket in a yard, Martakert / Aghdara", "confirmed", "uxo", "martakert", 40.210, 46.815,
     None),
]
ROUTES = [
    ("RC-01", "Goris – Stepanakert road, Berdzor / Lachin section", "berdzor", D(2020, 11, 12), D(2020, 11, 26)),
    ("RC-02", "Shushi / Shusha – Stepanakert / Khankendi road", "shushi", D(2020, 11, 12), D(2020, 11, 22)),
    ("RC-03", "Stepanakert / Khankendi – Martuni / Khojavend road", "martuni", D(2020, 11, 20), D(2020, 12, 20)),
    ("RC-04", "Stepanakert / Khankendi – Martakert / Aghdara road", "martakert", D(2020, 11, 25), None),
]
ORDNANCE_WEIGHTS = [(OrdnanceType.PROJECTILE, 5), (OrdnanceType.SUBMUNITION, 4), (OrdnanceType.MORTAR, 3),
                    (OrdnanceType.ROCKET, 2), (OrdnanceType.GRENADE, 2), (OrdnanceType.AP_MINE, 1),
                    (OrdnanceType.AT_MINE, 1)]


def _square(lat: float, lon: float, half: float) -> dict:
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def build_facilities(world) -> None:
    facilities: dict[str, Facility] = {}
    for key, (name, kind, place, _served, _deps, population, capacity, unit) in FACILITIES.items():
        facilities[key] = Facility.objects.create(
            name=name, kind=kind, place=world.places[place], population_served=population,
            capacity=Decimal(capacity) if capacity is not None else None, capacity_unit=unit)
    for key, (_n, _k, _p, served, deps, *_rest) in FACILITIES.items():
        facilities[key].settlements.set([world.places[p] for p in served])
        facilities[key].depends_on.set([facilities[d] for d in deps])
    assessor = ["Engineer team 1", "Engineer team 2", "Utility survey team"]
    assessments = [DamageAssessment(facility=facilities[k], date=day, assessor=world.rng.choice(assessor),
                                    severity=sev, functionality=pct, needs=needs)
                   for k, (day, sev, pct, needs) in INITIAL.items()]
    works = []
    for key, orgs, activity, start, end, restores in WORKS:
        done = end is not None and end <= world.end
        for position, org in enumerate(orgs):
            # Partner organisations finish with the lead: same date, same result, so the order does not matter.
            works.append(Work(
                organisation=world.organisations[org], facility=facilities[key],
                activity=activity if position == 0 else f"{activity} (support)",
                planned_start=start, planned_end=(end or world.end) + dt.timedelta(days=world.rng.randint(-2, 3)),
                actual_start=start, actual_end=end if done else None,
                status=WorkStatus.COMPLETED if done else WorkStatus.ONGOING,
                percent_complete=100 if done else world.rng.randint(30, 80), restores_to=restores,
                resources=world.rng.choice(["2 crews, crane", "3 crews, 2 trucks", "1 crew, welding kit",
                                            "engineer platoon, excavator"])))
    DamageAssessment.objects.bulk_create(assessments)
    Work.objects.bulk_create(works)
    audit.record_bulk(DamageAssessment, len(assessments), "scenario")
    audit.record_bulk(Work, len(works), "scenario")
    world.summary["facilities"] = len(facilities)
    world.summary["works"] = len(works)


def build_mine_action(world) -> None:
    rng = world.rng
    pk_eng = world.organisations["PK ENG"]
    areas = []
    for code, name, state, hazard, place, lat, lon, half in AREAS:
        geometry = _square(lat, lon, half) if half else {"type": "Point", "coordinates": [lon, lat]}
        estimated = Decimal(round((half * 111000 * 2) ** 2 * 0.77)) if half else None
        areas.append(HazardousArea.objects.create(
            code=code, name=name, status=state, hazard=hazard, geometry=geometry, place=world.places[place],
            estimated_area_m2=estimated, reported_on=D(2020, 11, 11)))
    tasks = []
    for number, area in enumerate(areas, start=1):
        start = D(2020, 11, 12) + dt.timedelta(days=number * 2)
        kind = "eod" if area.geometry["type"] == "Point" else "area"
        tasks.append(ClearanceTask.objects.create(
            code=f"AC-{number:02d}", kind=kind, organisation=pk_eng, hazardous_area=area, place=area.place,
            description=area.name, status="ongoing", start=start))
    for code, name, place, start, end in ROUTES:
        tasks.append(ClearanceTask.objects.create(
            code=code, kind="route", organisation=pk_eng, place=world.places[place], description=name,
            status="completed" if end else "ongoing", start=start, end=end))
    reports, counts = [], []
    types, weights = zip(*ORDNANCE_WEIGHTS, strict=True)
    for task in tasks:
        if task.start is None:  # not in the demo: every task above has started
            continue
        day, last = task.start, task.end or world.end
        while day <= last:
            crews = max(1, world.scaled(1))
            report = ClearanceReport(
                task=task, date=day,
                area_cleared_m2=Decimal(rng.randint(3000, 12000) * crews) if task.kind == "area" else
                Decimal(rng.randint(0, 400)),
                road_cleared_km=Decimal(str(round(rng.uniform(1.5, 6.0) * crews, 2))) if task.kind == "route"
                else Decimal(0))
            reports.append(report)
            found: dict[str, int] = {}
            for _ in range(rng.randint(0, 6 if task.kind != "eod" else 2)):
                kind = rng.choices(types, weights)[0]
                found[kind] = found.get(kind, 0) + 1
            counts.append((report, found))
            day += dt.timedelta(days=1)
    ClearanceReport.objects.bulk_create(reports, batch_size=1000)
    rows = [OrdnanceCount(report=report, ordnance_type=kind, found=n, destroyed=n if rng.random() > 0.1 else n - 1)
            for report, found in counts for kind, n in found.items()]
    OrdnanceCount.objects.bulk_create(rows, batch_size=1000)
    audit.record_bulk(ClearanceReport, len(reports), "scenario")
    audit.record_bulk(OrdnanceCount, len(rows), "scenario")
    world.summary["clearance reports"] = len(reports)


# Surveys that release land without clearing it: (area code, date, method, share of the area's size).
SURVEYS = [
    ("HA-003", D(2020, 11, 18), "cancellation", Decimal("0.40")),
    ("HA-003", D(2020, 11, 26), "reduction", Decimal("0.20")),
    ("HA-002", D(2020, 11, 16), "cancellation", Decimal("0.25")),
    ("HA-001", D(2020, 11, 20), "reduction", Decimal("0.10")),
    ("HA-004", D(2020, 11, 19), "cancellation", Decimal("0.30")),
    ("HA-004", D(2020, 12, 3), "reduction", Decimal("0.15")),
]
# Accidents (synthetic): (date, area code or None, place key, (lat, lon) or None, device, activity, victims)
ACCIDENTS: list[tuple[dt.date, str | None, str, tuple[float, float] | None, str, str, dict[str, int]]] = [
    (D(2020, 11, 14), "HA-001", "shushi", (39.761, 46.771), "ap_mine", "collecting firewood", {"injured_men": 1}),
    (D(2020, 11, 22), "HA-003", "martuni", (39.802, 47.088), "submunition", "playing in an orchard",
     {"killed_boys": 1, "injured_boys": 1}),
    (D(2020, 12, 5), None, "askeran", (39.937, 46.834), "projectile", "clearing rubble from a house",
     {"killed_men": 1}),
    (D(2020, 12, 18), None, "martakert", (40.230, 46.790), "at_mine", "herding", {"injured_women": 1,
                                                                                 "injured_girls": 1}),
    (D(2020, 12, 27), None, "stepanakert", None, "grenade", "scrap metal collection", {"injured_men": 2}),
]
RISK_EDUCATION_PLACES = ["stepanakert", "shushi", "martuni", "askeran", "martakert", "berdzor"]
VENUES = ["school", "community centre", "market", "kindergarten", "returnees' reception point"]


def build_land_release(world) -> None:
    """A land-release history: surveys cancel and reduce parts of the areas, clearance is released week by week
    as the daily reports add it up, released land passes quality assurance and is handed over; mine/ERW accidents
    and risk education sessions through the period. Through the services, so the areas' statuses follow."""
    rng = world.rng
    pk_eng = world.organisations["PK ENG"]
    areas = {a.code: a for a in HazardousArea.objects.filter(estimated_area_m2__isnull=False)}
    releases = []
    for code, day, method, share in SURVEYS:
        area = areas[code]
        assert area.estimated_area_m2 is not None  # asked of the query
        releases.append(land_release.record_release(
            area, day, method, (area.estimated_area_m2 * share).quantize(Decimal(1)),
            "Non-technical survey team" if method == "cancellation" else "Technical survey team", pk_eng))
    # Clearance is released once a week (Fridays) per task: what its daily reports cleared that week.
    for task in ClearanceTask.objects.filter(hazardous_area__code__in=areas, kind="area").select_related(
            "hazardous_area"):
        task_area, started = task.hazardous_area, task.start
        if task_area is None or started is None:  # not in the demo: the query asks for the area, the task started
            continue
        day = started
        while day <= world.end:
            week_end = min(day + dt.timedelta(days=(4 - day.weekday()) % 7), world.end)
            cleared = sum((r.area_cleared_m2 for r in task.reports.filter(date__gte=day, date__lte=week_end)),
                          Decimal(0))
            remaining = land_release.balance(task_area).remaining_m2
            assert remaining is not None  # the area's size is known (asked of the query above)
            amount = min(cleared, remaining)
            if amount > 0:
                releases.append(land_release.record_release(
                    task_area, week_end, "clearance", amount, f"Clearance team {task.code}", pk_eng, task))
            day = week_end + dt.timedelta(days=1)
    # Quality assurance a few days after each release; land released in the last ten days awaits it. One
    # inspection in five fails first and passes a few days later; handover follows a passed one.
    recipients = ["village council", "land owners", "district administration", "road authority"]
    for release in releases:
        qa_day = release.date + dt.timedelta(days=rng.randint(2, 4))
        if qa_day > world.end - dt.timedelta(days=5):
            continue
        if rng.random() < 0.2:
            land_release.record_qa(release, qa_day, "failed", "Quality assurance officer")
            qa_day += dt.timedelta(days=3)
        land_release.record_qa(release, qa_day, "passed", "Quality assurance officer")
        handover = qa_day + dt.timedelta(days=rng.randint(1, 3))
        if handover <= world.end:
            land_release.hand_over(release, handover, rng.choice(recipients))
    for day, area_code, place, point, device, activity, victims in ACCIDENTS:
        land_release.save_accident(MineAccident(
            date=day, area=HazardousArea.objects.get(code=area_code) if area_code else None, place=world.places[place],
            latitude=Decimal(str(point[0])) if point else None, longitude=Decimal(str(point[1])) if point else None,
            device=device, activity=activity, **victims))
    sessions = 0
    day = D(2020, 11, 13)
    while day <= world.end:
        place = RISK_EDUCATION_PLACES[sessions % len(RISK_EDUCATION_PLACES)]
        school = sessions % 2 == 0
        land_release.save_session(RiskEducationSession(
            date=day, place=world.places[place], venue=rng.choice(VENUES), organisation=pk_eng,
            area=next((a for a in areas.values() if a.place_id == world.places[place].pk), None),
            girls=rng.randint(10, 30) if school else rng.randint(0, 5),
            boys=rng.randint(10, 30) if school else rng.randint(0, 5),
            women=rng.randint(2, 8) if school else rng.randint(10, 25),
            men=rng.randint(1, 5) if school else rng.randint(8, 20)))
        sessions += 1
        day += dt.timedelta(days=rng.randint(2, 4))
    world.summary["land releases"] = len(releases)
    world.summary["risk education sessions"] = sessions


def build(world) -> None:
    build_facilities(world)
    build_mine_action(world)
    build_land_release(world)


BUILDERS = [Labelled("restoration and mine action", build)]
