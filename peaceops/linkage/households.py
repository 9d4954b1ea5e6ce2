"""The household a record was registered in, compared after scoring: two namesakes each registered with a family
of their own, none of whose members is in the other's, are two people.

A record may carry `household` (an id, any string) and `person_key` (which records are one person: a person
registered under several spellings gives several records; the record's own id when absent). A record's
co-members are the other persons of its household in the same input, compared by the engine's name key
(`name_sk_key`, the pair of phonetic skeletons, which survives a change of script).

Levels, and why their weights are fixed rather than learnt: the training generator (`synthetic.py`) has no
households, so no m could be learnt for them; the weights below are conservative and rest on the measurements
of bench/RESULTS.md ("Households: what separates the demo's last false proposals", helper `linkage3`):

- *unknown* (no household on a side, or a side registered alone): 0 bits. A second registration is usually made
  alone (every planted duplicate of the demo, 184 of 186 and 483 of 489 true pairs of the realistic registry's
  1 % cells): true duplicates are untouched.
- *same household*: 0 bits. One person entered twice on one household's form is a known clerk's slip, and two
  members of one family with the same name and date are twins or the slip; the person's own fields (the given
  name, the twins' date level) decide, the household adds nothing either way.
- *a co-member in common*: 0 bits. It would be evidence of a household registered again whole, but among the
  realistic registry's candidate pairs it is as frequent between strangers (2.1 %, namesakes' relatives sharing
  a common name pair) as between duplicates; +4 bits doubled the false proposals (7 -> 14 at 50,000 / 1 %).
- *co-members on both sides, none in common*: m 0.06, u 0.80, about -3.7 bits. u: 86 % (demo) and 72 %
  (realistic registry) of candidate pairs are at this level. m: the share of true duplicates registered with a
  family on both sides sharing no one (a person who left their parents' household and registered again with a
  spouse's), modelled by neither generator and unknown without officers' decisions; with 10 % of second
  registrations split that way, -3 bits cost 0.4 to 1.6 points of recall on the realistic registry's 1 % cells
  (precision 0.97 -> 0.985). At -3.7 bits the demo's three false proposals of this kind (0.908 to 0.989) fall
  below 0.9 (-3.4 bits is the least that does it for the one at 0.989).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd

FIELDS = ("household", "person_key")
COLUMNS = ("household", "household_keys")
COMPARISON = "household"
_SEP = "\x1f"

UNKNOWN, NONE, COMMON, SAME = -1, 0, 1, 2  # gamma values, in Splink's order (ELSE 0, higher is closer)
LABELS = {UNKNOWN: "no co-members on one side", NONE: "co-members on both sides, none in common",
          COMMON: "a co-member in common", SAME: "same household"}
M_U = {SAME: (0.5, 0.5), COMMON: (0.5, 0.5), NONE: (0.06, 0.80)}
WEIGHTS = {UNKNOWN: 0.0, **{g: math.log2(m / u) for g, (m, u) in M_U.items()}}


def has_households(records: Sequence[dict]) -> bool:
    return any(r.get("household") not in (None, "") for r in records)


def columns(records: Sequence[dict], name_keys: Sequence[str | None]) -> dict[str, list[str | None]]:
    """Per record: its household (a string or None) and its co-members' name keys (joined; None if it has none)."""
    households = [None if r.get("household") in (None, "") else str(r["household"]) for r in records]
    persons = [str(r.get("person_key") or r["id"]) for r in records]
    members: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for hh, person, key in zip(households, persons, name_keys, strict=True):
        if hh is not None:
            keys = members[hh][person]
            if key:
                keys.add(key)
    co_keys: list[str | None] = []
    for hh, person in zip(households, persons, strict=True):
        if hh is None:
            co_keys.append(None)
            continue
        others = [keys for other, keys in members[hh].items() if other != person]
        # A co-member without a usable name still makes the household more than one person.
        co_keys.append(_SEP.join(sorted(set().union(*others))) if others else None)
    return {"household": households, "household_keys": co_keys}


def level(hh_l: str | None, hh_r: str | None, keys_l: str | None, keys_r: str | None) -> int:
    if hh_l is None or hh_r is None or keys_l is None or keys_r is None:
        return UNKNOWN
    if hh_l == hh_r:
        return SAME
    common = set(keys_l.split(_SEP)) & set(keys_r.split(_SEP))
    common.discard("")
    return COMMON if common else NONE


def apply(pairs: pd.DataFrame, left: pd.DataFrame, right: pd.DataFrame | None,
          explain: bool) -> pd.DataFrame:
    """The pairs with each one's household weight added to `match_weight` (and, to explain, the comparison's
    gamma_, mw_ and value columns)."""
    if pairs.empty:
        return pairs
    right = left if right is None else right

    def side(frame: pd.DataFrame) -> dict[str, tuple[str | None, str | None]]:
        return dict(zip(frame["unique_id"], zip(frame["household"], frame["household_keys"], strict=True),
                        strict=True))

    lmap, rmap = side(left), side(right)
    missing = (None, None)
    ls = [lmap.get(u, missing) for u in pairs["unique_id_l"]]
    rs = [rmap.get(u, missing) for u in pairs["unique_id_r"]]
    gammas = np.array([level(a[0], b[0], a[1], b[1]) for a, b in zip(ls, rs, strict=True)], dtype=int)
    weights = np.array([WEIGHTS[int(g)] for g in gammas], dtype=float) if len(gammas) else np.zeros(0)
    pairs = pairs.copy()
    pairs["match_weight"] = pairs["match_weight"].to_numpy(dtype=float) + weights
    if explain:
        pairs[f"gamma_{COMPARISON}"] = gammas
        pairs[f"mw_{COMPARISON}"] = weights
        pairs["household_l"] = [a[0] for a in ls]
        pairs["household_r"] = [b[0] for b in rs]
    return pairs
