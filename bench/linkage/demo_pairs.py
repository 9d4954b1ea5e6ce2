"""`python -m bench.linkage.demo_pairs [--scale 1] --db PATH`: the demo registry's false proposals, read.

Builds the demo scenario into PATH (a SQLite file; kept, with its planted answers beside it in PATH.truth, so a
second run reuses it and only the search runs again), runs the registry's duplicate search as
`returns.services.duplicates.find_duplicates` does (the same records, place resolver and engine; nothing is
stored) and prints every proposal that is not a planted duplicate: the engine's reasons, then each side's
household as registered (members, relationship to the head, birth year, father's name), and each pair's
household level as a household comparison would read it (`household_level`). The household is evidence the
registry holds and the engine is not given (issue 15).
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter, defaultdict
from pathlib import Path


def _planted(db: Path, scale: float) -> set[tuple[int, int]]:
    truth_file = db.with_name(db.name + ".truth")
    if not truth_file.exists():
        from django.core.management import call_command

        from peaceops.scenario.world import load

        call_command("migrate", verbosity=0)
        with open(truth_file, "wb") as fh:
            pickle.dump(load(scale).truth, fh)
    with open(truth_file, "rb") as fh:
        truth = pickle.load(fh)
    return {(min(a, b), max(a, b)) for a, b in truth["duplicate registrations"]}


def _household(person_id: int) -> str:
    from peaceops.core.models import Person, PersonName
    from peaceops.returns.models import HouseholdMember

    member = HouseholdMember.objects.select_related("household").get(person_id=person_id)
    household = member.household
    people = []
    for other in HouseholdMember.objects.filter(household=household).order_by("id"):
        name = PersonName.objects.filter(person_id=other.person_id, is_primary=True).values_list(
            "full_name", flat=True).first()
        year, father = Person.objects.filter(pk=other.person_id).values_list("birth_year", "father_name").get()
        mark = "*" if other.person_id == person_id else ""
        people.append(f"{mark}{other.relationship} {name} {year or '?'} father {father or '-'}")
    return f"household {household.reference} ({household.state}, {len(people)}): " + "; ".join(people)


def household_level(a: int, b: int, household: dict[int, int], members: dict[int, set[int]],
                    name_keys: dict[int, set[str]]) -> str:
    """same household / missing (a side registered alone) / common (a co-member of one has the name key of a
    co-member of the other: the engine's skeleton pair, which survives a change of script) / none."""
    if household[a] == household[b]:
        return "same household"
    ours, theirs = members[household[a]] - {a}, members[household[b]] - {b}
    if not ours or not theirs:
        return "missing"
    return "common" if set().union(*(name_keys[x] for x in ours)) & set().union(*(name_keys[y] for y in theirs)) \
        else "none"


def _household_levels(records: list[dict], pairs: list[tuple[int, int]]) -> list[str]:
    from peaceops.linkage.prepare import prepare_records
    from peaceops.returns.models import HouseholdMember

    frame = prepare_records(records, (), None)
    name_keys: dict[int, set[str]] = defaultdict(set)
    for uid, key in zip(frame["unique_id"], frame["name_sk_key"], strict=True):
        if key:
            name_keys[int(uid.split(":")[0])].add(key)
    household = dict(HouseholdMember.objects.values_list("person_id", "household_id"))
    members: dict[int, set[int]] = defaultdict(set)
    for person, hh in household.items():
        members[hh].add(person)
    return [household_level(a, b, household, members, name_keys) for a, b in pairs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--db", required=True, help="SQLite file: built when absent, reused when present")
    ap.add_argument("--threshold", type=float, default=0.9)
    args = ap.parse_args()
    db = Path(args.db)
    from bench.returns.run import _setup  # the demo database's Django, set up as the returns bench does

    _setup(db)
    planted = _planted(db, args.scale)
    from peaceops.linkage.engine import dedupe
    from peaceops.returns.services.duplicates import _pairs, _place_resolver, registry_records

    records = registry_records()
    run = dedupe(records, threshold=args.threshold, place_key=_place_resolver())
    pairs = _pairs(run.proposals)
    false = sorted((key for key in pairs if key not in planted), key=lambda k: -pairs[k][0])
    print(f"{len(planted & set(pairs))} of {len(planted)} planted duplicates found, {len(false)} false proposals "
          f"(p >= {args.threshold})")
    found = sorted(planted & set(pairs))
    levels = _household_levels(records, found + false)
    print("household level of the planted pairs found: " + str(dict(Counter(levels[:len(found)]))))
    kinds: Counter = Counter()
    for key, level in zip(false, levels[len(found):], strict=True):
        probability, reasons = pairs[key]
        print(f"\n{key[0]} / {key[1]}: p {probability:.4f}, household level: {level}")
        for r in reasons:
            print(f"  {r['field']}: {r['level']} ({r['weight']:+.2f} bits) {r['left'] or '-'} / {r['right'] or '-'}")
        for person_id in key:
            print("  " + _household(person_id))
        kinds["a field disagrees" if any(r["weight"] < 0 for r in reasons) else "no field disagrees"] += 1
    print("\n" + ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
