"""The ceasefire part of the demo world: quiet from 10 November 2020, the first violation on 12 December near
Hadrut, then occasional violations mostly in the Martuni district and mostly without casualties; the 23 posts
log every day and three patrol routes are driven daily. Deterministic (world.rng), bulk-inserted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User

from peaceops.ceasefire import geo, services
from peaceops.ceasefire.models import (
    Incident,
    ObservationPostLog,
    Patrol,
    PatrolStop,
    Status,
    VerificationStep,
)
from peaceops.core import audit
from peaceops.core.models import SourceReport

FIRST_VIOLATION = dt.date(2020, 12, 12)
ROUTES = [  # (name, place keys in order, km)
    ("Martakert district route", ["stepanakert", "askeran", "op05", "op03", "martakert"], 62),
    ("Martuni district route", ["stepanakert", "op23", "op09", "op10", "martuni", "op12"], 58),
    ("Shushi district route", ["stepanakert", "shushi", "op17", "op18", "op19", "berdzor"], 47),
]
# Where later violations happen: Martuni district most often (as the bulletins of the time report).
HOTSPOTS = ["martuni"] * 5 + ["op10", "op11", "op12", "hadrut", "op14", "askeran", "op06", "martakert"]
KINDS = [("small_arms", "automatic")] * 5 + [("small_arms", "single_shots")] * 3 + [
    ("shelling", "mortar"), ("drone", "overflight"), ("provocation", "threats")]


def _user(world, role: str) -> User | None:
    return world.users.get(role) or User.objects.filter(username=role).first()


def build_field_logs(world) -> None:
    monitor = _user(world, "monitor")
    posts = [world.places[f"op{n:02d}"] for n in range(1, 24)]
    logs, patrols = [], []
    for day in world.days():
        for post in posts:
            logs.append(ObservationPostLog(
                post=post, shift_start=world.at(day, 0), shift_end=world.at(day, 23, 59), manned=True,
                personnel=world.rng.choice([4, 5, 6]), created_by=monitor,
                observations="" if day < FIRST_VIOLATION else "Situation calm." if world.rng.random() < .9 else
                "Shots heard in the distance."))
        for name, _keys, km in ROUTES:
            start = world.at(day, 9, world.rng.choice([0, 15, 30]))
            patrols.append(Patrol(route_name=name, started_at=start, ended_at=start + dt.timedelta(hours=5),
                                  team=f"Patrol {name.split()[0]}", distance_km=km, created_by=monitor,
                                  findings="No violations observed on the route."))
    ObservationPostLog.objects.bulk_create(logs, batch_size=2000)
    created = Patrol.objects.bulk_create(patrols, batch_size=2000)
    if created and created[0].pk is None:  # backends that do not return ids on bulk insert
        created = list(Patrol.objects.order_by("id"))
    by_name = {name: [world.places[k] for k in keys] for name, keys, _km in ROUTES}
    stops = [PatrolStop(patrol=p, order=i, place=place) for p in created
             for i, place in enumerate(by_name[p.route_name], 1)]
    PatrolStop.objects.bulk_create(stops, batch_size=5000)
    audit.record_bulk(ObservationPostLog, len(logs), "scenario: daily observation post logs")
    audit.record_bulk(Patrol, len(created), "scenario: daily patrols on three routes")
    world.summary["observation post log entries"] = len(logs)
    world.summary["patrols"] = len(created)


def _incident(world, day: dt.date, key: str, kind: tuple[str, str], **extra) -> Incident:
    place = world.places[key]
    bearing = world.rng.choice(list(geo.BEARINGS))
    km = Decimal(f"{world.rng.uniform(0.5, 4):.1f}")
    lat, lon = geo.offset(float(place.latitude), float(place.longitude), bearing, float(km))
    start = world.at(day, world.rng.randint(0, 23), world.rng.choice([0, 10, 20, 30, 40, 50]))
    incident = Incident(
        occurred_from=start, occurred_to=start + dt.timedelta(minutes=world.rng.choice([5, 15, 30])),
        time_precision="minute", place=place, bearing=bearing, distance_km=km, latitude=lat, longitude=lon,
        location_precision="near", incident_type=kind[0], sub_type=kind[1],
        observed_by_post=place if place.kind == "observation_post" else None,
        reported_by=_user(world, "monitor"), **extra)
    incident.district_id = services.district_for(place, lat, lon)
    return incident


def _count_units(incidents: list[Incident]) -> None:
    """OSCE-style units within the incidents, derived from their position in the list (the world's random
    sequence is shared with the other modules and must not shift): explosions for mortar fire, bursts for
    automatic fire, rounds for single shots and for some of the bursts."""
    for n, incident in enumerate(incidents):
        if incident.sub_type == "mortar":
            incident.explosions = 2 + n % 5
            incident.rounds = incident.explosions
        elif incident.sub_type == "automatic":
            incident.bursts = 1 + n % 4
            if n % 3 == 0:
                incident.rounds = incident.bursts * 10
        elif incident.sub_type == "single_shots":
            incident.rounds = 1 + n % 6


# Reports on fixed days (no draw from the shared random sequence): one mortar fire counted in explosions, and three
# reports that are not violations — a patrol held at a checkpoint, a house damaged, a resident injured — recorded,
# mapped and exported, but not counted as violations.
OTHER_REPORTS: list[tuple[int, str, str, str, int, dict[str, object]]] = [  # (days after the first violation, place key, type, sub-type, hour, extra fields)
    (6, "martuni", "movement_restriction", "delayed", 11,
     {"notes": "Patrol held at a checkpoint for 40 minutes; allowed to proceed after consultation."}),
    (10, "martuni", "shelling", "mortar", 3,
     {"explosions": 6, "rounds": 6, "notes": "Six explosions heard and seen from the post, about 3 km away."}),
    (11, "martuni", "infrastructure", "housing", 8,
     {"damage": "Roof and one wall of a house damaged.", "notes": "Found by the patrol; cause being established."}),
    (15, "martuni", "civilian_casualties", "civilian_harmed", 16,
     {"injured_civilian": 1, "notes": "A resident injured; taken to the district hospital."}),
]


def _other_reports(world) -> list[Incident]:
    out = []
    monitor = _user(world, "monitor")
    for days, key, kind, sub, hour, extra in OTHER_REPORTS:
        day = FIRST_VIOLATION + dt.timedelta(days=days)
        if day > world.end:
            continue
        place = world.places[key]
        start = world.at(day, hour, 0)
        incident = Incident(occurred_from=start, occurred_to=start + dt.timedelta(minutes=30),
                            time_precision="minute", place=place, latitude=place.latitude,
                            longitude=place.longitude, location_precision="near", incident_type=kind, sub_type=sub,
                            status=Status.VERIFIED, reported_by=monitor, **extra)
        incident.district_id = services.district_for(place, place.latitude, place.longitude)
        out.append(incident)
    return out


def build_incidents(world) -> None:
    source = world.sources["observation_post"]
    analyst = _user(world, "analyst")
    incidents = [_incident(world, FIRST_VIOLATION, "hadrut", ("small_arms", "automatic"), status=Status.VERIFIED,
                           notes="First ceasefire violation reported since the start of the operation.",
                           direction_of_fire="from south-east towards north-west")]
    day = FIRST_VIOLATION + dt.timedelta(days=1)
    while day <= world.end:
        for _ in range(world.rng.choice([0, 0, 0, 1, 1, 2])):  # occasional
            kind = world.rng.choice(KINDS)
            casualties = {"injured_military": 1} if world.rng.random() < 0.08 else {}
            recent = (world.end - day).days < 3
            status = Status.REPORTED if recent else world.rng.choice(
                [Status.VERIFIED, Status.VERIFIED, Status.UNCONFIRMED])
            incidents.append(_incident(world, day, world.rng.choice(HOTSPOTS), kind, status=status, **casualties))
        day += dt.timedelta(days=1)
    _count_units(incidents)
    incidents.extend(_other_reports(world))
    for incident in incidents:
        incident.full_clean(exclude=["sources", "attachments", "district"])
        incident.set_local_time()
    created = Incident.objects.bulk_create(incidents)
    if created and created[0].pk is None:
        created = list(Incident.objects.order_by("id"))
    reports = SourceReport.objects.bulk_create([
        SourceReport(source=source, received_at=i.occurred_to + dt.timedelta(hours=1), reliability="A",
                     credibility=2, summary=f"Post log: {i.get_incident_type_display()} near "
                                            f"{i.place.name if i.place else i.location_label}.")
        for i in created])
    if reports and reports[0].pk is None:
        reports = list(SourceReport.objects.order_by("-id")[: len(created)])[::-1]
    Incident.sources.through.objects.bulk_create([
        Incident.sources.through(incident_id=i.pk, sourcereport_id=r.pk) for i, r in zip(created, reports,
                                                                                         strict=True)])
    steps = []
    for i in created:
        steps.append(VerificationStep(incident=i, action="filed", to_status=Status.REPORTED, actor=i.reported_by))
        if i.status != Status.REPORTED:
            steps.append(VerificationStep(incident=i, action=str(i.status), from_status=Status.UNDER_REVIEW,
                                          to_status=i.status, actor=analyst,
                                          rationale="Post log and patrol findings compared; both parties informed."))
    VerificationStep.objects.bulk_create(steps)
    audit.record_bulk(Incident, len(created), "scenario: ceasefire incidents")
    audit.record_bulk(VerificationStep, len(steps), "scenario: verification steps")
    world.summary["ceasefire incidents"] = len(created)


# The operational layers of the demo map (schematic, neutral names; lat, lon pairs).
LINES_OF_CONTACT = [
    ("Line of contact, northern section", [
        (40.285, 46.700), (40.252, 46.760), (40.236, 46.830), (40.200, 46.915), (40.090, 46.960), (40.020, 46.935),
        (39.972, 46.912), (39.930, 46.935), (39.882, 47.080), (39.843, 47.118), (39.812, 47.172)]),
    ("Line of contact, southern section", [
        (39.812, 47.172), (39.775, 47.128), (39.748, 47.090), (39.700, 47.030), (39.652, 46.995), (39.600, 46.955),
        (39.660, 46.860), (39.722, 46.748), (39.757, 46.700), (39.742, 46.640)]),
]
AREAS_OF_RESPONSIBILITY = [
    ("Sector North", [(40.320, 46.560), (40.320, 46.790), (40.230, 46.920), (39.930, 46.950), (39.860, 46.840),
                      (39.860, 46.560)]),
    ("Sector South", [(39.860, 46.700), (39.860, 46.840), (39.930, 46.960), (39.850, 47.150), (39.760, 47.150),
                      (39.570, 46.960), (39.680, 46.720), (39.760, 46.680)]),
    ("Corridor sector", [(39.735, 46.640), (39.700, 46.690), (39.555, 46.490), (39.565, 46.420), (39.615, 46.455)]),
]


def build_map_layers(world) -> None:
    from peaceops.ceasefire import layers
    from peaceops.ceasefire.models import FeatureKind

    analyst = _user(world, "analyst")
    for name, points in LINES_OF_CONTACT:
        layers.save_feature(analyst, FeatureKind.LINE_OF_CONTACT, name,
                            {"type": "LineString", "coordinates": [[lon, lat] for lat, lon in points]},
                            notes="Schematic, as agreed for the demonstration.")
    for name, points in AREAS_OF_RESPONSIBILITY:
        layers.save_feature(analyst, FeatureKind.AREA_OF_RESPONSIBILITY, name,
                            {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in points]]})
    world.summary["map features"] = len(LINES_OF_CONTACT) + len(AREAS_OF_RESPONSIBILITY)


BUILDERS = [build_field_logs, build_incidents, build_map_layers]
