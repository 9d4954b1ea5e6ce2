"""Django's PostgreSQL backend with the audit chain's pre-commit step (`peaceops.core.backends`)."""

from django.db.backends.postgresql import base

from peaceops.core.backends import PendingAuditMixin


class DatabaseWrapper(PendingAuditMixin, base.DatabaseWrapper):
    pass
