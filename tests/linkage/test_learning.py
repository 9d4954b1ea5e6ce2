"""Learning from the officers: confirmed proposals re-estimate m, the engine then scores with the operation's
model, a handful of decisions cannot swing it, and the shipped model stays the fallback."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from peaceops.core.models import AuditEvent
from peaceops.linkage import learning, store
from peaceops.linkage.engine import link_records
from peaceops.linkage.models import ModelVersion
from peaceops.linkage.params import active_params, shipped

from .decisions import LEVELS, registry_decision, tracing_decision

pytestmark = pytest.mark.django_db

# A clerk of this operation writes day and month the other way round: the shipped model has rarely seen it.
LEFT = [{"id": "a", "name": "Armen Petrosyan", "birth_date": "1980-05-12", "sex": "M"}]
RIGHT = [{"id": "b", "name": "Armen Petrosyan", "birth_date": "1980-12-05", "sex": "M"}]


def _score() -> float:
    [proposal] = link_records(LEFT, RIGHT, threshold=0.0)
    return proposal.probability


def _date_weight() -> float:
    """The birth date's evidence for the pair, in bits."""
    [proposal] = link_records(LEFT, RIGHT, threshold=0.0)
    return next(e.match_weight for e in proposal.explanation if e.field == "birth_date")


def _officers_saw_transposed_dates(n: int) -> None:
    for i in range(n):
        registry_decision(0.8, "confirmed", LEVELS["transposed"] if i % 2 else LEVELS["exact_date"])
    registry_decision(0.6, "rejected")


def test_labelled_pairs_carry_the_comparison_vector_of_each_decision():
    registry_decision(0.95, "confirmed", LEVELS["transposed"])
    registry_decision(0.55, "rejected")
    registry_decision(0.7, "proposed")  # not decided: not a label
    tracing_decision(0.9, "confirmed")
    pairs = learning.labelled_pairs()
    assert sorted(pairs["kind"]) == ["registry", "registry", "tracing"]
    assert pairs["is_match"].sum() == 2
    registry = pairs[pairs["kind"] == "registry"].sort_values("probability")
    assert list(registry["birth_date"]) == ["exact", "transposed"]
    assert set(registry["surname"]) == {"exact"}
    assert "an_extra_column" not in pairs  # a field the model does not have is left out


def test_learning_from_decisions_moves_the_model():
    before, bits_before = _score(), _date_weight()
    _officers_saw_transposed_dates(60)
    version, learnt = learning.learn_and_activate(None, min_labels=30)
    assert version.active and version.labels == {"registry": {"confirmed": 60, "rejected": 1}}
    m_before = shipped().m("birth_date", "transposed")
    m_after = store.params_of(version).m("birth_date", "transposed")
    assert m_after > 10 * m_before  # 30 of 60 confirmed pairs were transposed dates
    assert sum(v["m"] for v in store.params_of(version).comparisons["birth_date"].values()) == pytest.approx(1)
    # The engine scores with the operation's model from now on, and says so.
    assert _date_weight() > bits_before + 3  # log2(m_after / m_before) with u unchanged
    assert _score() > before
    assert "version" in active_params()[1]
    assert any("transposed" in note for note in learnt.notes)
    assert AuditEvent.objects.filter(model="linkage.ModelVersion", object_id=str(version.pk)).exists()


def test_the_shipped_model_is_the_fallback_and_stays_reachable():
    before = _date_weight()
    _officers_saw_transposed_dates(40)
    learning.learn_and_activate(None, min_labels=30)
    assert _date_weight() != pytest.approx(before)
    store.use_shipped(None)
    assert _date_weight() == pytest.approx(before)
    assert ModelVersion.objects.count() == 1 and not ModelVersion.objects.get().active


def test_too_few_decisions_leave_the_shipped_model_in_use():
    _officers_saw_transposed_dates(5)
    with pytest.raises(learning.NotEnoughLabels, match="5 confirmed"):
        learning.learn_and_activate(None, min_labels=30)
    assert not ModelVersion.objects.exists()
    assert active_params()[0] is shipped()


def test_a_handful_of_decisions_only_nudges_the_model():
    _officers_saw_transposed_dates(4)  # two transposed among four
    learnt = learning.learn(min_labels=1)
    m = learnt.params.m("birth_date", "transposed")
    assert shipped().m("birth_date", "transposed") < m < 0.1  # counted alone it would be 0.5


def test_each_learning_starts_from_the_shipped_model():
    _officers_saw_transposed_dates(40)
    first, _ = learning.learn_and_activate(None, min_labels=30)
    second, _ = learning.learn_and_activate(None, min_labels=30)
    assert store.params_of(first).comparisons == store.params_of(second).comparisons
    assert list(ModelVersion.objects.filter(active=True)) == [second]


def test_cli_learns_and_goes_back():
    out = io.StringIO()
    _officers_saw_transposed_dates(40)
    call_command("link", "learn", "--min-labels", "30", stdout=out)
    assert "model version" in out.getvalue() and "in use" in out.getvalue()
    call_command("link", "learn", "--shipped", stdout=out)
    assert not ModelVersion.objects.filter(active=True).exists()


def test_cli_refuses_with_too_few_decisions():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="confirmed proposals"):
        call_command("link", "learn", "--min-labels", "30", stdout=io.StringIO())
