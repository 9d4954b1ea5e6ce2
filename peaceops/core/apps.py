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


# What the administrator role may do in the Django admin: accounts (not their roles), reference data, revoking
# API tokens and lifting log-in lock-outs. Never case contents, authenticator secrets or permissions.
ADMIN_PERMISSIONS = {
    "auth": ["view_user", "add_user", "change_user"],
    "core": [f"{verb}_{model}" for model in ("place", "placealias", "party", "organisation", "source")
             for verb in ("view", "add", "change", "delete")],
    "knox": ["view_authtoken", "delete_authtoken"],
    "axes": ["view_accessattempt", "delete_accessattempt"],
}


def _ensure_role_groups(sender, using="default", **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    from peaceops.core.rolegrants import sanctioned
    from peaceops.core.roles import ADMIN, ROLES

    for name in ROLES:
        Group.objects.using(using).get_or_create(name=name)
    wanted = Q(pk__in=[])
    for app, codenames in ADMIN_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app, codename__in=codenames)
    admin = Group.objects.using(using).get(name=ADMIN)
    permissions = set(Permission.objects.using(using).filter(wanted))
    if set(admin.permissions.all()) != permissions:
        with sanctioned():
            admin.permissions.set(permissions)


class CoreConfig(AppConfig):
    name = "peaceops.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        _make_data_folders()
        connection_created.connect(_sqlite_pragmas)
        post_migrate.connect(_ensure_role_groups, sender=self)
        from peaceops.core import accounts, placenames, signals  # noqa: F401  (the audit chain, the account guards)
        from peaceops.core.models.places import name_places_with

        name_places_with(placenames.local_name)  # a place's name in the page's language, from its aliases

        _reuse_history_manager_classes()


def _make_data_folders() -> None:
    """The SQLite database's folder and STATIC_ROOT (WhiteNoise expects it even when serving from the finders),
    made when the application starts rather than whenever the settings module is imported."""
    from pathlib import Path

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith(".sqlite3") and database["NAME"] not in ("", ":memory:"):
        Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


def _reuse_history_manager_classes() -> None:
    """django-simple-history (3.13) builds a new manager class, `from_queryset`, each time `.history` is read,
    and it reads it on every save: a tenth of an import's time went into making classes. Build each once."""
    from simple_history.manager import HistoryDescriptor

    if getattr(HistoryDescriptor, "_peaceops_cached", False):
        return
    built: dict = {}

    def get(self, instance, owner):
        key = (self.manager_class, self.queryset_class)
        manager = built.get(key)
        if manager is None:
            manager = built[key] = self.manager_class.from_queryset(self.queryset_class)
        return manager(self.model, instance)

    HistoryDescriptor.__get__ = get
    HistoryDescriptor._peaceops_cached = True
