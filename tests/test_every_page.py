"""Every parameterless page and API list, for every role: never a server error, and the public role and
anonymous visitors never see staff pages."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from peaceops.core.roles import ROLES, capabilities

pytestmark = pytest.mark.django_db

PUBLIC_PREFIXES = ("/", "/accounts/", "/i18n/", "/reports/public", "/api/public", "/api/auth/", "/api/schema",
                   "/api/docs", "/api/redoc", "/static/", "/health/")


# Aggregate pages a logged-in public user may read (small cells suppressed there); anonymous visitors may not.
PUBLIC_ROLE_AGGREGATES = {"/api/", "/returns/", "/returns/returned/chart.svg"}


def _paths(resolver=None, prefix="/"):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if route.startswith("^") or "<" in route or "(?P" in route or route.startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            yield from _paths(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


def _pages():
    paths = sorted({p for p in _paths() if not p.endswith((".json", "logout/", "setlang/"))})
    assert len(paths) > 40, paths  # every module mounts its pages
    return paths


def _permitted(role: str, path: str) -> bool:
    """Whether the page's declared guard lets `role` open it (tests/access/test_role_url_matrix.py)."""
    view = resolve(path).func
    if not hasattr(view, "view_capability"):
        return False
    holds = lambda capability: role in capabilities().get(capability, ())  # noqa: E731
    return holds(view.view_capability) and not (view.writer_only and not holds(view.write_capability))


def test_no_page_fails_for_any_role(client_for):
    """Never a server error; and a role the page's guard admits is never refused (403/404)."""
    failures = []
    for role in ROLES:
        client = client_for(role)
        for path in _pages():
            status = client.get(path).status_code
            if status >= 500 or (status in (403, 404) and _permitted(role, path)):
                failures.append((role, path, status))
    assert not failures


def test_public_role_and_anonymous_see_no_staff_page(client_for, client):
    public = client_for("public")
    leaks = []
    for path in _pages():
        if path == "/" or path.startswith(PUBLIC_PREFIXES[1:]):
            continue
        if public.get(path).status_code == 200 and path not in PUBLIC_ROLE_AGGREGATES:
            leaks.append(("public", path))
        if client.get(path).status_code == 200:
            leaks.append(("anonymous", path))
    assert not leaks
