from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _sqlite_pragmas(sender, connection, **kwargs) -> None:
    # WAL lets readers proceed while one writer commits; NORMAL sync is safe under WAL.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")
            cursor.execute("PRAGMA foreign_keys=ON;")


def _ensure_role_groups(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group

    from peaceops.core.roles import ROLES

    for name in ROLES:
        Group.objects.get_or_create(name=name)


class CoreConfig(AppConfig):
    name = "peaceops.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        connection_created.connect(_sqlite_pragmas)
        post_migrate.connect(_ensure_role_groups, sender=self)
        from peaceops.core import signals  # noqa: F401  (connects the audit chain)
