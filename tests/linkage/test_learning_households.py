"""Learning from the officers, the household comparison (issue 15, item 2): a decision's stored household reason is
part of its comparison vector, confirmed pairs re-estimate the household m (known levels only) with the shipped m
as the prior, the learnt version carries it and the engine scores households with it."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.utils import translation

from peaceops.linkage import households, learning, store
from peaceops.linkage.engine import dedupe_records, link, link_records
from peaceops.linkage.params import ModelParams, shipped

from .decisions import reasons, registry_decision

pytestmark = pytest.mark.django_db

NONE_IN_COMMON = households.LABELS[households.NONE]
ALONE = households.LABELS[households.UNKNOWN]


def _with_household(level: str | None) -> list[dict]:
    """A proposal's reasons as the registry's search stores them (tests/returns/test_duplicate_households.py)."""
    out = reasons()
    if level is not None:
        out.append({"field": "household", "level": level, "weight": -3.45, "agrees": False, "left": "#1",
                    "right": "#2"})
    return out


def _decided(n: int, level: str | None, status: str = "confirmed") -> None:
    for _i in range(n):
        proposal = registry_decision(0.8, status)
        proposal.explanation = _with_household(level)
        proposal.save(update_fields=["explanation"])


def _shipped_m(key: str) -> float:
    return shipped().m("household", key)


def _prior_share(key: str, counts: dict[str, int]) -> float:
    """The documented estimate: (PRIOR_PAIRS × shipped m + confirmed at the level) / (PRIOR_PAIRS + confirmed)."""
    n = sum(counts.values())
    shares = {k: (learning.PRIOR_PAIRS * _shipped_m(k) + counts.get(k, 0)) / (learning.PRIOR_PAIRS + n)
              for k in households.KEYS.values()}
    return shares[key] / sum(shares.values())


def test_the_household_reason_is_part_of_the_comparison_vector():
    levels = {label: learning.comparison_vector([{"field": "household", "level": label}]).get("household")
              for label in households.LABELS.values()}
    assert levels == {"same household": "same", "a co-member in common": "common", NONE_IN_COMMON: "none",
                      ALONE: "missing"}
    # Reasons stored before the unknown level was renamed (it read "missing") still load as the unknown level.
    assert learning.comparison_vector([{"field": "household", "level": "missing"}]) == {"household": "missing"}


def test_old_reasons_without_a_household_still_load():
    _decided(1, None)  # a proposal stored before households were compared
    _decided(1, NONE_IN_COMMON)
    pairs = learning.labelled_pairs().sort_values("probability")
    assert len(pairs) == 2 and set(pairs["birth_date"]) == {"exact"}
    assert pairs["household"].isna().sum() == 1 and list(pairs["household"].dropna()) == ["none"]


def test_confirmed_pairs_with_none_in_common_raise_that_levels_m():
    _decided(40, NONE_IN_COMMON)
    _decided(20, ALONE)  # a side registered alone says nothing about the household m
    _decided(10, None)  # nor does a proposal made before households were compared
    _decided(30, NONE_IN_COMMON, status="rejected")  # nor a rejected one
    learnt = learning.learn(min_labels=30)
    m = {k: learnt.params.m("household", k) for k in households.KEYS.values()}
    assert m["none"] == pytest.approx(_prior_share("none", {"none": 40}))
    assert m["none"] > 5 * _shipped_m("none") and sum(m.values()) == pytest.approx(1)
    assert m["common"] < _shipped_m("common")
    # u is the shipped one (the data's, in a run); the household entry keeps all its levels.
    assert {k: v["u"] for k, v in learnt.params.comparisons["household"].items()} == {
        k: v["u"] for k, v in shipped().comparisons["household"].items()}
    assert households.m_u(learnt.params)[households.NONE][0] == pytest.approx(m["none"])
    # The notes say the household m moved, from how many decisions, and which level.
    assert any("Household: m re-estimated from the 40 confirmed" in note for note in learnt.notes)
    assert any(note.startswith("household, \u201cco-members on both sides, none in common\u201d") for note in
               learnt.notes)
    # A base model without a household entry (an operation's version stored before it) learns none, says nothing.
    base = ModelParams({k: v for k, v in shipped().comparisons.items() if k != "household"})
    learnt = learning.learn(min_labels=30, base=base)
    assert "household" not in learnt.params.comparisons
    assert not any("ousehold" in note for note in learnt.notes)


def test_decisions_without_household_reasons_leave_the_household_m_as_shipped():
    _decided(20, None)
    _decided(20, ALONE)
    learnt = learning.learn(min_labels=30)
    assert learnt.params.comparisons["household"] == shipped().comparisons["household"]
    assert learnt.params.m("birth_date", "exact") != shipped().m("birth_date", "exact")  # the rest did learn
    assert any("no confirmed proposal had co-members on both sides" in note for note in learnt.notes)
    assert not any(note.startswith("household,") for note in learnt.notes)


# Two men called Herasim Vlasov, each registered with a family of his own (tests/returns/test_duplicate_households).
LEFT = [{"id": "a", "name": "Herasim Vlasov", "birth_date": "1941", "sex": "M", "household": "H1"},
        {"id": "a2", "name": "Margarita Vlasova", "birth_date": "1944", "sex": "F", "household": "H1"}]
RIGHT = [{"id": "b", "name": "Herasim Vlasov", "birth_date": "1941", "sex": "M", "household": "H2"},
         {"id": "b2", "name": "Fevroniya Vlasova", "birth_date": "1943", "sex": "F", "household": "H2"}]


def _herasim() -> tuple[float, float]:
    """The namesakes' probability and household weight (bits), scored with the model in use."""
    [pair] = [p for p in link_records(LEFT, RIGHT, threshold=0.0) if (p.left_id, p.right_id) == ("a", "b")]
    [household] = [e for e in pair.explanation if e.field == "household"]
    assert household.level == NONE_IN_COMMON
    return pair.probability, household.match_weight


