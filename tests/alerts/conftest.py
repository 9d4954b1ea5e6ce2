"""Helpers for the alerts tests: rules in a line, and events delivered as if their transaction had committed."""

from __future__ import annotations

import pytest

from tests.ceasefire.conftest import file, local  # noqa: F401 — the ceasefire helper, reused


@pytest.fixture
def rule(users):
    """rule(kind, roles=["analyst"], **options) → an active rule made through the service."""
    from peaceops.alerts.services import rules

    def make(kind: str, roles=("analyst",), name: str = "", **options):
        return rules.create_rule(name or f"rule {kind}", kind, roles=list(roles), user=users["coordinator"],
                                 **options)

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the on-commit callbacks (announcements) as a real commit would."""

    def make():
        return django_capture_on_commit_callbacks(execute=True)

    return make
