"""Matching an event reads the active rules' conditions in one query compiled once per connection, and the rules
themselves only when one matches: the same alerts as reading every rule, and a rule's change seen at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peaceops.alerts.models import Alert, AlertRule
from peaceops.alerts.services import rules

pytestmark = pytest.mark.django_db

FACTS = {"incident": 7, "place": 3, "district": 12, "type": "shelling", "sub_type": "mortar", "killed": 0,
         "injured": 2, "casualties": 2, "stage": "filed", "link": "/ceasefire/incidents/7/"}


def _every_rule_read(kind, facts):
    """The former reading: every active rule of the kind as an instance, with its people, then matched."""
    return [r.pk for r in AlertRule.objects.filter(kind=kind, active=True).prefetch_related("users")
            if rules.matches(r.conditions, facts)]


def test_an_event_no_rule_wants_costs_one_query(rule):
    rule("ceasefire.violation", conditions={"min_casualties": 5})
    rule("ceasefire.violation", conditions={"district": [1, 2]})
    rules.on_event("ceasefire.violation", None, FACTS)
    with CaptureQueriesContext(connection) as queries:
        assert rules.on_event("ceasefire.violation", None, FACTS) == []
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("facts", [FACTS, {**FACTS, "district": 1}, {**FACTS, "casualties": 5, "district": "2"},
                                   {**FACTS, "stage": "verified"}])
def test_the_alerts_raised_are_those_every_rule_read_would_raise(rule, users, facts):
    rule("ceasefire.violation", name="b casualties", conditions={"min_casualties": 5})
    rule("ceasefire.violation", name="a districts", conditions={"district": [1, 2]}, users=[users["analyst"]])
    rule("ceasefire.violation", name="c filed", conditions={"stage": "filed"}, roles=["coordinator"])
    rule("ceasefire.violation", name="d anything")
    quiet = rule("ceasefire.violation", name="e off")
    rules.deactivate_rule(quiet, users["coordinator"])
    rule("ceasefire.casualties", name="f other kind")
    expected = _every_rule_read("ceasefire.violation", facts)
    raised = rules.on_event("ceasefire.violation", None, facts)
    assert [a.rule_id for a in raised] == expected
    for alert in raised:
        assert list(alert.users.all()) == list(alert.rule.users.all())
        assert alert.roles == alert.rule.roles


def test_a_new_edited_or_deactivated_rule_is_heard_at_the_next_event(rule, users):
    assert rules.on_event("ceasefire.violation", None, FACTS) == []
    made = rule("ceasefire.violation", conditions={"district": 99})
    assert rules.on_event("ceasefire.violation", None, FACTS) == []
    rules.edit_rule(made, users["coordinator"], conditions={"district": 12})
    assert [a.rule_id for a in rules.on_event("ceasefire.violation", None, FACTS)] == [made.pk]
    rules.deactivate_rule(made, users["coordinator"])
    assert rules.on_event("ceasefire.violation", None, FACTS) == []
    assert Alert.objects.count() == 1


def test_a_rule_changed_between_the_two_reads_is_taken_as_it_is_then(rule, users, monkeypatch):
    made = rule("ceasefire.violation", conditions={"district": 12})
    stale = [{"id": made.pk, "conditions": {"district": 12}}]
    rules.edit_rule(made, users["coordinator"], conditions={"district": 13})
    monkeypatch.setattr(rules, "_ACTIVE_CONDITIONS", lambda kind: stale)
    assert rules.on_event("ceasefire.violation", None, FACTS) == []
