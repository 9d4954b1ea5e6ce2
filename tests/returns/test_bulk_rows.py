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
from peaceops.search.models import NameKey

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


def _orm_register(households, user=None, reason: str = "import") -> None:
    """The reference: what `bulk_register` wrote through the ORM before its rows became tuples (Django's
    `bulk_create`, simple-history's `bulk_history_create`, `search.services.index`), new households only."""
    from peaceops.core.text import detect_script
    from peaceops.search import services as name_search

    members = [(h, m) for h in households for m in h.members]
    persons = Person.objects.bulk_create([m.person for _h, m in members])
    names = PersonName.objects.bulk_create([
        PersonName(person=m.person, full_name=m.name, is_primary=True, written_by=h.written_by[:200],
                   script=detect_script(m.name)) for h, m in members])
    name_search.index(name_search.PERSON, [(n.person_id, n.full_name) for n in names], replace=False)
    for prepared in households:
        needs = sorted({n for m in prepared.members for n in m.needs})
        kwargs = {"registered_on": prepared.registered_on} if prepared.registered_on else {}
        prepared.household = Household(
            reference=prepared.reference, head=prepared.members[0].person, origin=prepared.origin,
            destination=prepared.destination, vulnerabilities=needs,
            is_vulnerable=bool(needs) or any(m.seat_needs for m in prepared.members), size=len(prepared.members),
            **kwargs)
    started = Household.objects.bulk_create([h.household for h in households])
    links = HouseholdMember.objects.bulk_create([
        HouseholdMember(household=h.household, person=m.person, relationship=m.relationship, needs=list(m.needs),
                        seat_needs=list(m.seat_needs),
                        carer_id=h.members[m.carer_index].person.pk if m.carer_index is not None
                        else m.carer_person_id)
        for h in households for m in h.members])
    for model, objects in [(Person, persons), (PersonName, names), (Household, started), (HouseholdMember, links)]:
        model.history.bulk_history_create(objects, default_user=user, default_change_reason=reason)


