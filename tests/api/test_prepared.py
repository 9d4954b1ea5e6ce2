"""peaceops.api.prepared: the SQL is compiled once per connection and shape; every call reads afresh and gives
the queryset's own rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from peaceops.api.prepared import Prepared
from peaceops.ceasefire.models import Incident
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


def test_a_new_prepared_never_runs_the_sql_of_a_collected_one_at_the_same_address(places):
    """CI caught this: keyed by id(), a Prepared made after another was collected took over its compiled SQL."""
    by_name = Prepared(Place, lambda name: Place.objects.filter(name=name).order_by("id").values("id"))
    assert len(by_name("Prepared 01")) == 1
    del by_name
    settlements = Place.objects.filter(kind="settlement").count()
    keys = set()
    for _ in range(50):  # CPython hands a freed object's memory to the next: the old key came back within a few
        by_kind = Prepared(Place, lambda kind: Place.objects.filter(kind=kind).order_by("id").values("id"))
        keys.add(by_kind._key)
        assert len(by_kind("settlement")) == settlements  # not the name query's empty answer
    assert len(keys) == 50


def test_empty_and_long_lists_run_as_plain_querysets(places):
    prepared = Prepared(Place, _plain)
    assert prepared([], "settlement") == []
    many = [p.pk for p in places] + list(range(10**9, 10**9 + 1100))
    assert prepared(many, "settlement") == list(_plain(many, "settlement"))


# Dates and datetimes: the backend adapts them on the way into the parameters (SQLite sends text in the
# connection's time zone), so the cached path adapts each call's values the same way.

UTC, YEREVAN = dt.UTC, dt.timezone(dt.timedelta(hours=4))


@pytest.fixture
def incidents():
    start = dt.datetime(2020, 11, 19, 22, 30, tzinfo=UTC)
    made = []
    for n in range(30):
        when = start + dt.timedelta(hours=3 * n, microseconds=n)
        made.append(Incident.objects.create(occurred_from=when, occurred_to=when, incident_type="shelling",
                                            sub_type="artillery", latitude="39.8", longitude="46.7"))
    return made


def _between(after, before):
    return (Incident.objects.filter(occurred_from__gte=after, occurred_from__lt=before).order_by("id")
            .values("id", "occurred_from", "local_date"))


def _compiles(monkeypatch) -> list:
    compiled: list = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or as_sql(self, *a, **k))
    return compiled


def test_datetimes_give_the_querysets_rows_and_compile_once(incidents, monkeypatch):
    prepared = Prepared(Incident, _between)
    compiled = _compiles(monkeypatch)
    windows = [(dt.datetime(2020, 11, 20, tzinfo=UTC), dt.datetime(2020, 11, 21, tzinfo=UTC)),
               (dt.datetime(2020, 11, 20, 4, 30, tzinfo=YEREVAN), dt.datetime(2020, 11, 21, 1, 30, 0, 3, tzinfo=YEREVAN)),
               (incidents[3].occurred_from, incidents[9].occurred_from),  # microseconds at the edges
               (dt.datetime(2020, 12, 1, tzinfo=UTC), dt.datetime(2020, 12, 2, tzinfo=UTC))]
    for n, (after, before) in enumerate(windows):
        compiled.clear()
        rows = prepared(after, before)
        sent = len(compiled)
        assert rows == list(_between(after, before)), (after, before)
        if n:
            assert sent == 0  # compiled on the first call only
    assert [len(prepared(*w)) for w in windows] == [8, 7, 6, 0]


def test_dates_and_lists_of_dates_give_the_querysets_rows(incidents, monkeypatch):
    def on_days(first, last, days):
        return (Incident.objects.filter(local_date__gte=first, local_date__lte=last, occurred_from__date__in=days)
                .order_by("-occurred_from").values("id", "local_date"))

    prepared = Prepared(Incident, on_days)
    compiled = _compiles(monkeypatch)
    for first, last, days in [(dt.date(2020, 11, 20), dt.date(2020, 11, 22), [dt.date(2020, 11, 20)]),
                              (dt.date(2020, 11, 19), dt.date(2020, 11, 30),
                               [dt.date(2020, 11, 19), dt.date(2020, 11, 21), dt.date(2020, 11, 22)]),
                              (dt.date(2020, 11, 21), dt.date(2020, 11, 21), [dt.date(2020, 11, 21)])]:
        compiled.clear()
        assert prepared(first, last, days) == list(on_days(first, last, days))
        assert prepared(first, last, days)
    compiled.clear()
    prepared(dt.date(2020, 11, 23), dt.date(2020, 11, 24), [dt.date(2020, 11, 23)])
    assert not compiled


def test_a_naive_datetime_or_a_datetime_given_to_a_date_runs_as_a_plain_queryset(incidents):
    prepared = Prepared(Incident, _between)
    naive = (dt.datetime(2020, 11, 20), dt.datetime(2020, 11, 21))
    with pytest.warns(RuntimeWarning):  # Django's own warning for a naive datetime, as the plain queryset gives
        rows = prepared(*naive)
    with pytest.warns(RuntimeWarning):
        assert rows == list(_between(*naive))
    assert prepared._key not in connections["default"].__dict__  # nothing compiled for it

    as_date = Prepared(Incident, lambda after: Incident.objects.filter(local_date__gte=after).order_by("id")
                       .values("id"))
    after = dt.datetime(2020, 11, 21, 23, 0, tzinfo=UTC)  # a date field takes the day in the local zone
    assert as_date(after) == list(Incident.objects.filter(local_date__gte=after).order_by("id").values("id"))
    assert connections["default"].__dict__[as_date._key] == {(dt.datetime,): None}


def test_a_change_of_a_date_is_read_afresh(incidents):
    prepared = Prepared(Incident, _between)
    window = (dt.datetime(2020, 11, 20, tzinfo=UTC), dt.datetime(2020, 11, 21, tzinfo=UTC))
    before = len(prepared(*window))
    Incident.objects.filter(pk=incidents[-1].pk).update(occurred_from=window[0])  # days later before
    with CaptureQueriesContext(connection) as queries:
        assert len(prepared(*window)) == before + 1
    assert len(queries) == 1
