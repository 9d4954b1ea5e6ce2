"""The migration that re-keys stored names after a change of normalisation leaves every name keyed the new way."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from peaceops.core.models import Person, PersonName
from peaceops.search import services
from peaceops.search.keys import name_keys
from peaceops.search.models import NameKey

pytestmark = pytest.mark.django_db


def test_names_keyed_the_old_way_are_found_after_the_migration():
    person = Person.objects.create(sex="M", birth_year=1970)
    PersonName.objects.create(person=person, full_name="Արամ Հովհաննիսյան", is_primary=True)
    # What an older release wrote: the skeleton of the time, "kaknsn", beside the forms.
    NameKey.objects.filter(scope=services.PERSON, record_id=person.pk).delete()
    NameKey.objects.bulk_create([NameKey(scope=services.PERSON, record_id=person.pk, key=k)
                                 for k in ("faram", "karm", "fhovhannisyan", "kaknsn")])
    assert not services.search(Person.objects.all(), services.PERSON, "Ованесян").exists()

    import_module("peaceops.search.migrations.0003_rekey_ovan").rekey(apps, connection.schema_editor())

    keys = set(NameKey.objects.filter(scope=services.PERSON, record_id=person.pk).values_list("key", flat=True))
    assert keys == name_keys("Արամ Հովհաննիսյան")
    assert list(services.search(Person.objects.all(), services.PERSON, "Ованесян").values_list("pk", flat=True)) == [
        person.pk]