def _as_new_persons(households):
    """The same households as the registrations import prepares them: the persons as `NewPerson`s."""
    for prepared in households:
        for member in prepared.members:
            person = member.person
            member.person = registering.NewPerson(person.sex, person.birth_year, person.birth_month, person.birth_day)
    return households


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
    household_ids = [h.household.pk if h.household is not None else h.household_id for h in households]
    tables = {
        "person": _raw(Person._meta.db_table, "id", persons),
        "person_version": _raw(Person.history.model._meta.db_table, "id", persons),
        "name": _raw(PersonName._meta.db_table, "person_id", persons),
        "name_version": _raw(PersonName.history.model._meta.db_table, "person_id", persons),
        "household": _raw(Household._meta.db_table, "id", household_ids),
        "household_version": _raw(Household.history.model._meta.db_table, "id", household_ids),
        "member": _raw(HouseholdMember._meta.db_table, "person_id", persons),
        "member_version": _raw(HouseholdMember.history.model._meta.db_table, "person_id", persons),
        "name_keys": sorted(_raw(NameKey._meta.db_table, "record_id", persons),
                            key=lambda row: (row["record_id"], row["key"])),
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
                elif column == "record_id":  # a name key's person
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


@pytest.mark.parametrize("path", ["bulk_register", "write_prepared"])
def test_the_prepared_inserts_store_what_the_orm_stores_column_by_column(world, users, path):
    """Both doors: `bulk_register` with model instances (the field-forms import) and `write_prepared` with
    `NewPerson`s (the registrations import), against the ORM's writes; the search keys included."""
    officer = users["returns_officer"]
    with transaction.atomic():
        orm = _prepared(world, "x")
        _orm_register(orm, user=officer, reason="import")
    with transaction.atomic():
        fast = _prepared(world, "x")
        if path == "bulk_register":
            registering.bulk_register(fast, user=officer, reason="import")
        else:
            registering.write_prepared(_as_new_persons(fast), user=officer, reason="import")
    expected, got = _rows(orm), _rows(fast)
    for table in expected:
        assert len(got[table]) == len(expected[table]) > 0, table
        for want, have in zip(expected[table], got[table], strict=True):
            assert have == want, table
    if path == "bulk_register":  # the records handed back are as `bulk_create` leaves them
        for prepared, reference in zip(fast, orm, strict=True):
            household, twin = prepared.household, reference.household
            assert household is not None and twin is not None and not household._state.adding
            stored = Household.objects.get(pk=household.pk)
            assert (household.created_at, household.updated_at, household.revision, household.registered_on) == (
                stored.created_at, stored.updated_at, stored.revision, stored.registered_on)
            assert household.revision == twin.revision == 1
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


def test_new_person_answers_as_member_person_does(world):
    """The import's check without a model instance (`new_person`) keeps and refuses exactly what
    `member_person` keeps and refuses, with its messages: ordinary values, edges and every kind of refusal."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from peaceops.returns.services.households import member_person

    today = timezone.localdate()
    births = [(None, None, None), (1950, None, None), (1950, 2, None), (1950, 2, 3), (2000, 2, 29), (1900, 2, 29),
              (1950, 13, None), (1950, 0, 5), (0, None, None), (None, 5, None), (1950, None, 4), (1950, 4, 31),
              (today.year + 1, None, None), (today.year, today.month, today.day), (32767, None, None),
              (32768, None, None), (-1, None, None), (1950, 2, 0), ("1950", "2", "3"), (10000, 1, 1)]
    specs = [MemberSpec(name=name, sex=sex, birth_year=y, birth_month=m, birth_day=d)
             for name in ("Анна Тестян", "---") for sex in ("F", "M", "U", "", "X", "f")
             for y, m, d in births]
    for spec in specs:
        try:
            person = member_person(spec)
            want: tuple = ("kept", person.sex, person.birth_year, person.birth_month, person.birth_day)
        except ValidationError as exc:
            want = ("refused", sorted(exc.messages))
        try:
            new = registering.new_person(spec, today)
            got: tuple = ("kept", new.sex, new.birth_year, new.birth_month, new.birth_day)
        except ValidationError as exc:
            got = ("refused", sorted(exc.messages))
        assert got == want, spec


def test_a_chunk_date_gives_new_persons_with_member_persons_values_and_refusals(world):
    """The field-forms import's households (`prepare_household(..., today=)`): `NewPerson`s holding what
    `member_person` sets, and the same refusal, word for word, for an identity it refuses."""
    from django.core.exceptions import ValidationError

    places = world["places"]
    today = dt.date.today()
    specs = [MemberSpec(name="Анна Тестян", sex="F", birth_year=1950, birth_month=2, birth_day=3),
             MemberSpec(name="Aram Testyan", sex="", birth_year=1980), MemberSpec(name="Լիլիթ", sex="F")]
    slow = registering.prepare_household(specs, places["stepanakert"])
    fast = registering.prepare_household(specs, places["stepanakert"], today=today)
    assert all(type(m.person) is registering.NewPerson for m in fast.members)
    for a, b in zip(slow.members, fast.members, strict=True):
        assert [getattr(a.person, f) for f in registering.PERSON_FIELDS] == [
            getattr(b.person, f) for f in registering.PERSON_FIELDS]
        assert (a.name, a.relationship, a.needs, a.seat_needs) == (b.name, b.relationship, b.needs, b.seat_needs)
    bad = [MemberSpec(name="Ivan Petrov", sex="M", birth_year=today.year + 1)]
    with pytest.raises(ValidationError) as want:
        registering.prepare_household(bad, places["stepanakert"])
    with pytest.raises(ValidationError) as got:
        registering.prepare_household(bad, places["stepanakert"], today=today)
    assert got.value.messages == want.value.messages


def test_the_writers_statements_are_seen_where_django_logs_queries_and_refusals_are_djangos(world):
    """The driver's own cursor is used only when nothing watches Django's: under a query log every statement is
    there; either way a refusal is Django's IntegrityError (what the chunk's fallback catches)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen, transaction.atomic():
        ids, _values = bulkrows.insert(Person, ("sex", "birth_year"), [("F", 1950), ("M", 1960)],
                                       dt.datetime.now(dt.UTC))
    assert len(ids) == 2 and any("INSERT INTO" in q["sql"] and "RETURNING" in q["sql"] for q in seen.captured_queries)
    taken = Person.objects.get(pk=ids[0]).uuid
    with pytest.raises(IntegrityError), transaction.atomic():
        bulkrows.insert(Person, ("sex", "uuid"), [("F", taken)], dt.datetime.now(dt.UTC))


