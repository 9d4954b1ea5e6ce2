"""PostgreSQL with server-side binding (`PEACEOPS_PG_PREPARE_THRESHOLD`): a statement carries at most 65,535
parameters, so bulk writes are batched under that (Django 5.2 sends them in one INSERT). Client-side binding, the
default, keeps Django's own batching."""

import pytest
from django.db import connection

from peaceops.core.backends.postgresql.base import SERVER_SIDE_MAX_PARAMS, DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend")


def _wrapper(**options):
    settings = {**connection.settings_dict, "OPTIONS": {**connection.settings_dict.get("OPTIONS", {}), **options}}
    return DatabaseWrapper(settings, alias="server-binding-test")


def test_server_side_binding_batches_bulk_writes_under_the_parameter_limit():
    wrapper = _wrapper(server_side_binding=True, prepare_threshold=5)
    assert wrapper.features.uses_server_side_binding
    assert wrapper.features.max_query_params == SERVER_SIDE_MAX_PARAMS
    fields = ["a"] * 12
    objs = list(range(20_000))  # 240,000 parameters in one INSERT would be refused
    size = wrapper.ops.bulk_batch_size(fields, objs)
    assert size * len(fields) <= SERVER_SIDE_MAX_PARAMS
    assert size == SERVER_SIDE_MAX_PARAMS // len(fields)
    assert wrapper.ops.bulk_batch_size(fields, objs[:10]) == 10


def test_client_side_binding_keeps_djangos_batching():
    wrapper = _wrapper(server_side_binding=False)
    assert wrapper.features.max_query_params is None
    assert wrapper.ops.bulk_batch_size(["a"] * 12, list(range(20_000))) == 20_000


@pytest.mark.django_db
def test_a_bulk_update_over_the_limit_goes_through():
    """The real thing when the suite runs with server-side binding: a bulk update of 30,000 rows sends three
    parameters a row (CASE WHEN id THEN name, and the id list). bulk_create is safe by itself on Django 5.2 (it
    sends a column as one array, UNNEST), bulk_update is not."""
    from django.contrib.auth.models import Group

    if not connection.features.uses_server_side_binding:
        pytest.skip("the suite runs with client-side binding")
    groups = Group.objects.bulk_create([Group(name=f"bulk {n}") for n in range(30_000)])
    for group in groups:
        group.name = group.name.replace("bulk", "moved")
    Group.objects.bulk_update(groups, ["name"])
    assert Group.objects.filter(name__startswith="moved ").count() == 30_000
