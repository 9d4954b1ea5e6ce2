"""The bulk registration writer's prepared INSERTs (core.bulkrows, issues 14 and 16) store exactly what Django's
`bulk_create` and simple-history's `bulk_history_create` store: the same columns with the same values and
types, row by row, on SQLite and PostgreSQL; ids come back in order; a refused write leaves nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from peaceops.core import audit, bulkrows
from peaceops.core.models import Person, PersonName
from peaceops.returns.models import Household, HouseholdMember
from peaceops.returns.services import MemberSpec, registering

pytestmark = pytest.mark.django_db(transaction=False)


def _prepared(world, tag: str) -> list[registering.PreparedHousehold]:
    """Three households covering what a registration writes: needs, a carer, a seat need, no origin, a date."""
    places = world["places"]
    specs = [
        [MemberSpec(name=f"Анна Тестян {tag}", sex="F", birth_year=1950, birth_month=2, birth_day=3,
                    needs=["elderly"]),
         MemberSpec(name=f"Aram Testyan {tag}", sex="M", birth_year=1980, relationship="son", carer=None),
         MemberSpec(name=f"Լիլիթ {tag}", sex="F", birth_year=2015, relationship="granddaughter",
                    seat_needs=["wheelchair"], carer=2)],
        [MemberSpec(name=f"Ivan Petrov {tag}", sex="U")],
        [MemberSpec(name=f"Мария {tag}", sex="F", birth_year=1999, birth_month=12)],
    ]
    dates = [dt.date(2020, 11, 15), None, dt.date(2021, 1, 2)]
    return [registering.prepare_household(members, places["stepanakert"], registered_on=day,
                                          origin=places["yerevan"] if n == 0 else None, reference="",
                                          written_by="bench list")
            for n, (members, day) in enumerate(zip(specs, dates, strict=True))]


def _orm_writer(monkeypatch):
    """The writer as it was: Django's bulk_create and simple-history's bulk_history_create."""
    monkeypatch.setattr(bulkrows, "create", lambda model, objs: model.objects.bulk_create(objs))
    monkeypatch.setattr(bulkrows, "create_history", lambda model, objs, user=None, reason="", update=False:
                        model.history.bulk_history_create(objs, default_user=user, update=update,
                                                          default_change_reason=reason))


def _raw(table: str, column: str, ids: list[int]) -> list[tuple]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quote(table)} WHERE {quote(column)} IN ({', '.join(['%s'] * len(ids))}) "
                       f"ORDER BY {quote(column)}", ids)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _shape(value):
    """What a run-specific value (an id, a UUID, a time) must share with the ORM's: its type and its form."""
    if isinstance(value, str):
        return ("str", len(value), value.count("-"), value.count(":"), value.count("+"))
    if isinstance(value, dt.datetime):
        return ("datetime", value.tzinfo is not None, value.microsecond > 0)
    return (type(value).__name__,)


_RUN_SPECIFIC = {"id", "uuid", "created_at", "updated_at", "history_id", "history_date", "person_id", "head_id",
                 "household_id", "carer_id"}


def _rows(households) -> dict[str, list[dict]]:
    persons = [m.person.pk for h in households for m in h.members]
    household_ids = [h.household.pk for h in households]
    tables = {
        "person": _raw(Person._meta.db_table, "id", persons),
        "person_version": _raw(Person.history.model._meta.db_table, "id", persons),
        "name": _raw(PersonName._meta.db_table, "person_id", persons),
        "name_version": _raw(PersonName.history.model._meta.db_table, "person_id", persons),
        "household": _raw(Household._meta.db_table, "id", household_ids),
        "household_version": _raw(Household.history.model._meta.db_table, "id", household_ids),
        "member": _raw(HouseholdMember._meta.db_table, "person_id", persons),
        "member_version": _raw(HouseholdMember.history.model._meta.db_table, "person_id", persons),
    }
    # Ids as positions among this run's persons and households: the same structure, whatever the numbers.
    position = {("p", pk): n for n, pk in enumerate(persons)} | {("h", pk): n for n, pk in enumerate(household_ids)}
    out = {}
    for name, rows in tables.items():
        out[name] = []
        for row in rows:
            norm = {}
            for column, value in row.items():
                if column in ("person_id", "head_id", "carer_id") and value is not None:
                    norm[column] = ("person", position[("p", value)])
                elif column == "household_id":
                    norm[column] = ("household", position[("h", value)])
                elif column == "id" and name.startswith(("person", "household")):
                    norm[column] = (name, position[("p" if name.startswith("person") else "h", value)])
                elif column in _RUN_SPECIFIC:
                    norm[column] = _shape(value)
                else:
                    norm[column] = (type(value).__name__, value)
            out[name].append(norm)
    return out


def test_the_prepared_inserts_store_what_the_orm_stores_column_by_column(world, users, monkeypatch):
    officer = users["returns_officer"]
    with monkeypatch.context() as patch:
        _orm_writer(patch)
        with transaction.atomic():
            orm = _prepared(world, "x")
            registering.bulk_register(orm, user=officer, reason="import")
    with transaction.atomic():
        fast = _prepared(world, "x")
        registering.bulk_register(fast, user=officer, reason="import")
    expected, got = _rows(orm), _rows(fast)
    for table in expected:
        assert len(got[table]) == len(expected[table]) > 0, table
        for want, have in zip(expected[table], got[table], strict=True):
            assert have == want, table
    version = Person.history.filter(id=fast[0].members[0].person.pk).get()
    assert (version.history_type, version.history_user_id, version.history_change_reason) == ("+", officer.pk,
                                                                                               "import")
    assert abs(version.history_date - version.created_at) < dt.timedelta(seconds=5)
    assert audit.verify().intact


def test_ids_come_back_in_order_and_name_the_rows_written(world):
    people = [Person(sex="F", birth_year=1900 + n, uuid=uuid.uuid4()) for n in range(1200)]  # more than a batch
    bulkrows.create(Person, people)
    ids = [p.pk for p in people]
    assert len(set(ids)) == 1200 and all(not p._state.adding for p in people)
    stored = dict(Person.objects.filter(pk__in=ids).values_list("pk", "birth_year"))
    assert [stored[pk] for pk in ids] == [1900 + n for n in range(1200)]


def test_a_refused_write_in_a_chunk_leaves_nothing_of_the_chunk(world, users, household):
    """Persons, names, search keys are written before the households: the database refusing a household (its
    reference taken meanwhile, as by a simultaneous import) takes them all back with the chunk."""
    from peaceops.search.models import NameKey

    taken = household(1).reference
    counts = lambda: (Person.objects.count(), PersonName.objects.count(), NameKey.objects.count(),  # noqa: E731
                      Household.objects.count(), HouseholdMember.objects.count(), Person.history.count(),
                      PersonName.history.count())
    before = counts()
    households = _prepared(world, "y")
    households[2].reference = taken
    with pytest.raises(IntegrityError), transaction.atomic():
        registering.bulk_register(households, user=users["returns_officer"])
    assert counts() == before
    assert audit.verify().intact
