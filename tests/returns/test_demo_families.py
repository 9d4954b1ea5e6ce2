"""The demo's households are families that could exist: an officer reading one is not misled by it."""

from __future__ import annotations

import random
from types import SimpleNamespace

from peaceops.returns.scenario import _People


def test_demo_households_have_plausible_spouses_and_children():
    people = _People(SimpleNamespace(seed=20201110, rng=random.Random(7)))
    odd = []
    for n in range(3000):
        members = people.household(2 + n % 5)
        (head, _h, _r), (spouse, _s, relation) = members[0], members[1]
        assert relation == "spouse"
        if spouse.sex == head.sex or abs(spouse.birth_year - head.birth_year) > 12:
            odd.append(("spouse", head.sex, head.birth_year, spouse.sex, spouse.birth_year))
        for child, _c, relation in members[2:]:
            assert relation == "child"
            ages = [child.birth_year - parent.birth_year for parent in (head, spouse)]
            if min(ages) < 16 or max(ages) > 50 or child.birth_year > 2019:
                odd.append(("child", head.birth_year, spouse.birth_year, child.birth_year))
    assert not odd, odd[:10]
