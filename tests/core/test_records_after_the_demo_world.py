"""`peaceops audit verify --records` raises no false alarm on a world built through the application, and names
a record an attacker changes in SQL afterwards."""

import pytest
from django.db import connection

from peaceops.core import record_state
from peaceops.core.context import acting_as
from peaceops.core.registry import collect

pytestmark = pytest.mark.django_db


def test_the_demo_world_matches_its_audited_writes_until_sql_changes_a_household():
    from peaceops.scenario import world as scenario

    world = scenario.over_loaded_core(scale=0.02)
    with acting_as("system:scenario"):
        for build in collect("scenario", "BUILDERS"):
            build(world)
    report = record_state.changed_records()
    assert report.intact, "\n".join(map(str, report.changed[:20]))
    assert report.checked > 0
    # A record whose last write the chain fingerprinted, changed in SQL (an editor bumping a column).
    from django.apps import apps

    from peaceops.core.models.base import TravellingRecord

    label, pk = next((label, pk) for label, pk in sorted(record_state._last_writes())
                     if issubclass(apps.get_model(label), TravellingRecord)
                     and apps.get_model(label)._base_manager.filter(pk=pk).exists())
    table = apps.get_model(label)._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET revision = revision + 100 WHERE id = %s", [pk])
    assert [(c.model, c.object_id) for c in record_state.changed_records().changed] == [(label, pk)]
