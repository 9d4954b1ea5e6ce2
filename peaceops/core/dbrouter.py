"""An optional read replica (DATABASE_REPLICA_URL): reads of non-sensitive records on the pages listed in
PEACEOPS_REPLICA_PATHS go to it; everything else — every write, every read of a person or a case, every page not
listed, every request but GET and HEAD — goes to the primary.

Why so narrow: a replica lags the primary by a moment, so a page that follows a write must read the primary (the
officer who just registered a household must see it), and the audit chain must be read where it is written. The
public pages and the reference pages (published reports, the gazetteer, the map) are read far more than written
and tolerate a second's lag; they are what a replica is for.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"
_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("peaceops_replica_reads", default=False)

# Identity records, case files and the audit chain are always read on the primary.
SENSITIVE_APPS = {"exchanges", "auth", "sessions", "knox", "otp_totp", "axes"}
SENSITIVE_MODELS = {"core.person", "core.personname", "core.persondocument", "core.auditevent", "core.audithead",
                    "returns.household", "returns.householdmember", "intake.importbatch",
                    "intake.quarantinedrow", "intake.rowwarning"}


def _sensitive(model) -> bool:
    meta = model._meta
    return meta.app_label in SENSITIVE_APPS or meta.label_lower in SENSITIVE_MODELS or (
        meta.model_name.startswith("historical"))


@contextmanager
def replica_reads():
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and REPLICA in settings.DATABASES and not _sensitive(model):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaMiddleware:
    """Lets the router use the replica for the listed pages' safe requests."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        eligible = (request.method in ("GET", "HEAD") and REPLICA in settings.DATABASES
                    and request.path.startswith(tuple(settings.PEACEOPS_REPLICA_PATHS)))
        if not eligible:
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