def test_versions_copied_from_the_written_rows_equal_the_versions_sent_row_by_row(world, users):
    """`copy_history` (the database copies each version from the record just written) stores what
    `insert_history` (every value sent again) stores, for ids in one run and for ids with gaps, and versions
    only the records named."""
    officer = users["returns_officer"]
    now = dt.datetime.now(dt.UTC)
    rows = [("F", 1950 + n, (n % 12) + 1, None) for n in range(7)]
    version = Person.history.model

    def versions(ids):
        got = {v["id"]: v for v in version.objects.filter(id__in=ids).values()}
        return [{k: v for k, v in got[pk].items() if k != "history_id"} for pk in ids]

    with transaction.atomic():
        sent, values = bulkrows.insert(Person, registering.PERSON_FIELDS, rows, now)
        bulkrows.insert_history(Person, sent, values, now, user=officer, reason="import")
        copied, _values = bulkrows.insert(Person, registering.PERSON_FIELDS, rows, now)
        gaps = copied[::2]  # not one run of ids: copied by list
        assert bulkrows.copy_history(Person, gaps, now, user=officer, reason="import") == len(gaps)
        assert bulkrows.copy_history(Person, copied[1:2], now, user=officer, reason="import") == 1
    by_position = dict(zip(copied, sent, strict=True))
    want = versions([by_position[pk] for pk in [*gaps, copied[1]]])
    have = versions([*gaps, copied[1]])
    for w, h in zip(want, have, strict=True):
        assert {k: v for k, v in h.items() if k not in ("id", "uuid")} == {
            k: v for k, v in w.items() if k not in ("id", "uuid")}
        assert h["uuid"] == Person.objects.get(pk=h["id"]).uuid
    assert not version.objects.filter(id__in=copied[3::2]).exists()  # odd positions after 1: never versioned


def test_the_chunk_keys_and_scripts_are_the_search_indexes_and_detect_scripts():
    """The chunk writer's shortcuts answer as the functions they stand for: each part's keys and each name's
    keys remembered (`search.keys.name_keys`), an ASCII name's script without counting (`detect_script`), the
    key rows in the key index's order."""
    from peaceops.core.text import detect_script
    from peaceops.search.keys import name_keys
    from peaceops.search.services import PERSON

    names = ["Anna Petrosyan", "Анна Петросян", "Աննա Պետրոսյան", "Hüseynov Rəşad", "Тер-Петросян", "O'Brien",
             "123", "", "  ", "A.", "Anna Petrosyan", "x" * 100, "Ivan-Ivanov Jr.", "მარიამ", "علي"]
    for name in names:
        assert set(registering._name_keys(name)) == name_keys(name), name
        assert registering._script(name) == detect_script(name), name
    ids = list(range(100, 100 + len(names)))
    want = sorted((PERSON, key, pk) for pk, name in zip(ids, names, strict=True) for key in name_keys(name))
    assert registering._key_rows(ids, names) == want


def test_a_fresh_uuid_for_the_database_is_a_version_4_uuid():
    made = {bulkrows._uuid4_hex() for _n in range(2000)}
    assert len(made) == 2000
    for text in made:
        value = uuid.UUID(hex=text)
        assert (len(text), value.hex, value.version, value.variant) == (32, text, 4, uuid.RFC_4122)


def test_versions_copied_without_a_user_or_a_reason_store_nulls():
    """An import with no user and no reason (the system's): the copied versions hold NULLs there, on
    PostgreSQL too, where an untyped NULL in a SELECT list would otherwise be text."""
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic():
        ids, _values = bulkrows.insert(Person, registering.PERSON_FIELDS, [("F", 1950, None, None)] * 3, now)
        bulkrows.copy_history(Person, ids, now, user=None, reason=None)
        bulkrows.copy_history(Person, ids[::2], now, user=None, reason="again")
    got = sorted(Person.history.filter(id__in=ids).values_list("history_user_id", "history_change_reason"), key=str)
    assert got == sorted([(None, None)] * 3 + [(None, "again")] * 2, key=str)
