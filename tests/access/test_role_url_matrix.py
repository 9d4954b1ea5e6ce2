"""Every URL × every role × the methods it serves, generated from the URL conf: one consistent answer each.

The expected answer comes from the guard the route declares (`@require` on a page, `capability_permission` on an
API viewset or action) and the capabilities of each role, so a new page or endpoint is covered the day it is
mounted — and one mounted without a guard fails here until it declares one or is named below as open.

The rule (docs/architecture.md, Permissions): anonymous → the login page (pages) or 401/403 (API); a role
without the view capability → 404, whatever the method; a role that may see but not change → 403 on a write,
and on every method of a writer-only page (a "new", "edit", "import" or "plan" form)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from peaceops.core.roles import ROLES, capabilities

pytestmark = pytest.mark.django_db

# Routes with no capability guard, each with the reason it is open. Anything else unguarded fails.
OPEN = {
    "": "the public landing page (published figures only)",
    "dashboard/": "sends each role to its own start page; checks roles itself",
    "health/": "liveness for a service manager: no data",
    "accounts/login/": "sign-in", "accounts/logout/": "sign-out",
    "accounts/password/": "a signed-in user's own password", "accounts/password/done/": "its confirmation",
    "accounts/code/": "second-factor entry", "accounts/authenticator/": "second-factor enrolment",
    "i18n/setlang/": "language switch",
    "openrosa/formList": "OpenRosa: HTTP Basic authentication and role checks of its own (fieldforms/openrosa.py)",
    "openrosa/forms/x/form.xml": "OpenRosa form download (same)",
    "openrosa/submission": "OpenRosa submission (same)",
    "reports/public/": "published reports", "reports/public/2020-11-21/": "a published report",
    "reports/public/2020-11-21/download.html": "a published report's file",
    "reports/public/sitreps.hxl.csv": "published figures as HXL",
}
# API views open by design: sign-in, the schema and its documentation, published figures.
OPEN_API = ("api/auth/", "api/schema", "api/docs", "api/redoc", "api/public/", "api/$")

SAMPLE = {"int": "999999", "isodate": "2020-11-21", "slug": "x", "str": "x", "path": "x", "uuid":
          "00000000-0000-0000-0000-000000000000"}
SAMPLE_BY_NAME = {"fmt": "html", "sha256": "0" * 64, "pk": "999999", "format": None}
WRITER_ONLY_PAGE = re.compile(r"/(new|edit|import|plan)/(<[^>]+>/)?$")


def _sample_group(match) -> str:
    name, pattern = match.groups()
    if re.fullmatch(r"\w+(\|\w+)*", pattern):  # a choice of words, as in export/(?P<fmt>acled|hxl)
        return pattern.split("|")[0]
    return SAMPLE_BY_NAME.get(name) or "x"


def _sample_route(route: str) -> str | None:
    """A concrete path for a route: ids that exist nowhere, so no answer depends on a record."""
    def converter(match):
        kind, name = match.group(1) or "str", match.group(2)
        return SAMPLE_BY_NAME.get(name) or SAMPLE[kind]

    if "(?P<format>" in route or "<drf_format_suffix" in route:
        return None  # the ".json" twin of a route already covered
    if "^" in route:  # a DRF router's regex
        route = route.replace("^", "").replace("$", "")
        route = re.sub(r"\(\?P<(\w+)>([^)]*)\)", _sample_group, route)
        return route.replace("\\.", ".").replace("/?", "/")
    return re.sub(r"<(?:(\w+):)?(\w+)>", converter, route)


def _routes():
    def walk(resolver, prefix):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.callback

    found = []
    for route, callback in walk(get_resolver(), ""):
        if route.startswith(("admin/", "static/")):
            continue
        path = _sample_route(route)
        if path is not None:
            found.append((route, "/" + path, callback))
    return found


def _api_guards(callback) -> dict[str, tuple[str, str | None] | None]:
    """Method → (view capability, write capability) declared on a DRF view or its action; None: no guard."""
    cls = callback.cls
    actions = getattr(callback, "actions", None) or {
        m: m for m in cls.http_method_names if m not in ("options", "head") and hasattr(cls, m)}
    guards = {}
    for method, handler in actions.items():
        declared = getattr(getattr(cls, handler, None), "kwargs", {}).get("permission_classes")
        classes = declared if declared is not None else cls.permission_classes
        capability = next((c for c in classes if hasattr(c, "view_capability")), None)
        guards[method.upper()] = ((capability.view_capability, capability.write_capability)
                                  if capability else None)
    return guards


def _holds(role: str, capability: str | None) -> bool:
    return capability is not None and role in capabilities().get(capability, ())


PAGES = [(route, path, cb) for route, path, cb in _routes() if not hasattr(cb, "cls")]
API = [(route, path, cb) for route, path, cb in _routes() if hasattr(cb, "cls")]


def test_every_route_declares_its_guard_or_is_named_open():
    unguarded = [route for route, path, cb in PAGES
                 if not hasattr(cb, "view_capability") and path.lstrip("/") not in OPEN]
    for route, path, cb in API:
        if path.lstrip("/").startswith(OPEN_API) or re.fullmatch(r"/api/", path):
            continue
        unguarded += [f"{method} {route}" for method, guard in _api_guards(cb).items() if guard is None]
    assert not unguarded, f"routes without a capability guard: {unguarded}"
    assert len(PAGES) > 100 and len(API) > 50  # the walk found the modules' routes


def test_pages_made_only_to_change_something_are_writer_only():
    """A "new"/"edit"/"import"/"plan" page is one answer for a reader: 403, not 200 in one app and 404 in another."""
    loose = [route for route, path, cb in PAGES
             if WRITER_ONLY_PAGE.search(route) and hasattr(cb, "view_capability") and not cb.writer_only]
    assert not loose, f"pages that exist to write but let readers open them: {loose}"


def _page_expectation(role: str | None, method: str, cb) -> set[int] | None:
    """The statuses allowed for `role`; None when the request would really write (not sent)."""
    if role is None:
        return {302}
    if not _holds(role, cb.view_capability):
        return {404}
    writing = method == "POST" or cb.writer_only
    if cb.write_capability and writing and not _holds(role, cb.write_capability):
        return {403}
    return None if method == "POST" else set()  # set(): any answer but a refusal or an error


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "anonymous"])
def test_every_page_answers_each_role_by_its_declared_guard(role, client_for):
    client = client_for(role) if role else Client()
    wrong = []
    for route, path, cb in PAGES:
        if not hasattr(cb, "view_capability"):
            continue
        for method in ("GET", "POST"):
            expected = _page_expectation(role, method, cb)
            if expected is None or (not expected and "<" not in route):
                continue  # a permitted page without parameters: tests/test_every_page.py opens each for each role
            status = (client.post(path) if method == "POST" else client.get(path)).status_code
            if status >= 500 or (expected and status not in expected) or (not expected and status == 403):
                wrong.append(f"{method} {path}: {status}, expected {sorted(expected) or 'an answer'}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [*ROLES, None], ids=[*ROLES, "anonymous"])
def test_every_api_endpoint_answers_each_role_by_its_declared_guard(role, api_for):
    from rest_framework.test import APIClient

    client = api_for(role) if role else APIClient()
    wrong = []
    for _route, path, cb in API:
        for method, guard in _api_guards(cb).items():
            if guard is None:
                continue
            view, write = guard
            if role is None:
                expected = {401, 403}
            elif not _holds(role, view):
                expected = {404}
            elif method not in ("GET", "HEAD") and not _holds(role, write):
                expected = {403}
            elif method in ("GET", "HEAD"):
                expected = set()
            else:
                continue  # a permitted write would change the world
            status = getattr(client, method.lower())(path, {}, format="json").status_code
            if status >= 500 or (expected and status not in expected) or (not expected and status == 403):
                wrong.append(f"{method} {path}: {status}, expected {sorted(expected) or 'an answer'}")
    assert not wrong, "\n".join(wrong)


# What "reading" means in capability names; everything else changes something.
READ_VERBS = re.compile(r"^(view(_\w+)?|download|export)$")


def test_the_capability_table_keeps_designs_role_table():
    """DESIGN's role table: the coordinator reads everything and changes only the daily report (and which
    linkage model the officers' decisions train); the public reads published aggregates only; the administrator
    manages accounts and the gazetteer, never case contents."""
    table = capabilities()
    writes = {name for name in table if not READ_VERBS.match(name.split(".", 1)[1])}
    coordinator_writes = {name for name in writes if "coordinator" in table[name]}
    # Issue 17: the daily report (approving, publishing, its marking, its sections' narratives); as duty officer,
    # alert rules and acknowledging the alerts that reach them.
    assert {name for name in coordinator_writes if not name.startswith("reports.")} == {
        "linkage.learn", "alerts.manage_rules", "alerts.acknowledge"}
    assert {"reports.approve", "reports.publish"} <= coordinator_writes
    public = {name for name, roles in table.items() if "public" in roles}
    assert public == {"reports.view_published", "returns.view_counts"}
    admin = {name for name, roles in table.items() if "admin" in roles}
    case_contents = {"ceasefire.view", "returns.view", "exchanges.view_cases", "restoration.view",
                     "core.view_persons", "core.view_sources", "sources.view", "fieldforms.view_submissions"}
    assert not admin & case_contents, admin & case_contents
