"""API tokens used to be stored in plain text (rest_framework.authtoken), readable by administrators. They are
now stored as digests (knox). The old tokens are deleted, not converted: any of them may have been read, so
every holder requests a new one (`POST /api/auth/token/`)."""

from django.db import migrations


def forget_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_role_changes_and_credentials_epoch")]

    operations = [migrations.RunPython(forget_plain_tokens, migrations.RunPython.noop)]
