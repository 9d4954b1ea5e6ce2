"""A refused write is refused before its body is read: 404 where the role may not see the thing, 403 where it may
see but not change it — never a 400 that describes the fields. And a body that is not a JSON object is a 400
that says so, never a 500. Every write endpoint of the API and every guarded web page is walked."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from peaceops.api.urls import router
from peaceops.core.roles import ROLES, can

pytestmark = pytest.mark.django_db

MISSING = 999999

# (view capability, write capability) of every write endpoint, by URL name: the rules as the roles table states
# them. A new write endpoint fails test_every_write_endpoint_is_listed until it is added here.
API_WRITES = {
    **{name: ("core.view_gazetteer", "core.edit_gazetteer") for name in ("place-list", "place-detail",
                                                                          "place-aliases")},
    **{name: ("core.view_reference", "core.configure_mission") for name in ("mission-list", "mission-detail",
                                                                             "mission-activate")},
    "sourcereport-list": ("core.view_sources", "core.report_information"),
    "sourcereport-grade": ("core.view_sources", "core.grade_sources"),
    "ceasefire-incident-list": ("ceasefire.view", "ceasefire.file"),
    "ceasefire-incident-import-": ("ceasefire.view", "ceasefire.import"),
    **{f"ceasefire-incident-{verb}": ("ceasefire.view", "ceasefire.review") for verb in ("claim", "decide",
                                                                                          "merge", "reopen",
                                                                                          "attach-source")},
    "ceasefire-postlog-list": ("ceasefire.view", "ceasefire.log"),
    "ceasefire-patrol-list": ("ceasefire.view", "ceasefire.log"),
    **{f"returns-{name}": ("returns.view", "returns.change") for name in (
        "corridor-set-status", "household-list", "convoy-plan", "convoy-add-household", "convoy-arrive",
        "convoy-dispatch-convoy", "convoy-pass-checkpoint", "convoy-remove-household", "convoy-turn-back",
        "duplicate-search", "duplicate-confirm", "duplicate-reject", "duplicate-reopen", "convoy-resolve-headcount",
        "household-movement", "household-needs")},
    "returns-flow-sheet": ("returns.view_flows", "returns.record_flows"),
    **{f"exchanges-{name}": ("exchanges.view_cases", "exchanges.change_cases") for name in (
        "detention-list", "missing-list", "remains-list", "decision-confirm", "decision-reject", "decision-reopen",
        "event-complete")},
    **{f"exchanges-{name}": ("exchanges.view_identification", "exchanges.change_cases") for name in (
        "familycontact-list", "antemortem-list", "recoverysite-list", "postmortem-list", "dnasample-list",
        "dnamatch-import-csv", "dnamatch-confirm", "dnamatch-reject", "dnamatch-reopen", "ampm-compare",
        "ampm-confirm", "ampm-reject", "ampm-reopen")},
    **{f"{name}": ("restoration.view", "restoration.edit") for name in (
        "restoration-facility-list", "restoration-facility-detail", "restoration-work-list",
        "restoration-work-detail", "restoration-work-step", "restoration-hazardousarea-list",
        "restoration-hazardousarea-detail", "restoration-clearancetask-list",
        "restoration-clearancereport-list", "restoration-landrelease-list", "restoration-landrelease-qa",
        "restoration-landrelease-handover", "restoration-mineaccident-list", "restoration-mineaccident-detail",
        "restoration-riskeducation-list", "restoration-riskeducation-detail")},
    "restoration-assessment-list": ("restoration.view_assessments", "restoration.assess"),
    "sitrep-list": ("reports.view_sitrep", "reports.approve"),
    "sitrep-approve": ("reports.view_sitrep", "reports.approve"),
    "sitrep-publish": ("reports.view_sitrep", "reports.publish"),
    "sitrep-marking": ("reports.view_sitrep", "reports.approve"),
    "sitrep-narrative": ("reports.view_sitrep", "reports.narrate"),
    "sources-document-list": ("sources.view", "sources.ingest"),
    "sources-document-read": ("sources.view", "sources.view"),  # reads a report, writes nothing
    "sources-claim-check": ("sources.view", "sources.review"),
    "sources-claim-review": ("sources.view", "sources.review"),
    "alerts-alert-acknowledge": ("alerts.view", "alerts.acknowledge"),
    **{f"alerts-rule-{verb}": ("alerts.view_rules", "alerts.manage_rules") for verb in (
        "list", "detail", "deactivate", "reactivate")},
    "alerts-task-list": ("alerts.view_tasks", "alerts.open_task"),
    **{f"alerts-task-{verb}": ("alerts.view_tasks", "alerts.view_tasks") for verb in ("accept", "done", "decline")},
    "alerts-task-refer": ("alerts.view_tasks", "alerts.refer"),
}


def _write_routes():
    """(url name, path, method) of every write the API router serves."""
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            name = route.name.format(basename=basename)
            for method, action in route.mapping.items():
                if method in ("post", "put", "patch") and hasattr(viewset, action):
                    kwargs = {"pk": MISSING} if "{lookup}" in route.url else {}
                    yield name, reverse(f"{name}", kwargs=kwargs), method


def test_every_write_endpoint_is_listed():
    names = {name for name, _path, _method in _write_routes()}
    assert names, "no write endpoint found: the router changed shape"
    assert names - set(API_WRITES) == set(), "add these write endpoints to API_WRITES"


def test_refused_api_writes_never_read_the_body(api_for):
    from django.contrib.auth.models import User

    clients = {role: api_for(role) for role in ROLES}
    accounts = {user.username: user for user in User.objects.filter(username__in=list(ROLES))}
    for name, path, method in _write_routes():
        view_capability, write_capability = API_WRITES[name]
        for role in ROLES:
            account = accounts[role]
            if not can(account, view_capability):
                expected = 404
            elif not can(account, write_capability):
                expected = 403
            else:
                continue
            response = getattr(clients[role], method)(path, {"bogus": "field", "day": "not a date"}, format="json")
            assert response.status_code == expected, f"{role} {method.upper()} {path}: {response.status_code} " \
                                                     f"{response.content[:200]!r}"


@pytest.mark.parametrize("body", ["[]", '"x"', "1", "null", "[{}]"])
def test_a_body_that_is_not_a_json_object_is_a_clear_400(api_for, body):
    from django.contrib.auth.models import User

    accounts = {user.username: user for user in User.objects.filter(username__in=list(ROLES))}
    for name, path, method in _write_routes():
        view_capability, write_capability = API_WRITES[name]
        role = next(r for r in ROLES if can(accounts[r], view_capability) and can(accounts[r], write_capability))
        response = getattr(api_for(role), method)(path, body, content_type="application/json")
        assert response.status_code in (400, 404), f"{role} {method.upper()} {path}: {response.status_code}"
        if response.status_code == 400 and "{lookup}" not in path:
            assert "must be a JSON object" in response.json()["detail"], path
    collection = api_for("exchange_officer").post("/api/exchanges/detention-cases/", body,
                                                  content_type="application/json")
    assert collection.status_code == 400 and "JSON object" in collection.json()["detail"]


_SAMPLE = {"int": str(MISSING), "isodate": "2020-11-21", "uuid": "00000000-0000-0000-0000-000000000000"}


def _guarded_pages(resolver=None, prefix=""):
    """(path, view capability, write capability) of every web page behind @require."""
    import re

    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(("api/", "admin/")):
                continue
            yield from _guarded_pages(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "view_capability"):
            route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLE.get(m.group(1) or "", "x"),
                           prefix + str(pattern.pattern))
            yield "/" + route, pattern.callback.view_capability, pattern.callback.write_capability


def test_refused_web_posts_never_validate_the_form(client_for):
    from django.contrib.auth.models import User

    accounts = {user.username: user for user in User.objects.filter(username__in=list(ROLES))}
    clients = {role: client_for(role) for role in ROLES}
    pages = list(_guarded_pages())
    assert len(pages) > 40
    for path, view_capability, write_capability in pages:
        assert "<" not in path, path
        for role in ROLES:
            if not can(accounts[role], view_capability):
                expected = 404
            elif write_capability and not can(accounts[role], write_capability):
                expected = 403
            else:
                continue
            response = clients[role].post(path, {"bogus": "field"})
            assert response.status_code == expected, f"{role} POST {path}: {response.status_code}"
