"""peaceops.api.prepared: the SQL is compiled once per connection and shape; every call reads afresh and gives
the queryset's own rows."""

from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from peaceops.api.prepared import Prepared
from peaceops.core.models import Place

pytestmark = pytest.mark.django_db


def _plain(ids, kind):
    return (Place.objects.filter(pk__in=ids, kind=kind).order_by("-name", "id")
            .values("id", "name", "kind", "latitude", "parent__name"))


@pytest.fixture
def places():
    top = Place.objects.create(name="Prepared district", kind="region")
    return [Place.objects.create(name=f"Prepared {n:02}", kind="settlement", parent=top if n % 2 else None,
                                 latitude="39.8" if n % 3 else None) for n in range(40)]


def test_rows_equal_the_querysets_for_every_length_and_the_sql_is_compiled_once_per_shape(places, monkeypatch):
    prepared = Prepared(Place, _plain)
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or as_sql(self, *a, **k))
    ids = [p.pk for p in places]
    for n in (1, 3, 5, 8, 9, 16, 40):
        for offset in (0, 1):
            chosen = ids[offset:offset + n]
            compiled.clear()
            rows = prepared(chosen, "settlement")
            sent = len(compiled)
            assert rows == list(_plain(chosen, "settlement"))
            assert any(isinstance(r["latitude"], Decimal) for r in rows) or n < 3  # converted as values() does
            if offset:
                assert sent == 0  # the shape (this length's power of two) was compiled on the first call
    assert prepared(ids[:3] + ids[:3], "settlement") == list(_plain(ids[:3], "settlement"))
    assert prepared(ids[:3], "region") == []


def test_each_call_is_one_query_that_reads_the_database_afresh(places):
    prepared = Prepared(Place, _plain)
    ids = [places[0].pk]
    assert prepared(ids, "settlement")[0]["name"] == "Prepared 00"
    Place.objects.filter(pk=places[0].pk).update(name="Renamed")
    with CaptureQueriesContext(connection) as queries:
        assert prepared(ids, "settlement")[0]["name"] == "Renamed"
    assert len(queries) == 1


def test_a_lookup_that_transforms_its_value_is_not_cached_and_still_right(places):
    prepared = Prepared(Place, lambda text: Place.objects.filter(name__icontains=text).order_by("id").values("id"))
    assert prepared("prepared 0") == list(Place.objects.filter(name__icontains="prepared 0").order_by("id")
                                          .values("id"))
    assert connections["default"].__dict__[prepared._key] == {(str,): None}
    assert len(prepared("PREPARED 1")) == 10


def test_empty_and_long_lists_run_as_plain_querysets(places):
    prepared = Prepared(Place, _plain)
    assert prepared([], "settlement") == []
    many = [p.pk for p in places] + list(range(10**9, 10**9 + 1100))
    assert prepared(many, "settlement") == list(_plain(many, "settlement"))
