"""Schemathesis against the OpenAPI schema with an authenticated coordinator: no server error and no response
that contradicts the schema, on every read endpoint (bounded examples per operation; writes are exercised by each
module's own tests). Runs in CI with the rest of the suite."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from peaceops.wsgi import application

pytestmark = pytest.mark.django_db
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _failures(token: str, examples: int) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application).include(method="GET")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)

        try:
            check()
        except BaseException as exc:  # noqa: BLE001  (each operation's failure is collected, then all reported)
            if isinstance(exc, KeyboardInterrupt):
                raise
            found = getattr(exc, "exceptions", [exc])
            failures.append(f"{operation.label}: " + "; ".join(
                f"{getattr(e, 'title', type(e).__name__)}: {str(getattr(e, 'message', e))[:700]}" for e in found))
    return failures


@pytest.fixture
def keep_the_test_connection():
    """Django's test client keeps the test's database connection open across requests; schemathesis calls the
    WSGI application directly, whose request signals would close it (inside the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_read_endpoints_answer_within_their_schema(users, keep_the_test_connection):
    from peaceops.api.tokens import issue

    _token, plain = issue(users["coordinator"])
    failures = _failures(plain, examples=6)
    assert not failures, "\n".join(failures)
