"""Seeded synthetic people rendered by two parties in different scripts (all people fictitious).

`generate_party_lists` builds the exchanges demo's party lists and the cross-script benchmark;
`generate_registrations` builds a large registry with known duplicates for the scale benchmark.
Names come from Faker's hy_AM, ru_RU and az_AZ pools.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from functools import cache

from faker.providers.person.az_AZ import Provider as AzNames
from faker.providers.person.hy_AM import Provider as HyNames
from faker.providers.person.ru_RU import Provider as RuNames

from peaceops.linkage import translit as tr
from peaceops.linkage.places import BUILTIN_PLACES

_POOLS = {
    "hy": (list(HyNames.first_names_male), list(HyNames.first_names_female), list(HyNames.last_names)),
    "az": (list(AzNames.first_names_male), list(AzNames.first_names_female), list(AzNames.last_names_male)),
    "ru": (list(RuNames.first_names_male), list(RuNames.first_names_female), list(RuNames.last_names_male)),
}
_PLACES = list(BUILTIN_PLACES)

# Names and places come from finite pools and transliteration is pure, so caching keeps the output identical
# while a million registrations build in about a minute instead of transliterating every row afresh.
_hy_ru = cache(tr.hy_to_russian)
_hy_pass = cache(tr.hy_passport)
_az_ru = cache(tr.az_to_russian)
_ru_icao = cache(tr.ru_icao)


@dataclass(frozen=True)
class Person:
    pid: int
    origin: str  # hy / az / ru: the name's own language
    given: str  # in the origin's own script
    surname: str
    father: str
    sex: str
    year: int
    month: int
    day: int
    place: str  # key into BUILTIN_PLACES


def _feminine(surname: str, origin: str) -> str:
    if origin in ("az", "ru") and surname.endswith(("ov", "ev", "in", "ов", "ев", "ин")):
        return surname + ("a" if origin == "az" else "а")
    return surname


def make_person(rng: random.Random, pid: int, origin: str | None = None) -> Person:
    origin = origin or rng.choices(["hy", "az", "ru"], weights=[0.55, 0.35, 0.10])[0]
    male_pool, female_pool, surnames = _POOLS[origin]
    sex = rng.choice("MF")
    given = rng.choice(male_pool if sex == "M" else female_pool)
    surname = rng.choice(surnames)
    if sex == "F":
        surname = _feminine(surname, origin)
    return Person(pid, origin, given, surname, rng.choice(male_pool), sex, rng.randint(1940, 2004),
                  rng.randint(1, 12), rng.randint(1, 28), rng.choice(_PLACES))


def _cap(text: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in text.split())


@cache
def _ru_patronymic(father_ru: str, sex: str) -> str:
    base = father_ru.lower()
    if base.endswith("й"):
        return _cap(base[:-1] + ("евич" if sex == "M" else "евна"))
    if base.endswith(("а", "я")):
        base = base[:-1]
    return _cap(base + ("ович" if sex == "M" else "овна"))


def render(p: Person, habit: str, rng: random.Random) -> tuple[str, str, str]:
    """A party's rendering of a person's name: (full name, father_name column, script used).

    habit: "hy_side" (Armenian script for Armenians, Russian Cyrillic otherwise) or "az_side"
    (Azerbaijani Latin for Azerbaijanis, Russian or passport Latin for others).
    """
    g, s, f = p.given, p.surname, p.father
    if p.origin == "hy":
        if habit == "hy_side":
            return _order(g, s, rng), f, "hy"
        if rng.random() < 0.6:  # Russian-style document with patronymic
            gr, sr, fr = (_cap(_hy_ru(x)) for x in (g, s, f))
            return f"{sr} {gr} {_ru_patronymic(fr, p.sex)}", "", "cyrl"
        return _order(_cap(_hy_pass(g)), _cap(_hy_pass(s)), rng), _cap(_hy_pass(f)), "latn"
    if p.origin == "az":
        if habit == "az_side":
            marker = "oğlu" if p.sex == "M" else "qızı"
            return f"{s} {g} {f} {marker}" if rng.random() < 0.5 else _order(g, s, rng), f, "az"
        gr, sr, fr = (_cap(_az_ru(x)) for x in (g, s, f))
        return f"{sr} {gr} {fr} {'оглы' if p.sex == 'M' else 'кызы'}", "", "cyrl"
    # Russian names: Cyrillic with patronymic, or ICAO Latin on the other side.
    if habit == "hy_side" or rng.random() < 0.5:
        return f"{s} {g} {_ru_patronymic(f, p.sex)}", "", "cyrl"
    return _order(_cap(_ru_icao(g)), _cap(_ru_icao(s)), rng), _cap(_ru_icao(f)), "latn"


def _order(given: str, surname: str, rng: random.Random) -> str:
    return f"{surname} {given}" if rng.random() < 0.5 else f"{given} {surname}"


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    op = rng.random()
    if op < 0.4:  # drop a letter
        return text[:i] + text[i + 1:]
    if op < 0.7:  # double a letter
        return text[:i] + text[i] + text[i:]
    j = i + 1 if i + 1 < len(text) and text[i + 1].isalpha() else i - 1  # swap neighbours
    a, b = sorted((i, j))
    return text[:a] + text[b] + text[a] + text[b + 1:]


def _place_name(key: str, side: str, rng: random.Random) -> str:
    script = "hy" if side == "hy_side" else rng.choice(["az", "latn", "cyrl"])
    return rng.choice(_places_in(key, script))


@cache
def _places_in(key: str, script: str) -> tuple[str, ...]:
    names = BUILTIN_PLACES[key]
    return tuple(n for n in names if tr.detect_script(n) == script) or tuple(names)


def record(p: Person, rid: str, side: str, rng: random.Random, noise: float = 1.0) -> dict:
    name, father, _script = render(p, side, rng)
    if rng.random() < 0.12 * noise:
        name = _typo(name, rng)
    if rng.random() < 0.3 * noise:
        father = ""  # father's name not recorded
    y, m, d = p.year, p.month, p.day
    r = rng.random() / max(noise, 1e-9)
    if r < 0.05:
        m, d = (d, m) if d <= 12 else (m, d)  # day/month swapped by a clerk
    dob_style = rng.random()
    if dob_style < 0.10 * noise:
        birth = f"{y}"  # year only
    elif side == "hy_side":
        birth = f"{d:02d}.{m:02d}.{y}"
    else:
        birth = f"{y}-{m:02d}-{d:02d}"
    if rng.random() < 0.02 * noise:
        birth = f"{y + rng.choice((-1, 1))}"  # an estimated age
    place = "" if rng.random() < 0.1 * noise else _place_name(p.place, side, rng)
    row = {"id": rid, "name": name, "father_name": father, "birth_date": birth, "birth_place": place,
           "sex": p.sex}
    return row


def _relative(rng: random.Random, p: Person, pid: int) -> Person:
    """A hard negative: a brother/sister (same father, surname, town) or a namesake born elsewhere."""
    if rng.random() < 0.5:
        q = make_person(rng, pid, p.origin)
        return Person(pid, p.origin, q.given, p.surname if q.sex == p.sex else _feminine(p.surname, p.origin)
                      if q.sex == "F" else p.surname, p.father, q.sex, p.year + rng.choice((-3, -2, 2, 4)),
                      q.month, q.day, p.place)
    q = make_person(rng, pid, p.origin)
    return Person(pid, p.origin, p.given, p.surname, q.father, p.sex, q.year, q.month, q.day, q.place)


def generate_party_lists(n: int, seed: int = 2020, overlap: float = 0.7, hard_negatives: float = 0.15
                         ) -> tuple[list[dict], list[dict], set[tuple[str, str]]]:
    """Two parties' lists of about `n` people each; `overlap` of them appear on both.

    Left: the Armenian side's list (Armenian script, DD.MM.YYYY, Armenian place names).
    Right: the Azerbaijani side's list (Azerbaijani Latin / Russian Cyrillic / passport Latin, ISO dates,
    Azerbaijani or Russian exonyms), plus relatives and namesakes of listed people as hard negatives.
    Returns (left_rows, right_rows, true_pairs) with pairs as (left id, right id).
    """
    rng = random.Random(seed)
    people = [make_person(rng, i) for i in range(n)]
    shared = set(rng.sample(range(n), int(n * overlap)))
    left, right, truth = [], [], set()
    for p in people:
        lid = f"L{p.pid:06d}"
        left.append(record(p, lid, "hy_side", rng))
        if p.pid in shared:
            rid = f"R{p.pid:06d}"
            right.append(record(p, rid, "az_side", rng))
            truth.add((lid, rid))
    extra_id = n
    for p in rng.sample(people, int(n * hard_negatives)):
        q = _relative(rng, p, extra_id)
        right.append(record(q, f"R{extra_id:06d}", "az_side", rng))
        extra_id += 1
    for _ in range(n - len(shared)):  # people only the other side lists
        q = make_person(rng, extra_id)
        right.append(record(q, f"R{extra_id:06d}", "az_side", rng))
        extra_id += 1
    rng.shuffle(right)
    return left, right, truth


def generate_registrations(n: int, seed: int = 2020, dup_rate: float = 0.25
                           ) -> tuple[list[dict], set[tuple[str, str]]]:
    """About `n` registrations in which `dup_rate` of people registered twice (by either side's clerks).

    Returns (rows, true duplicate pairs as sorted id tuples).
    """
    rng = random.Random(seed)
    n_people = int(n / (1 + dup_rate))
    rows: list[dict] = []
    truth: set[tuple[str, str]] = set()
    pid = 0
    while len(rows) < n:
        p = make_person(rng, pid)
        side = rng.choice(("hy_side", "az_side"))
        a = f"P{pid:07d}a"
        rows.append(record(p, a, side, rng))
        if len(rows) < n and rng.random() < dup_rate * n / max(n_people, 1) * (n_people / n):
            b = f"P{pid:07d}b"
            rows.append(record(p, b, rng.choice(("hy_side", "az_side")), rng))
            truth.add((a, b))
        if len(rows) < n and rng.random() < 0.05:  # a sibling registered too
            q = _relative(rng, p, pid)
            rows.append(record(q, f"P{pid:07d}s", side, rng))
        pid += 1
    return rows, truth


@dataclass(frozen=True)
class Habits:
    """How one registry's clerks write people down: the rates of each habit and slip."""

    typo: float = 0.12  # a slip in the name
    no_father: float = 0.3  # father's name not recorded
    year_only: float = 0.10  # only the birth year written
    estimated: float = 0.02  # an age estimated by eye: the year a little off
    transposed: float = 0.05  # day and month swapped
    no_place: float = 0.1  # birthplace not recorded
    other_side: float = 0.55  # a second registration made by the other side's clerks, in their script
    digit: float = 0.02  # one digit of the date mistyped (the year's last digit, the month's or the day's)
    # One part of the date replaced: misread from a damaged document, copied from another line of the form, or
    # told by a relative who remembers it wrongly. The other two parts stay right.
    date_part: float = 0.03
    # What no rule catches: the place of residence written as birthplace, a wrong sex, another family member's
    # date or father. Rare, but they set how strongly a disagreement may weigh against a match. Another person's
    # father is drawn as rarely as another person's date (random_habits): the same slip, and neither the held-out
    # registries nor the demo's planted duplicates ever show a father's name unlike the person's (bench/RESULTS.md,
    # "Namesakes and content ids"); a father's name misspelt or romanised otherwise has levels of its own.
    wrong_place: float = 0.04
    wrong_sex: float = 0.005
    wrong_date: float = 0.005
    wrong_father: float = 0.01


def random_habits(rng: random.Random) -> Habits:
    """A registry's habits drawn from wide ranges, so m learnt over many registries is not one desk's."""
    return Habits(typo=rng.uniform(0.02, 0.25), no_father=rng.uniform(0.05, 0.6), year_only=rng.uniform(0.0, 0.3),
                  estimated=rng.uniform(0.0, 0.08), transposed=rng.uniform(0.0, 0.08), no_place=rng.uniform(0.0, 0.4),
                  other_side=rng.uniform(0.1, 0.9), digit=rng.uniform(0.0, 0.08), wrong_place=rng.uniform(0.0, 0.1),
                  wrong_sex=rng.uniform(0.0, 0.01), wrong_date=rng.uniform(0.0, 0.003),
                  wrong_father=rng.uniform(0.0, 0.003), date_part=rng.uniform(0.0, 0.2))


def _digit_slip(y: int, m: int, d: int, rng: random.Random) -> tuple[int, int, int]:
    """One digit of the date mistyped: the year's last digit, or a digit of the month or the day (a date that
    stops being valid stays a typo of the day, as a clerk's form would not accept it)."""
    part = rng.randrange(3)
    if part == 0:
        return y - y % 10 + rng.choice([k for k in range(10) if k != y % 10]), m, d
    if part == 1:
        options = [x for x in (m % 10, 10 + m % 10, m - m % 10 + 1, m - m % 10 + 2) if 1 <= x <= 12 and x != m]
        return y, rng.choice(options) if options else m, d
    options = [x for x in range(1, 29) if x != d and (x % 10 == d % 10 or x // 10 == d // 10)]
    return y, m, rng.choice(options)


def _part_replaced(y: int, m: int, d: int, rng: random.Random) -> tuple[int, int, int]:
    """One part of the date replaced by another value of its kind."""
    part = rng.randrange(3)
    if part == 0:
        return rng.choice([x for x in range(1935, 2010) if x != y]), m, d
    if part == 1:
        return y, rng.choice([x for x in range(1, 13) if x != m]), d
    return y, m, rng.choice([x for x in range(1, 29) if x != d])


def clerk_record(p: Person, rid: str, side: str, rng: random.Random, h: Habits) -> dict:
    """`record` with a registry's own habits."""
    if rng.random() < h.wrong_father:
        p = replace(p, father=make_person(rng, p.pid, p.origin).father)
    if rng.random() < h.wrong_date:
        q = make_person(rng, p.pid, p.origin)
        p = replace(p, year=q.year, month=q.month, day=q.day)
    if rng.random() < h.wrong_place:
        p = replace(p, place=rng.choice(_PLACES))
    name, father, _script = render(p, side, rng)
    if rng.random() < h.typo:
        name = _typo(name, rng)
    if rng.random() < h.no_father:
        father = ""
    y, m, d = p.year, p.month, p.day
    if rng.random() < h.transposed and d <= 12:
        m, d = d, m
    if rng.random() < h.digit:
        y, m, d = _digit_slip(y, m, d, rng)
    if rng.random() < h.date_part:
        y, m, d = _part_replaced(y, m, d, rng)
    if rng.random() < h.year_only:
        birth = f"{y}"
    elif side == "hy_side":
        birth = f"{d:02d}.{m:02d}.{y}"
    else:
        birth = f"{y}-{m:02d}-{d:02d}"
    if rng.random() < h.estimated:
        birth = f"{y + rng.choice((-3, -2, -1, 1, 2, 3))}"
    place = "" if rng.random() < h.no_place else _place_name(p.place, side, rng)
    sex = ("F" if p.sex == "M" else "M") if rng.random() < h.wrong_sex else p.sex
    return {"id": rid, "name": name, "father_name": father, "birth_date": birth, "birth_place": place, "sex": sex}


def _namesake(rng: random.Random, p: Person, pid: int) -> Person:
    """Same given name and surname, another person: a cousin named after the same grandfather, or a stranger
    with a common name; sometimes born the same year or in the same town."""
    q = make_person(rng, pid, p.origin)
    year = p.year if rng.random() < 0.2 else q.year
    place = p.place if rng.random() < 0.4 else q.place
    father = p.father if rng.random() < 0.1 else q.father
    return Person(pid, p.origin, p.given, p.surname, father, p.sex, year, q.month, q.day, place)


@cache
def _popularity(origin: str, which: int) -> tuple[list[str], list[float]]:
    """A pool in a fixed order of popularity with Zipf weights (rank^-1): a few names are very common, as in the
    region, so the u-probabilities learnt for names are not those of a population with no common name."""
    pool = sorted(set(_POOLS[origin][which]))
    random.Random(f"{origin}-{which}").shuffle(pool)
    total, cumulative = 0.0, []
    for rank in range(1, len(pool) + 1):
        total += 1 / rank
        cumulative.append(total)
    return pool, cumulative


def _popular_person(rng: random.Random, pid: int) -> Person:
    """`make_person` with names drawn by popularity."""
    p = make_person(rng, pid)
    male, cum_male = _popularity(p.origin, 0)
    pool, cum = _popularity(p.origin, 0 if p.sex == "M" else 1)
    surnames, cum_s = _popularity(p.origin, 2)
    surname = rng.choices(surnames, cum_weights=cum_s)[0]
    return replace(p, given=rng.choices(pool, cum_weights=cum)[0], father=rng.choices(male, cum_weights=cum_male)[0],
                   surname=_feminine(surname, p.origin) if p.sex == "F" else surname)


def labelled_registry(n: int, seed: int, dup_rate: float, habits: Habits | None = None,
                      namesakes: float = 0.08, siblings: float = 0.06) -> tuple[list[dict], set[tuple[str, str]]]:
    """About `n` registrations, `dup_rate` of them a second registration of someone already registered (by a
    clerk of either side), with namesakes and siblings of registered people among the rest.

    Returns (rows, true duplicate pairs as sorted id tuples). The training data of the shipped model."""
    rng = random.Random(seed)
    h = habits or Habits()
    rows: list[dict] = []
    truth: set[tuple[str, str]] = set()
    pid = 0
    while len(rows) < n:
        p = _popular_person(rng, pid)
        side = rng.choice(("hy_side", "az_side"))
        a = f"T{pid:07d}a"
        rows.append(clerk_record(p, a, side, rng, h))
        if rng.random() < dup_rate:
            other = ("az_side" if side == "hy_side" else "hy_side") if rng.random() < h.other_side else side
            b = f"T{pid:07d}b"
            rows.append(clerk_record(p, b, other, rng, h))
            truth.add((a, b))
        roll = rng.random()
        if roll < siblings:
            rows.append(clerk_record(_relative(rng, p, pid), f"T{pid:07d}s", side, rng, h))
        elif roll < siblings + namesakes:
            rows.append(clerk_record(_namesake(rng, p, pid), f"T{pid:07d}n", rng.choice(("hy_side", "az_side")),
                                     rng, h))
        pid += 1
    kept = {r["id"] for r in rows[:n]}
    return rows[:n], {t for t in truth if t[1] in kept}


@dataclass(frozen=True)
class Rehousing:
    """How a registry's second registrations are made, as shares of re-registration events (normalised).

    A duplicate arises when someone already registered is registered again: *alone* (a household of one: a member
    who came back first, or asked for a service on their own); with the *whole* household again (a family
    registered at two offices; every member is then a duplicate, and each pair shares all its co-members); with
    *part* of it (the person and one or more relatives, the others not); *elsewhere*, inside another family's
    household (a person who married, or was taken in, since the first registration: co-members on both sides,
    none in common); or *twice* on one household's form (a clerk's slip: the same household)."""

    alone: float = 0.45
    whole: float = 0.25
    part: float = 0.08
    elsewhere: float = 0.08
    twice: float = 0.02


def random_rehousing(rng: random.Random) -> Rehousing:
    """Habits drawn from wide ranges per training registry (their mean is `Rehousing()`'s, about): the household
    level's m is learnt over many registries' habits, not one office's. Chosen, not measured — no registry's
    decisions are at hand; their grounds: a returns registry records people by household, so most
    second registrations made with others are the same family again (whole or in part), and a minority joined
    another family in between (marriage, being taken in); how many come alone varies most between offices.
    *elsewhere* was first drawn around 0.2: the learnt weight of *none in common* (-2.4 bits) then let the demo's
    namesake registered with another family (Herasim Vlasov, tests/returns/test_duplicate_households.py) be
    proposed again; around 0.08 it is -3.6 bits, near the first version's guess (bench/RESULTS.md, helper
    `linkage4`). The bench's registry with households (23 %) measures what that choice costs."""
    return Rehousing(alone=rng.uniform(0.3, 0.6), whole=rng.uniform(0.12, 0.38), part=rng.uniform(0.02, 0.14),
                     elsewhere=rng.uniform(0.02, 0.14), twice=rng.uniform(0.0, 0.04))


def _household_people(rng: random.Random, pid: int) -> list[Person]:
    """A family registered together: a head, often a spouse (the head's surname, feminine form for a woman),
    children (the head's surname, the head as father), now and then a parent of the head; a share live alone."""
    size = rng.choices([1, 2, 3, 4, 5, 6, 7], weights=[14, 18, 20, 20, 14, 9, 5])[0]
    head = _popular_person(rng, pid)
    if head.sex == "F" and rng.random() < 0.7:  # most heads are men; a widow heads the rest
        head = replace(head, sex="M", given=_given_of(rng, head.origin, "M"), surname=_base_surname(head))
    people = [head]
    for k in range(1, size):
        q = _popular_person_of(rng, pid, head.origin)
        if k == 1 and size > 2 and rng.random() < 0.85:  # a spouse
            sex = "F" if head.sex == "M" else "M"
            given = _given_of(rng, head.origin, sex)
            people.append(replace(q, sex=sex, given=given, surname=_feminine(_base_surname(head), head.origin)
                                  if sex == "F" else _base_surname(head), year=head.year + rng.randint(-6, 4)))
            continue
        sex = rng.choice("MF")
        given = _given_of(rng, head.origin, sex)
        taken = {p.given for p in people}
        while given in taken:
            given = _given_of(rng, head.origin, sex)
        surname = _feminine(_base_surname(head), head.origin) if sex == "F" else _base_surname(head)
        year = min(2015, head.year + rng.randint(18, 40))
        people.append(replace(q, sex=sex, given=given, surname=surname, father=head.given if head.sex == "M"
                              else q.father, year=year, place=head.place if rng.random() < 0.7 else q.place))
    return people


def _given_of(rng: random.Random, origin: str, sex: str) -> str:
    pool, cum = _popularity(origin, 0 if sex == "M" else 1)
    return rng.choices(pool, cum_weights=cum)[0]


def _popular_person_of(rng: random.Random, pid: int, origin: str) -> Person:
    p = make_person(rng, pid, origin)
    surnames, cum_s = _popularity(origin, 2)
    male, cum_male = _popularity(origin, 0)
    return replace(p, given=_given_of(rng, origin, p.sex), surname=rng.choices(surnames, cum_weights=cum_s)[0],
                   father=rng.choices(male, cum_weights=cum_male)[0])


def _base_surname(p: Person) -> str:
    if p.sex == "F" and p.origin in ("az", "ru") and p.surname.endswith(("ova", "eva", "ina", "ова", "ева", "ина")):
        return p.surname[:-1]
    return p.surname


def household_registry(n: int, seed: int, dup_rate: float, habits: Habits | None = None,
                       rehousing: Rehousing | None = None, namesakes: float = 0.08
                       ) -> tuple[list[dict], set[tuple[str, str]]]:
    """About `n` registrations of families, each row with its `household`; about `dup_rate` of the people
    registered a second time, as `rehousing` says (`Rehousing`). A household is written by one desk (the side
    of its clerk); a namesake family (its head named as an earlier head) now and then. Returns (rows, true pairs
    as sorted id tuples). The training data of the household level's m (`training.household_m`); the other
    comparisons' m are learnt from `labelled_registry`, which this leaves unchanged."""
    rng = random.Random(seed)
    h = habits or Habits()
    r = rehousing or Rehousing()
    kinds = ("alone", "whole", "part", "elsewhere", "twice")
    shares = [getattr(r, k) for k in kinds]
    families: list[tuple[str, list[tuple[Person, str]]]] = []  # household id, (person, row id)
    rows: list[dict] = []
    truth: set[tuple[str, str]] = set()
    # Duplicated people per event: 1, except a whole household (its size, about 3.4 as drawn) or a part (about 2).
    per_event = (r.alone + r.elsewhere + r.twice + 3.4 * r.whole + 2.0 * r.part) / sum(shares)
    fid = 0
    while len(rows) < n:
        people = _household_people(rng, fid)
        if families and rng.random() < namesakes:  # a namesake family: its head named as an earlier family's head
            model_head = rng.choice(families)[1][0][0]
            people[0] = replace(people[0], given=model_head.given, surname=model_head.surname,
                                origin=model_head.origin, sex=model_head.sex)
        side = rng.choice(("hy_side", "az_side"))
        hh = f"H{fid:07d}"
        members = []
        for k, p in enumerate(people):
            rid = f"T{fid:07d}-{k}a"
            rows.append({**clerk_record(p, rid, side, rng, h), "household": hh})
            members.append((p, rid))
        families.append((hh, members))
        again_already: set[str] = set()
        for k, (_p, rid) in enumerate(members):
            if rid in again_already or rng.random() >= dup_rate / per_event:
                continue
            kind = rng.choices(kinds, weights=shares)[0]
            other = ("az_side" if side == "hy_side" else "hy_side") if rng.random() < h.other_side else side
            if kind in ("whole", "part") and len(members) > 1:
                rest = [x for j, x in enumerate(members) if j != k and x[1] not in again_already]
                again = [members[k], *rest] if kind == "whole" else [members[k], *rng.sample(
                    rest, min(len(rest), rng.randint(1, max(1, len(members) - 2))))]
                new_hh = f"H{fid:07d}-{k}b"
            elif kind == "elsewhere" and len(families) > 1:
                again, new_hh = [members[k]], rng.choice(families[:-1])[0]
            elif kind == "twice" and len(members) > 1:
                again, new_hh = [members[k]], hh
            else:
                again, new_hh = [members[k]], f"H{fid:07d}-{k}b"
            for q, qid in again:
                again_already.add(qid)
                b = f"{qid[:-1]}b"
                rows.append({**clerk_record(q, b, other, rng, h), "household": new_hh})
                truth.add((qid, b) if qid < b else (b, qid))
        fid += 1
    kept = {row["id"] for row in rows[:n]}
    return rows[:n], {t for t in truth if t[0] in kept and t[1] in kept}
