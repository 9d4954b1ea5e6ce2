"""Audited API reads are written once (issue 18): every viewset whose list and single reads go to the audit
chain is a `peaceops.core.api.AuditedReadViewSet`, and no other viewset writes its own audited list or retrieve
(four copies of the pair had grown apart: one of them read `response.data.get` on an unpaginated list)."""

from __future__ import annotations

import inspect

import pytest
from rest_framework.mixins import ListModelMixin
from rest_framework.response import Response

from peaceops.api.urls import router
from peaceops.core.api import AuditedReadViewSet

# The sensitive records the API serves: identity records, households, proposals about people, exchange cases.
AUDITED = {"person", "returns-household", "returns-duplicate", "exchanges-detention", "exchanges-missing",
           "exchanges-remains", "exchanges-list", "exchanges-decision", "exchanges-event", "exchanges-tracing",
           "exchanges-dnamatch", "exchanges-ampm", "exchanges-postmortem", "exchanges-antemortem",
           "exchanges-familycontact", "exchanges-recoverysite", "exchanges-dnasample"}


def _viewsets() -> dict[str, type]:
    return {basename: viewset for _prefix, viewset, basename in router.registry}


def test_the_sensitive_viewsets_share_the_audited_base():
    viewsets = _viewsets()
    assert AUDITED <= set(viewsets), sorted(AUDITED - set(viewsets))
    outside = sorted(name for name in AUDITED if not issubclass(viewsets[name], AuditedReadViewSet))
    assert not outside, outside


def test_no_viewset_writes_its_own_audited_read():
    copies = []
    for basename, viewset in _viewsets().items():
        for klass in viewset.__mro__:
            if klass is AuditedReadViewSet or not klass.__module__.startswith("peaceops."):
                continue
            for name in ("list", "retrieve"):
                method = klass.__dict__.get(name)
                if method is not None and "record_" in inspect.getsource(method):
                    copies.append(f"{basename}: {klass.__qualname__}.{name}")
    assert not copies, copies


@pytest.mark.parametrize("paginated", [True, False])
def test_a_list_is_audited_paginated_or_not(monkeypatch, paginated):
    """The audited list names the ids shown whether the page is a paginated dict or a plain list."""
    seen = []
    monkeypatch.setattr("peaceops.core.api.audit.record_list_read",
                        lambda user, model, ids, purpose: seen.append((model, list(ids), purpose)))
    rows = [{"id": 3}, {"id": 5}]
    monkeypatch.setattr(ListModelMixin, "list", lambda self, request, *a, **k: Response(
        {"count": 2, "results": rows} if paginated else rows))

    class View(AuditedReadViewSet):
        model = object

    View().list(type("Request", (), {"user": "someone"})())
    assert seen == [(object, [3, 5], "api list")]
