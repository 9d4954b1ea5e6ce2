"""The returns part of the demo world: the corridor, daily escorted bus convoys from 14 November 2020, cargo
convoys Goris – Stepanakert, and a waiting list left at the end.

Calibration (scale 1; the reported figures the demo must match within 5%): a few hundred a day from 14 November;
6,950 by 21 November ("almost 7,000"); 1,300 in 32 buses on 22 November; 34,209 by 6 December (859 that day);
36,165 by 8 December (1,136 that day); 540 on 25 December; about 49,000 by 31 December.
Everything is bulk-inserted (one audit event per table) so scale 1 loads in seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from faker import Faker

from peaceops.core import audit
from peaceops.core.models import Person, PersonName
from peaceops.linkage import translit as tr
from peaceops.returns.fastload import insert_rows
from peaceops.returns.models import (
    CargoLine,
    CheckpointPassage,
    Convoy,
    ConvoyStatus,
    CorridorStatus,
    Household,
    HouseholdMember,
    HouseholdState,
    ManifestEntry,
    Movement,
    Vehicle,
)
from peaceops.returns.services import create_corridor, record_first_arrivals, set_corridor_status
from peaceops.returns.services.planning import assign
from peaceops.scenario.gazetteer_data import CORRIDOR_ORDER
from peaceops.search import services as name_search

_D = dt.date
DAILY: dict[dt.date, int] = {}
for _offset, _n in enumerate([300, 450, 600, 800, 1000, 1150, 1250, 1400, 1300,
                              1700, 1850, 2000, 2100, 2050, 1950, 1900, 2000, 2100, 1950, 1850, 1800, 1850,
                              859, 820, 1136]):
    DAILY[_D(2020, 11, 14) + dt.timedelta(days=_offset)] = _n
for _offset in range(23):
    _day = _D(2020, 12, 9) + dt.timedelta(days=_offset)
    DAILY[_day] = 540 if _day == _D(2020, 12, 25) else 559 + (60, -30, 10, -40)[_offset % 4]

BUS_SEATS = 45
BUS_FILL = 40.7  # 1,300 people in 32 buses on 22 November
# After the November 2020 statement Shushi/Shusha, Hadrut and Berdzor/Lachin were no longer destinations for returns
# under the peacekeepers' escort: households went to Stepanakert/Khankendi, Martuni/Khojavend, Martakert/Aghdara
# and Askeran/Asgaran. The weights still add up to 89, and rng.choices draws one number whatever the weights, so
# every other figure of the scenario (sizes, convoys, daily totals) is the same as before.
DESTINATIONS = [("stepanakert", 58), ("martuni", 12), ("martakert", 11), ("askeran", 8)]
VULNERABILITIES = ["elderly", "disabled", "pregnant", "medical", "unaccompanied_child"]
CARGO = [("flour", "t"), ("construction materials", "t"), ("medicines", "t"), ("food parcels", "t")]


class _People:
    """Synthetic names, as a registering office would write them: mostly Armenian script, some Cyrillic.

    Birth day and month, the father's name and the birthplace come from a random stream of their own
    (`identity`), so every draw of `world.rng` (household sizes, convoys, daily figures) is what it was before
    they were recorded."""

    def __init__(self, world):
        self.rng = world.rng
        self.identity = random.Random(f"{world.seed}-returns-identity")
        self.family = random.Random(f"{world.seed}-returns-family")
        pools = {}
        for locale in ("hy_AM", "ru_RU"):
            fake = Faker(locale)
            fake.seed_instance(world.seed)
            pools[locale] = {
                "M": [fake.first_name_male() for _ in range(120)], "F": [fake.first_name_female() for _ in range(120)],
                "LM": [fake.last_name_male() for _ in range(200)], "LF": [fake.last_name_female() for _ in range(200)]}
        self.pools = pools

    def household(self, size: int) -> list[tuple[Person, str, str]]:
        pool = self.pools["hy_AM" if self.rng.random() < 0.75 else "ru_RU"]
        surname_index = self.rng.randrange(200)
        members = []
        ident = self.identity
        place = ident.choice(BIRTHPLACES)
        for i in range(size):
            sex = "F" if (i == 0 and self.rng.random() < 0.45) or (i > 0 and self.rng.random() < 0.5) else "M"
            born = self.rng.randint(1935, 1995) if i < 2 else self.rng.randint(1996, 2019)
            sex, born = self._plausible(members, i, sex, born)
            given = self.rng.choice(pool[sex])
            taken = {n.split()[0] for _p, n, _r in members}
            while given in taken:  # parents do not give two children one name (redrawn off world.rng)
                given = ident.choice(pool[sex])
            name = f"{given} {pool['L' + sex][surname_index]}"
            relationship = "head" if i == 0 else ("spouse" if i == 1 else "child")
            # Children's father: the head or the spouse, whichever is the man; the parents' own fathers at random.
            parents = [(p.sex, n.split()[0]) for p, n, _r in members[:2]]
            father = next((g for s_, g in parents if s_ == "M"), "") if i >= 2 else ident.choice(pool["M"])
            full_date = ident.random() < 0.9  # a document with the full date; else the year as told
            members.append((Person(sex=sex, birth_year=born, birth_month=ident.randint(1, 12) if full_date else None,
                                   birth_day=ident.randint(1, 28) if full_date else None,
                                   father_name=father if ident.random() < 0.75 else "",
                                   birthplace_text=(place if i >= 2 else ident.choice(BIRTHPLACES))
                                   if ident.random() < 0.7 else ""), name, relationship))
        return members

    def _plausible(self, members, i: int, sex: str, born: int) -> tuple[str, int]:
        """A family that could exist: the spouse of the other sex and of a near age, children born to parents
        aged 18–44. Drawn from a stream of its own, so the rest of the world (counts, names) is unchanged."""
        if i == 0:
            return sex, born
        head_sex, head_born = members[0][0].sex, members[0][0].birth_year
        if i == 1:
            gap = self.family.randint(-3, 9)  # the husband a little older, as registries show
            return ("F" if head_sex == "M" else "M"), min(head_born + (gap if head_sex == "M" else -gap), 2000)
        parents = [person.birth_year for person, _n, _r in members[:2]]
        earliest, latest = max(parents) + 18, min(min(parents) + 44, 2019)
        return sex, self.family.randint(earliest, latest) if earliest <= latest else min(max(parents) + 18, 2019)


def _size(rng) -> int:
    return rng.choices([1, 2, 3, 4, 5, 6], weights=[18, 24, 22, 20, 10, 6])[0]


def _households(world, people: _People, count: int, registered: dt.date, state: str):
    """Households totalling `count` people (the last one trimmed), persons and names bulk-inserted."""
    rng, places = world.rng, world.places
    sizes = []
    while sum(sizes) < count:
        sizes.append(min(_size(rng), count - sum(sizes)))
    members = [people.household(size) for size in sizes]
    persons = Person.objects.bulk_create([p for hh in members for p, _n, _r in hh], batch_size=5000)
    insert_rows(PersonName, ["person", "full_name", "script", "given", "patronymic", "surname", "is_primary",
                             "written_by", "match_key"],
                ((p.pk, name, "Armn" if "\u0530" <= name[:1] < "\u0590" else "Cyrl", "", "", "", True,
                  "registration desk, Yerevan", "") for hh in members for p, name, _r in hh))
    name_search.index(name_search.PERSON, ((p.pk, name) for hh in members for p, name, _r in hh), replace=False)
    keys, weights = zip(*DESTINATIONS, strict=True)
    households = []
    for hh in members:
        vulnerable = rng.random() < 0.12
        households.append(Household(
            head=hh[0][0], destination=places[rng.choices(keys, weights)[0]], origin=places["yerevan"],
            vulnerabilities=[rng.choice(VULNERABILITIES)] if vulnerable else [], is_vulnerable=vulnerable,
            size=len(hh), registered_on=registered, state=state, reference=f"Y-{len(persons)}-{rng.randrange(10**8)}"))
    households = Household.objects.bulk_create(households, batch_size=5000)
    insert_rows(HouseholdMember, ["household", "person", "relationship"],
                ((h.pk, p.pk, r) for h, hh in zip(households, members, strict=True) for p, _n, r in hh))
    return households, members


def _run_convoy(world, corridor, checkpoints, day, households, members, escort) -> Convoy:
    rng = world.rng
    people = sum(h.size for h in households)
    buses = max(1, math.ceil(people / BUS_FILL))
    placed, unplaced = assign([(i, h.size) for i, h in enumerate(households)], [BUS_SEATS] * buses)
    while unplaced:  # first-fit left gaps: add a bus for what did not fit
        buses += 1
        placed, unplaced = assign([(i, h.size) for i, h in enumerate(households)], [BUS_SEATS] * buses)
    dispatched = world.at(day, 6, rng.randint(0, 40))
    arrived = world.at(day, 15, rng.randint(0, 59))
    convoy = Convoy.objects.create(corridor=corridor, date=day, escort=escort, status=ConvoyStatus.ARRIVED,
                                   dispatched_at=dispatched, arrived_at=arrived, destination=world.places["stepanakert"])
    vehicles = Vehicle.objects.bulk_create([Vehicle(convoy=convoy, label=f"Bus {i + 1}", seats=BUS_SEATS)
                                            for i in range(buses)])
    entries, movements = [], []
    for index, bus in placed:
        household = households[index]
        for person, _name, _rel in members[index]:
            entries.append((convoy.pk, vehicles[bus].pk, household.pk, person.pk, False))
            movements.append((person.pk, convoy.pk, household.pk, arrived, household.destination_id))
    insert_rows(ManifestEntry, ["convoy", "vehicle", "household", "person", "active"], entries)
    CheckpointPassage.objects.bulk_create([
        CheckpointPassage(convoy=convoy, checkpoint=cp, passed_at=dispatched + dt.timedelta(hours=2 + 1.6 * i),
                          head_count=len(entries), checked_by="peacekeeping checkpoint duty officer")
        for i, cp in enumerate(checkpoints[1:-1])])
    insert_rows(Movement, ["person", "convoy", "household", "arrived_at", "destination"], movements)
    # Movement ids are not read back (plain inserts); the registry links the first arrival by person and time.
    record_first_arrivals([(person, at, destination, None) for person, _c, _h, at, destination in movements])
    return convoy


def build_returns(world) -> None:
    places = world.places
    corridor = create_corridor("Yerevan – Goris – Lachin corridor – Stepanakert / Khankendi",
                               [places[k] for k in CORRIDOR_ORDER], at=world.at(_D(2020, 11, 13), 8))
    checkpoints = corridor.ordered_checkpoints()
    cargo_road = create_corridor("Goris – Stepanakert / Khankendi (humanitarian cargo)",
                                 [places[k] for k in CORRIDOR_ORDER[1:]], at=world.at(_D(2020, 11, 13), 8))
    # A night closure for snow on the pass, reopened in the morning: the history the convoy screen shows.
    set_corridor_status(corridor, CorridorStatus.RESTRICTED, "snow on the Berdzor / Lachin pass, chains required",
                        at=world.at(_D(2020, 12, 1), 20))
    set_corridor_status(corridor, CorridorStatus.OPEN, "road cleared", at=world.at(_D(2020, 12, 2), 5))
    people = _People(world)
    escort = "Peacekeeping contingent, corridor escort"
    counts = {"people": 0, "convoys": 0, "cargo convoys": 0}
    for day, figure in sorted(DAILY.items()):
        n = world.scaled(figure)
        if n:
            registered = max(_D(2020, 11, 11), day - dt.timedelta(days=world.rng.randint(1, 6)))
            households, members = _households(world, people, n, registered, HouseholdState.RETURNED)
            _run_convoy(world, corridor, checkpoints, day, households, members, escort)
            counts["people"] += n
            counts["convoys"] += 1
        if day.toordinal() % 2 == 0:
            convoy = Convoy.objects.create(
                corridor=cargo_road, date=day, escort=escort, status=ConvoyStatus.ARRIVED,
                dispatched_at=world.at(day, 8), arrived_at=world.at(day, 13), destination=places["stepanakert"])
            what, unit = CARGO[day.toordinal() // 2 % len(CARGO)]
            CargoLine.objects.create(convoy=convoy, description=what, unit=unit,
                                     quantity=Decimal(world.rng.randint(20, 120)))
            CheckpointPassage.objects.bulk_create([
                CheckpointPassage(convoy=convoy, checkpoint=cp, passed_at=world.at(day, 9 + i), head_count=0,
                                  checked_by="peacekeeping checkpoint duty officer")
                for i, cp in enumerate(cargo_road.ordered_checkpoints()[1:-1])])
            counts["cargo convoys"] += 1
    # Still waiting at the end: registered in late December, not yet on a convoy.
    _households(world, people, world.scaled(1800), _D(2020, 12, 28), HouseholdState.WAITING)
    planted = plant_duplicates(world, people, world.scaled(PLANTED_DUPLICATES))
    counts["duplicate registrations planted"] = planted
    for model in (Person, PersonName, Household, HouseholdMember, ManifestEntry, Movement):
        audit.record_bulk(model, model.objects.count(), "returns scenario")
    world.summary.update({f"returns {k}": v for k, v in counts.items()})


# People who returned in a convoy and registered again for the waiting list at another desk, where a clerk of
# another habit wrote them in another script: the duplicate search's known answers. Their namesakes and
# siblings are registered beside them, as the region's naming makes them common.
PLANTED_DUPLICATES = 300
BIRTHPLACES = ["Ստեփանակերտ", "Շուշի", "Հադրութ", "Մարտունի", "Մարտակերտ", "Ասկերան", "Երևան", "Գորիս",
               "Բերձոր", "Քարվաճառ"]
SECOND_DESK = "registration desk, Goris"


def _other_script(name: str, rng: random.Random) -> str:
    """How the second desk writes a name: Armenian as Russian Cyrillic or passport Latin, Cyrillic as Latin."""
    words = name.split()
    if tr.detect_script(name) == "hy":
        write = tr.hy_to_russian if rng.random() < 0.6 else tr.hy_passport
    else:
        write = tr.ru_icao
    out = [w[:1].upper() + w[1:].lower() for w in (write(w) for w in words)]
    if rng.random() < 0.5:
        out.reverse()  # surname first, as forms there ask
    return " ".join(out)


def _second_date(person: Person, rng: random.Random) -> tuple[int | None, int | None, int | None]:
    roll = rng.random()
    if person.birth_day and roll < 0.65:
        return person.birth_year, person.birth_month, person.birth_day
    if roll < 0.9:
        return person.birth_year, None, None  # the year as told
    return person.birth_year, person.birth_month, None


def plant_duplicates(world, people: _People, count: int) -> int:
    """`count` returnees registered a second time (waiting list, another desk, another script), each with a
    sibling or a namesake registered beside them at times; world.truth["duplicate registrations"] gets the
    (first person, second person) pairs."""
    if not count:
        return 0
    rng = random.Random(f"{world.seed}-returns-duplicates")
    returned = sorted(set(Movement.objects.values_list("person_id", flat=True)))
    chosen = Person.objects.filter(pk__in=rng.sample(returned, min(count, len(returned)))).order_by("pk")
    names = dict(PersonName.objects.filter(person__in=chosen, is_primary=True).values_list("person_id", "full_name"))
    rows, truth_index = [], []
    for person in chosen:
        name = names[person.pk]
        year, month, day = _second_date(person, rng)
        twin = Person(sex=person.sex, birth_year=year, birth_month=month, birth_day=day,
                      father_name=person.father_name if rng.random() < 0.5 else "",
                      birthplace_text=person.birthplace_text if rng.random() < 0.5 else "")
        truth_index.append((person.pk, len(rows)))
        rows.append((twin, _other_script(name, rng)))
        given, surname = name.split(" ", 1)
        roll = rng.random()
        if roll < 0.25:  # a brother or sister registered beside them: same surname, father and birthplace
            pool = people.pools["hy_AM" if tr.detect_script(name) == "hy" else "ru_RU"]
            sister = rng.choice(pool["F"])
            if sister != given:
                rows.append((Person(sex="F", birth_year=person.birth_year + rng.choice((-3, -2, 2, 4)),
                                    birth_month=rng.randint(1, 12), birth_day=rng.randint(1, 28),
                                    father_name=person.father_name, birthplace_text=person.birthplace_text),
                             f"{sister} {surname}"))
        elif roll < 0.5:  # a namesake: another father, another year
            pool = people.pools["hy_AM" if tr.detect_script(name) == "hy" else "ru_RU"]
            rows.append((Person(sex=person.sex, birth_year=rng.randint(1935, 2015), birth_month=rng.randint(1, 12),
                                birth_day=rng.randint(1, 28), father_name=rng.choice(pool["M"]),
                                birthplace_text=rng.choice(BIRTHPLACES)), name))
    persons = Person.objects.bulk_create([p for p, _n in rows], batch_size=5000)
    insert_rows(PersonName, ["person", "full_name", "script", "given", "patronymic", "surname", "is_primary",
                             "written_by", "match_key"],
                ((p.pk, n, {"hy": "Armn", "cyrl": "Cyrl"}.get(tr.detect_script(n), "Latn"), "", "", "", True,
                  SECOND_DESK, "") for p, (_p, n) in zip(persons, rows, strict=True)))
    name_search.index(name_search.PERSON, ((p.pk, n) for p, (_p, n) in zip(persons, rows, strict=True)),
                      replace=False)
    households = Household.objects.bulk_create([
        Household(head=p, destination=world.places["stepanakert"], origin=world.places["goris"], size=1,
                  registered_on=_D(2020, 12, 29), state=HouseholdState.WAITING, reference=f"G-{i + 1:05d}")
        for i, p in enumerate(persons)], batch_size=5000)
    insert_rows(HouseholdMember, ["household", "person", "relationship"],
                ((h.pk, h.head_id, "head") for h in households))
    world.truth["duplicate registrations"] = [(first, persons[i].pk) for first, i in truth_index]
    return len(truth_index)


build_returns.label = "returns: corridor, convoys, returnees"
BUILDERS = [build_returns]