def test_a_learnt_household_m_changes_a_later_runs_score_for_such_a_pair():
    before, bits_before = _herasim()
    assert bits_before == pytest.approx(math.log2(_shipped_m("none") / shipped().comparisons["household"]["none"]["u"]),
                                        abs=1e-3)
    _decided(60, NONE_IN_COMMON)
    version, _learnt = learning.learn_and_activate(None, min_labels=30)
    learnt_m = store.params_of(version).m("household", "none")
    assert learnt_m == pytest.approx(_prior_share("none", {"none": 60}))
    probability, bits = _herasim()
    assert bits == pytest.approx(bits_before + math.log2(learnt_m / _shipped_m("none")), abs=1e-3)
    assert bits > bits_before + 2 and probability > before
    assert any("learnt from the officers' decisions" in line for line in _household_notes())
    store.use_shipped(None)
    assert _herasim()[1] == pytest.approx(bits_before)
    assert any("generated households" in line for line in _household_notes())


def _household_notes() -> list[str]:
    """What the run's summary says of the household's m (English)."""
    with translation.override("en"):
        return [line for line in link(LEFT, RIGHT, threshold=0.0).notes if line.startswith("Households:")]


def _family(world, members: list[tuple[str, str, int]], registered: str):
    from peaceops.returns import services
    from peaceops.returns.services import MemberSpec

    specs = [MemberSpec(name=name, sex=sex, birth_year=born) for name, sex, born in members]
    return services.register_household(specs, world["places"]["stepanakert"],
                                       registered_on=dt.date.fromisoformat(registered)).head


def _proposal(a, b):
    from peaceops.returns.models import DuplicateProposal

    return DuplicateProposal.objects.get(left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk))


def _household_reason(proposal) -> dict:
    [reason] = [r for r in proposal.explanation if r["field"] == "household"]
    return reason


def test_end_to_end_an_officers_confirmation_in_the_registry_teaches_the_household_m(world, users):
    """The registry's search stores the household reason, the officer confirms, learning reads it, and the next
    search scores the other pair of namesakes in two families with the learnt m."""
    from peaceops.returns.services import duplicates

    herasim = _family(world, [("Herasim Vlasov", "M", 1941), ("Marharyta Vlasova", "F", 1944)], "2020-11-10")
    herasim2 = _family(world, [("Herasim Vlasov", "M", 1941), ("Fevroniya Vlasova", "F", 1943)], "2020-11-11")
    ruben = _family(world, [("Ruben Avagyan", "M", 1950), ("Lusine Avagyan", "F", 1952)], "2020-11-10")
    ruben2 = _family(world, [("Ruben Avagyan", "M", 1950), ("Karine Avagyan", "F", 1953)], "2020-11-12")
    officer = users["returns_officer"]
    duplicates.find_duplicates(officer, threshold=0.01)
    first, other = _proposal(herasim, herasim2), _proposal(ruben, ruben2)
    assert _household_reason(first)["level"] == _household_reason(other)["level"] == NONE_IN_COMMON
    bits_before = _household_reason(other)["weight"]

    duplicates.confirm(first, officer, "the same man: his second family's form was filled in at another office")
    version, learnt = learning.learn_and_activate(None, min_labels=1)
    params = store.params_of(version)
    assert params.m("household", "none") == pytest.approx(_prior_share("none", {"none": 1}))
    assert any("Household: m re-estimated from the 1 confirmed" in note for note in learnt.notes)

    duplicates.find_duplicates(officer, threshold=0.01)  # the open proposal is scored again, with the learnt m
    other.refresh_from_db()
    moved = math.log2(params.m("household", "none") / _shipped_m("none"))
    assert _household_reason(other)["weight"] == pytest.approx(bits_before + moved, abs=0.011)  # stored to 0.01 bit
    # Its probability, against the same model with the shipped household m: higher.
    records = duplicates.registry_records()
    kept = ModelParams({**params.comparisons, "household": shipped().comparisons["household"]}, params.query_prior,
                       params.meta)

    def probability(with_params: ModelParams) -> float:
        ids = {f"{ruben.pk}:0", f"{ruben2.pk}:0"}
        [p] = [p for p in dedupe_records(records, threshold=0.0, params=with_params) if {p.left_id, p.right_id} == ids]
        return p.probability

    assert probability(params) > probability(kept)


def test_the_quality_page_names_the_household_level_among_the_moves(client_for, settings):
    settings.PEACEOPS_LINKAGE_MIN_LABELS = 30
    _decided(40, NONE_IN_COMMON)
    client_for("coordinator").post("/linkage/learn/")
    body = client_for("coordinator").get("/linkage/quality/").content.decode()
    assert "Household: m re-estimated from the 40 confirmed proposals" in body
    shipped_share = 100 * _shipped_m("none")
    assert (f"household, \u201cco-members on both sides, none in common\u201d: a true pair shows it {shipped_share:.1f} %"
            in body)
    with translation.override("ru"):  # the field's name is the registry page's, translated
        assert str(learning.FIELD_NAMES["household"]) == "домохозяйство"
