"""Registrations written in bulk by the CSV importer (returns.services.registering, issue 16): a chunk that fails
mid-way leaves nothing of itself, the batch says how far it got, and resuming finishes it; members joining a
household registered before count as a change of it."""

from __future__ import annotations

import pytest

from peaceops.core import audit
from peaceops.core.models import Person, PersonName
from peaceops.intake import tabular
from peaceops.intake.models import BatchStatus, ImportBatch
from peaceops.returns.imports import REGISTRATION_SPEC
from peaceops.returns.models import Household, HouseholdMember
from peaceops.returns.services import registering
from peaceops.search import services as name_search
from peaceops.search.models import NameKey

pytestmark = pytest.mark.django_db


def _csv(rows: int) -> str:
    lines = ["household,name,sex,birth_date,relationship,destination,vulnerabilities,registered_on"]
    lines += [f"C-{n // 3},Арам Тестян {n},M,1970,,Stepanakert,,2020-11-15" for n in range(rows)]
    return "\n".join(lines) + "\n"


def test_a_csv_chunk_that_fails_mid_way_leaves_nothing_of_itself_and_the_batch_says_how_far_it_got(
        users, monkeypatch):
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 10)
    original, calls = registering.write_prepared, {"n": 0}  # the import's chunk writer (bulk_register's rows)

    def killed_mid_chunk(*args, **kwargs):
        calls["n"] += 1
        written = original(*args, **kwargs)  # persons, names, keys, households, members, versions written...
        if calls["n"] == 3:
            raise KeyboardInterrupt  # ...and then the process is stopped before the chunk commits
        return written

    monkeypatch.setattr(registering, "write_prepared", killed_mid_chunk)
    monkeypatch.setattr("peaceops.returns.imports.write_prepared", killed_mid_chunk)
    with pytest.raises(KeyboardInterrupt):
        tabular.run_import(REGISTRATION_SPEC, _csv(45).encode(), "reg.csv", users["returns_officer"])
    batch = ImportBatch.objects.get(filename="reg.csv")
    assert (batch.rows_read, batch.rows_saved, batch.status) == (20, 20, BatchStatus.QUEUED)
    ids = list(PersonName.objects.filter(full_name__startswith="Арам Тестян").values_list("person_id", flat=True))
    assert len(ids) == 20 and Person.objects.filter(pk__in=ids).count() == 20
    assert Person.history.filter(id__in=ids).count() == PersonName.history.filter(person_id__in=ids).count() == 20
    assert HouseholdMember.history.filter(person_id__in=ids).count() == 20
    assert set(NameKey.objects.filter(scope=name_search.PERSON, record_id__in=ids).values_list(
        "record_id", flat=True)) == set(ids)
    assert not NameKey.objects.filter(scope=name_search.PERSON).exclude(
        record_id__in=Person.objects.values("pk")).exists()  # no key of a person rolled back
    assert audit.verify().intact
    monkeypatch.setattr("peaceops.returns.imports.write_prepared", original)
    tabular.resume(batch)
    batch.refresh_from_db()
    assert (batch.rows_read, batch.rows_saved, batch.status) == (45, 45, BatchStatus.DONE)
    assert HouseholdMember.objects.filter(household__reference__startswith="C-").count() == 45
    assert Household.objects.filter(reference__startswith="C-").count() == 15
    found = name_search.search(Person.objects.all(), name_search.PERSON, "Aram Testyan 44")
    assert found.count() >= 1
    assert audit.verify().intact


def test_members_joining_a_household_registered_before_bump_its_revision_and_keep_a_version(users):
    first = _csv(2)
    tabular.run_import(REGISTRATION_SPEC, first.encode(), "a.csv", users["returns_officer"])
    household = Household.objects.get(reference="C-0")
    before = (household.revision, household.history.count())
    more = _csv(3).replace("C-0,Арам Тестян 0", "C-0,Lilit Testyan").replace("C-0,Арам Тестян 1", "C-0,Anna X")
    tabular.run_import(REGISTRATION_SPEC, more.encode(), "b.csv", users["returns_officer"])
    household.refresh_from_db()
    assert household.size == 5 and household.revision > before[0] and household.history.count() == before[1] + 1
    assert audit.verify().intact


@pytest.mark.parametrize("sex, year, month, day", [
    ("F", 1950, None, None), ("X", 1950, 2, 30), ("M", None, 3, None), ("U", 1980, 13, None), ("F", 3020, None, None),
    ("", None, None, 5), ("M", 70000, None, None), ("F", -1, None, None), ("M", 1999, 2, 28)])
def test_member_person_refuses_exactly_what_full_clean_refuses(sex, year, month, day):
    from django.core.exceptions import ValidationError

    from peaceops.returns.services import MemberSpec
    from peaceops.returns.services.households import member_person

    def messages(check):
        try:
            check()
        except ValidationError as exc:
            return exc.message_dict
        return None

    person = Person(sex=sex or "U", birth_year=year, birth_month=month, birth_day=day)
    expected = messages(lambda: person.full_clean(exclude=["uuid"]))
    assert messages(lambda: member_person(MemberSpec(name="Anna", sex=sex, birth_year=year, birth_month=month,
                                                     birth_day=day))) == expected
