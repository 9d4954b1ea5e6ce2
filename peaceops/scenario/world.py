"""The deterministic demo world: 10 November – 31 December 2020, synthetic people only, scalable.

`load(scale, seed)` builds the core world (places, parties, organisations, sources, demo users) and then runs
each app's `scenario.BUILDERS` in app order; every builder receives the same World and seeded RNG.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.db import transaction

from peaceops.core import gazetteer, mission
from peaceops.core.context import acting_as
from peaceops.core.models import Mission, Organisation, Party, Place, PlaceAlias, Source
from peaceops.core.registry import collect
from peaceops.core.roles import ADMIN, COORDINATOR, ROLES
from peaceops.scenario import gazetteer_data as data

LOCAL = ZoneInfo("Asia/Yerevan")
CEASEFIRE_START = dt.date(2020, 11, 10)
SCENARIO_END = dt.date(2020, 12, 31)
DEMO_PASSWORD = "peaceops-demo"


@dataclass
class World:
    seed: int
    scale: float
    rng: random.Random
    places: dict[str, Place] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    start: dt.date = CEASEFIRE_START
    end: dt.date = SCENARIO_END
    summary: dict[str, int] = field(default_factory=dict)
    # Known answers the demo plants (duplicate registrations, tracing requests), for tests and benchmarks.
    truth: dict[str, list] = field(default_factory=dict)

    def at(self, day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
        """A timezone-aware instant on a scenario day, in local time."""
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL)

    def days(self):
        day = self.start
        while day <= self.end:
            yield day
            day += dt.timedelta(days=1)

    def scaled(self, count: int) -> int:
        return max(0, round(count * self.scale))


PARTIES = [
    ("armenian-side", "Armenian side", "Армянская сторона", "conflict_party"),
    ("azerbaijani-side", "Azerbaijani side", "Азербайджанская сторона", "conflict_party"),
    ("peacekeeping-force", "Peacekeeping contingent", "Миротворческий контингент", "peacekeeping_force"),
    ("intermediary", "Neutral intermediary (Red Cross delegation)", "Нейтральный посредник (делегация Красного Креста)",
     "intermediary"),
    ("unidentified", "Unidentified", "Не установлена", "unknown"),
]
ORGANISATIONS = [
    ("Peacekeeping contingent headquarters", "PK HQ", "peacekeeping-force", "command"),
    ("Peacekeeping engineer unit", "PK ENG", "peacekeeping-force", "mine action"),
    ("Red Cross delegation", "RC", "intermediary", "protection"),
    ("Local water utility", "WATER", None, "water"),
    ("Local electricity network operator", "POWER", None, "electricity"),
    ("Local gas distribution company", "GAS", None, "gas"),
    ("Humanitarian coordination cell", "HCC", None, "coordination"),
]
SOURCES = [
    ("Observation posts (daily log)", "Наблюдательные посты (суточный журнал)", "observation_post", "A",
     "peacekeeping-force"),
    ("Peacekeeping patrols", "Патрули миротворцев", "patrol", "A", "peacekeeping-force"),
    ("Armenian side, official statements", "Армянская сторона, официальные заявления", "party_statement", "C",
     "armenian-side"),
    ("Azerbaijani side, official statements", "Азербайджанская сторона, официальные заявления", "party_statement",
     "C", "azerbaijani-side"),
    ("Red Cross delegation", "Делегация Красного Креста", "intermediary", "B", "intermediary"),
    ("Media reports", "Сообщения СМИ", "media", "D", None),
    ("Hotline", "Горячая линия", "hotline", "F", None),
    ("Field forms", "Полевые формы", "field_form", "B", None),
]


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _build_places(world: World) -> None:
    for key, (name, kind, parent_key, lat, lon, population, aliases) in data.ALL_PLACES.items():
        place = Place.objects.create(
            name=name, kind=kind, parent=world.places.get(parent_key) if parent_key else None,
            # As the database will hold them: builders copy these into other decimal fields and validate.
            latitude=_decimal(lat), longitude=_decimal(lon), population=population or None,
            pcode=f"PO-{key.upper()}"[:30],
        )
        world.places[key] = place
        seen = set()
        for language, names in aliases.items():
            for alias in names:
                if (alias, language) in seen:
                    continue
                seen.add((alias, language))
                PlaceAlias.objects.create(place=place, name=alias, language=language,
                                          kind="official" if len(seen) == 1 else "conventional")
    gazetteer.invalidate()


def _build_reference(world: World) -> None:
    for code, label, label_ru, kind in PARTIES:
        world.parties[code] = Party.objects.create(code=code, label=label, label_ru=label_ru, kind=kind)
    for name, acronym, party, sector in ORGANISATIONS:
        world.organisations[acronym] = Organisation.objects.create(
            name=name, acronym=acronym, party=world.parties.get(party) if party else None, sector=sector)
    for name, name_ru, kind, reliability, party in SOURCES:
        world.sources[_source_key(kind, party)] = Source.objects.create(
            name=name, name_ru=name_ru, kind=kind, reliability=reliability,
            party=world.parties.get(party) if party else None)


# The demo's mission as an administrator would describe it: the trilateral statement's ceasefire, the first
# escorted returns four days later, the area of operations the map opens on. Reporting rules stay the
# installation's (empty fields), so a test may change them through settings.
DEMO_MISSION = {"name": "Ceasefire monitoring, Nagorno-Karabakh (2020)", "ceasefire_start": dt.date(2020, 11, 10),
                "first_return_day": dt.date(2020, 11, 14), "south": "39.55", "west": "46.40", "north": "40.30",
                "east": "47.25"}


def _build_mission(world: World) -> None:
    demo = Mission.objects.create(active=True, **DEMO_MISSION)
    demo.parties.set(world.parties.values())
    mission.invalidate()


# Accounts beside the one per role: a second coordinator, because the sitrep is signed by two (the coordinator
# who drafts a version may not approve or publish it).
EXTRA_DEMO_USERS = {"coordinator2": COORDINATOR}


def ensure_demo_users(world: World | None = None) -> dict[str, User]:
    """One account per role, named after the role, and the extra accounts above, all with the demo password. The
    demo grants its roles directly (as the operator's `peaceops roles grant` does); real accounts get theirs
    under four eyes."""
    from peaceops.core.rolegrants import sanctioned

    users = {}
    for username, role in [*((role, role) for role in ROLES), *EXTRA_DEMO_USERS.items()]:
        user, created = User.objects.get_or_create(username=username,
                                                   defaults={"first_name": username.replace("_", " ")})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == ADMIN  # the admin site; what it may do there comes with the admin group
            user.is_superuser = False
            user.save()
        with sanctioned():
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        users[username] = user
    if world is not None:
        world.users = users
    return users


def is_loaded() -> bool:
    return Place.objects.exists()


def _source_key(kind: str, party: str | None) -> str:
    """The World's key of a source: its kind, or for a party's statements the party's code."""
    if kind != "party_statement":
        return kind
    if party is None:
        raise ValueError("a source of party statements names its party")
    return party


CORE_BUILDERS: list[tuple[str, Callable[[World], object]]] = [("gazetteer", _build_places), ("parties and sources", _build_reference),
                 ("mission", _build_mission), ("demo accounts", ensure_demo_users)]


def load_core(seed: int = 20201110) -> World:
    """Only the shared reference world (places, parties, sources, accounts): what every test starts from."""
    world = World(seed=seed, scale=1.0, rng=random.Random(seed))
    with acting_as("system:scenario"), transaction.atomic():
        for _label, build in CORE_BUILDERS:
            build(world)
    return world


def over_loaded_core(seed: int = 20201110, scale: float = 1.0) -> World:
    """A World over the reference data already in the database (places, parties, sources, accounts), so module
    builders can run on top of a core loaded earlier, as tests do."""
    world = World(seed=seed, scale=scale, rng=random.Random(seed))
    world.places = {key: Place.objects.get(name=spec[0]) for key, spec in data.ALL_PLACES.items()}
    world.parties = {p.code: p for p in Party.objects.all()}
    world.organisations = {o.acronym: o for o in Organisation.objects.all()}
    world.sources = {_source_key(s.kind, s.party.code if s.party else None): s
                     for s in Source.objects.select_related("party")}
    ensure_demo_users(world)
    return world


def load(scale: float = 1.0, seed: int = 20201110, progress=None) -> World:
    """Build the whole demo world in one transaction: it either loads completely or not at all."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    if is_loaded():
        raise RuntimeError("The database already holds a scenario; use a fresh database (or --reset).")
    world = World(seed=seed, scale=scale, rng=random.Random(seed))
    builders = CORE_BUILDERS + [(getattr(b, "label", b.__module__.split(".")[1]), b) for b in collect("scenario", "BUILDERS")]
    with acting_as("system:scenario"), transaction.atomic():
        for label, build in builders:
            if progress:
                progress(label)
            build(world)
    return world
