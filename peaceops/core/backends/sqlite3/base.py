"""Django's SQLite backend with the audit chain's pre-commit step (`peaceops.core.backends`)."""

from django.db.backends.sqlite3 import base

from peaceops.core.backends import PendingAuditMixin


class DatabaseWrapper(PendingAuditMixin, base.DatabaseWrapper):
    pass
