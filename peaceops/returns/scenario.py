"""The returns part of the demo world: the corridor, daily escorted bus convoys from 14 November 2020, cargo
convoys Goris – Stepanakert, and a waiting list left at the end.

Calibration (scale 1; the reported figures the demo must match within 5%): a few hundred a day from 14 November;
6,950 by 21 November ("almost 7,000"); 1,300 in 32 buses on 22 November; 34,209 by 6 December (859 that day);
36,165 by 8 December (1,136 that day); 540 on 25 December; about 49,000 by 31 December.
Everything is bulk-inserted (one audit event per table) so scale 1 loads in seconds.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from decimal import Decimal

from django.utils import timezone
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
from peaceops.scenario.builders import Labelled
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


def family_surname(surname: str, sex: str) -> str:
    """The family's surname as a woman of it bears it: the same in Armenian, the feminine form in Russian.

    (The demo once drew women's surnames from a list of their own, so a wife and her daughters shared a surname
    that no man of the family bore, and two families' daughters met on a mother of "the same" name.)"""
    if sex != "F":
        return surname
    for male, female in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ый", "ая"), ("ий", "ая")):
        if surname.endswith(male):
            return surname[:-len(male)] + female
    return surname + "а" if surname.endswith(("ов", "ев", "ёв", "ин", "ын")) else surname


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
                "L": [fake.last_name_male() for _ in range(200)]}
        self.pools = pools

    def household(self, size: int) -> list[tuple[Person, str, str]]:
        pool = self.pools["hy_AM" if self.rng.random() < 0.75 else "ru_RU"]
        surname_index = self.rng.randrange(200)
        members: list[tuple[Person, str, str]] = []
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
            name = f"{given} {family_surname(pool['L'][surname_index], sex)}"
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
    sizes: list[int] = []
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
    needs_rng = random.Random(f"needs {registered} {state}")  # a stream of its own: the calibration is unchanged
    rows = []
    for h, hh in zip(households, members, strict=True):
        given = _member_needs(hh, h.vulnerabilities, registered, state == HouseholdState.WAITING, needs_rng)
        rows += [(h.pk, p.pk, r, n, seat, carer) for (p, _n, r), (n, seat, carer) in zip(hh, given, strict=True)]
    insert_rows(HouseholdMember, ["household", "person", "relationship", "needs", "seat_needs", "carer"], rows)
    return households, members


def _member_needs(members, vulnerabilities, registered: dt.date, waiting: bool, rng) -> list[tuple]:
    """The household's needs given to the member they concern (elderly: the oldest; pregnant: a woman of
    15-49; an unaccompanied child: the youngest; the rest: anyone). People still waiting also get seat needs as
    field registrations show them: some disabled people and a few elderly use a wheelchair, a few medical cases
    travel lying down; most of those have a relative named to sit beside them."""
    given: list[tuple[list, list, int | None]] = [([], [], None) for _m in members]
    if not vulnerabilities:
        return given
    ages = [registered.year - (p.birth_year or registered.year - 30) for p, _n, _r in members]
    for need in vulnerabilities:
        if need == "elderly":
            index = max(range(len(members)), key=ages.__getitem__)
        elif need == "pregnant":
            index = next((i for i, (p, _n, _r) in enumerate(members) if p.sex == "F" and 15 <= ages[i] < 50), 0)
        elif need == "unaccompanied_child":
            index = min(range(len(members)), key=ages.__getitem__)
        else:
            index = rng.randrange(len(members))
        given[index][0].append(need)
        if not waiting:
            continue
        roll = rng.random()
        seat = ("stretcher" if need == "medical" and roll < 0.3 else
                "wheelchair" if (need == "disabled" and roll < 0.4) or (need == "elderly" and roll < 0.08) else None)
        if seat:
            given[index][1].append(seat)
            carers = [p.pk for i, (p, _n, _r) in enumerate(members) if i != index and 18 <= ages[i] < 70]
            if carers and rng.random() < 0.8:
                given[index][1].append("carer")
                given[index] = (given[index][0], given[index][1], carers[0])
    return given


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
    # After the duplicates are planted (they sample convoy returnees) and off a random stream of their own, so
    # every figure above is what it was before movements beyond convoys were recorded.
    counts.update(build_movements_beyond_convoys(world))
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
    rows: list[tuple[Person, str]] = []
    truth_index: list[tuple[int, int]] = []
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
            if sister != given and person.birth_year is not None:  # every demo returnee has a birth year
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
    insert_rows(HouseholdMember, ["household", "person", "relationship", "needs", "seat_needs"],
                ((h.pk, h.head_id, "head", [], []) for h in households))
    world.truth["duplicate registrations"] = [(first, persons[i].pk) for first, i in truth_index]
    return len(truth_index)


# Movement beyond convoys (issue 19). From 23 November, after the first escorted week had shown the road safe,
# households drove home on their own and registered at the Berdzor / Lachin checkpoint: 8–20 people a day at
# scale 1 (about 560 by 31 December, so the calibrated totals above stay within 2%). A few convoy returnees are
# recorded again coming back from a trip (they count once), and a few registered returnees leave again
# (departures) or move on to another settlement (secondary displacement). Flow counts (no names) are kept every
# day from 14 November at the Kornidzor and Berdzor / Lachin checkpoints: everyone passing outside convoys.
SELF_ORGANISED_FROM = _D(2020, 11, 23)
FLOW_FROM = _D(2020, 11, 14)
LAST_DAY = _D(2020, 12, 31)
FLOW_POINTS = ("cp_kornidzor", "cp_berdzor")
REGISTRATION_POINT = "cp_berdzor"


