"""`/health/`: is this node able to serve, and is the background worker alive? For load balancers, supervisors
and the operations room's own monitoring.

Anonymous on purpose: a load balancer or systemd cannot log in, and what it says is operational only (database
reachable and how fast, worker heartbeat age and state, how often the worker was restarted and when) — no
personal data, no record counts, no versions, paths or host names. It writes nothing (no audit event, no
session), so probing it often costs a `SELECT 1`. 503 when the database cannot be reached (take this node out of
rotation); 200 otherwise, with "degraded" when the worker is not beating (imports and searches wait, pages
still work)."""

from __future__ import annotations

import time

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from peaceops.core.supervision import worker_health


def _database(alias: str) -> dict:
    started = time.perf_counter()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connections[alias].vendor, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_GET
def health(request):
    database = _database("default")
    body = {"database": database, "worker": worker_health()}
    if "replica" in connections.databases:
        body["replica"] = _database("replica")
    worker_ok = body["worker"]["ok"]
    body["status"] = "ok" if database["ok"] and worker_ok else ("degraded" if database["ok"] else "down")
    return JsonResponse(body, status=200 if database["ok"] else 503)
