"""Filing skips the validation queries that could only pass (peaceops.ceasefire.services.workflow.prepare), and
still refuses everything those queries refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CheckConstraint, Q
from django.test.utils import CaptureQueriesContext

from peaceops.ceasefire import services
from peaceops.ceasefire.models import Incident
from peaceops.core.models import Place
from tests.ceasefire.conftest import local

pytestmark = pytest.mark.django_db


def _fields(world, **extra):
    when = local(2020, 12, 12, 10)
    return {"occurred_from": when, "occurred_to": when, "incident_type": "shelling", "sub_type": "mortar",
            "time_precision": "minute", "place": world["places"]["martuni"], **extra}


def test_a_filing_without_external_id_sends_no_check_query(world, users):
    with CaptureQueriesContext(connection) as queries:
        services.file_incident(users["monitor"], _fields(world), [(world["sources"]["patrol"], "seen")])
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if '"_check"' in s], sql  # the constraints' check queries
    assert not [s for s in sql if s.startswith('SELECT 1 AS "a" FROM')], sql  # existence checks of keys and uuid


def test_a_place_not_in_the_database_is_still_refused(world, users):
    ghost = Place(pk=987654, name="Nowhere", kind=world["places"]["martuni"].kind)
    with pytest.raises(ValidationError) as refused:
        services.file_incident(users["monitor"], _fields(world, place=ghost), [(world["sources"]["patrol"], "")])
    assert "place" in refused.value.message_dict
    assert not Incident.objects.exists()


def test_a_new_constraint_is_checked_again(world, users, monkeypatch):
    """A constraint the skip does not know makes full_clean check them all, as before."""
    never = CheckConstraint(condition=Q(incident_type="no-such-type"), name="cf_test_never", violation_error_message="never holds")
    monkeypatch.setattr(Incident._meta, "constraints", [*Incident._meta.constraints, never])
    with pytest.raises(ValidationError, match="never holds"):
        services.file_incident(users["monitor"], _fields(world), [(world["sources"]["patrol"], "seen")])


def test_a_window_out_of_order_is_still_refused(world, users):
    fields = _fields(world)
    fields["occurred_to"] = fields["occurred_from"].replace(hour=9)
    with pytest.raises(ValidationError) as refused:
        services.file_incident(users["monitor"], fields, [(world["sources"]["patrol"], "seen")])
    assert "occurred_to" in refused.value.message_dict