def build_movements_beyond_convoys(world) -> dict[str, int]:
    from types import SimpleNamespace

    from peaceops.returns.models import FlowCount, MovementKind

    rng = random.Random(f"{world.seed}-returns-beyond-convoys")
    people = _People(world)
    people.rng, people.identity = rng, random.Random(f"{world.seed}-returns-beyond-convoys-identity")
    local = SimpleNamespace(rng=rng, places=world.places)  # _households draws from this stream, not world.rng
    point = world.places[REGISTRATION_POINT]
    # Convoy returnees by the day they arrived: only someone already home can come back from a trip or leave.
    arrived_by: list[tuple[dt.date, int]] = sorted(
        (timezone.localtime(at).date(), person) for person, at in
        Movement.objects.filter(convoy__isnull=False).values_list("person_id", "arrived_at"))
    totals = {"self-organised returnees": 0, "repeat journeys": 0, "departures": 0, "secondary displacement": 0,
              "flow count rows": 0}
    registered_today: dict[dt.date, int] = {}
    movements, arrivals = [], []
    day = SELF_ORGANISED_FROM
    while day <= LAST_DAY:
        n = world.scaled(rng.randint(8, 20))
        if n:
            households, members = _households(local, people, n, day, HouseholdState.RETURNED)
            at = world.at(day, rng.randint(10, 17), rng.randint(0, 59))
            for household, hh in zip(households, members, strict=True):
                for person, _name, _rel in hh:
                    movements.append((person.pk, household.pk, MovementKind.RETURN, at, household.destination_id))
                    arrivals.append((person.pk, at, household.destination_id, None, True))
            totals["self-organised returnees"] += n
        registered_today[day] = n
        home = [person for _day, person in arrived_by[:bisect.bisect_left(arrived_by, (day, 0))]]
        # Convoy returnees coming back from a trip: a movement each, never a second count.
        for person in rng.sample(home, min(world.scaled(3), len(home))):
            at = world.at(day, rng.randint(10, 17), rng.randint(0, 59))
            movements.append((person, None, MovementKind.RETURN, at, world.places["stepanakert"].pk))
            arrivals.append((person, at, world.places["stepanakert"].pk, None, True))
            totals["repeat journeys"] += 1
        for kind, key, how_many in ((MovementKind.DEPARTURE, "departures", 2),
                                    (MovementKind.SECONDARY_DISPLACEMENT, "secondary displacement", 1)):
            for person in rng.sample(home, min(world.scaled(how_many), len(home))):
                where = world.places["yerevan"] if kind == MovementKind.DEPARTURE else world.places[
                    rng.choice(["martuni", "martakert", "askeran"])]
                movements.append((person, None, kind, world.at(day, rng.randint(8, 12), rng.randint(0, 59)),
                                  where.pk))
                totals[key] += 1
        day += dt.timedelta(days=1)
    insert_rows(Movement, ["person", "household", "kind", "arrived_at", "destination", "checkpoint"],
                ((p, h, k, at, d, point.pk) for p, h, k, at, d in movements))
    record_first_arrivals(arrivals)

    rows = []
    day = FLOW_FROM
    while day <= LAST_DAY:
        for key in FLOW_POINTS:
            registered = registered_today.get(day, 0) if key == REGISTRATION_POINT else 0
            lines = [
                ("in", "car", "return", registered + world.scaled(rng.randint(5, 25)) if day >= SELF_ORGANISED_FROM
                 else 0, 3.2),
                ("in", "bus", "return", world.scaled(rng.randint(0, 12)) if day >= SELF_ORGANISED_FROM else 0, 18),
                ("in", "car", "visit", world.scaled(rng.randint(5, 30)), 2.5),
                ("in", "truck", "work", world.scaled(rng.randint(4, 16)), 1.3),
                ("in", "foot", "other", world.scaled(rng.randint(0, 6)), 0),
                ("out", "car", "departure", world.scaled(rng.randint(6, 30)), 3.0),
                ("out", "car", "secondary", world.scaled(rng.randint(0, 8)), 3.0),
                ("out", "car", "visit", world.scaled(rng.randint(5, 28)), 2.5),
                ("out", "truck", "work", world.scaled(rng.randint(4, 16)), 1.3),
            ]
            for direction, vehicle, purpose, count, per_vehicle in lines:
                if count:
                    rows.append(FlowCount(checkpoint=world.places[key], day=day, direction=direction, vehicle=vehicle,
                                          purpose=purpose, people=count,
                                          vehicles=math.ceil(count / per_vehicle) if per_vehicle else 0))
        day += dt.timedelta(days=1)
    FlowCount.objects.bulk_create(rows, batch_size=5000)
    audit.record_bulk(FlowCount, len(rows), "returns scenario: flow counts")
    totals["flow count rows"] = len(rows)
    return totals


BUILDERS = [Labelled("returns: corridor, convoys, returnees", build_returns)]
