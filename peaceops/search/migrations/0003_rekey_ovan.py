"""Re-key every stored name: the skeleton of an opening "ovan"/"ogan"/"ohan" changed (Ованесян and Hovannisyan now
meet Հովհաննիսյան, peaceops.linkage.translit.skeleton), and keys written before would no longer be found by the
queries cut the new way. The same as `peaceops names reindex`."""

from importlib import import_module

from django.db import migrations


def rekey(apps, schema_editor):
    apps.get_model("search", "NameKey").objects.all()._raw_delete(schema_editor.connection.alias)
    import_module("peaceops.search.migrations.0002_backfill").backfill(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_backfill")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
