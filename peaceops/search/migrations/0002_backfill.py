"""Key the names already stored (the same keys `peaceops search reindex` writes)."""

from django.db import migrations

SOURCES = (("person", "core", "PersonName", "person_id", "full_name"),
           ("list_entry", "exchanges", "PartyListEntry", "id", "full_name"),
           ("tracing", "exchanges", "TracingRequest", "id", "sought_name"))


def backfill(apps, schema_editor):
    from peaceops.search.keys import name_keys

    NameKey = apps.get_model("search", "NameKey")
    for scope, app, model, id_field, name_field in SOURCES:
        keys: set[tuple[int, str]] = set()
        rows = apps.get_model(app, model).objects.order_by().values_list(id_field, name_field)
        for record_id, name in rows.iterator(chunk_size=5000):
            keys.update((record_id, key) for key in name_keys(name))
            if len(keys) > 50_000:
                NameKey.objects.bulk_create([NameKey(scope=scope, record_id=r, key=k) for r, k in keys])
                keys.clear()
        NameKey.objects.bulk_create([NameKey(scope=scope, record_id=r, key=k) for r, k in keys])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("core", "0008_natural_keys_unique"),
        ("exchanges", "0004_natural_keys_unique"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
