"""A refused request logs one line, not a traceback (issue 17: every 403 logged a full traceback)."""

from __future__ import annotations

import logging

import pytest

from peaceops.core.logfilters import RefusalWithoutTraceback

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_without_its_traceback(client_for, caplog):
    caplog.handler.addFilter(RefusalWithoutTraceback())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client_for("monitor").get("/exchanges/").status_code in (403, 404)
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None for r in records)
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", None,
                                   sys.exc_info())
    record.status_code = 500
    assert RefusalWithoutTraceback().filter(record) and record.exc_info is not None


def test_the_console_handler_carries_the_filter(settings):
    assert "refusals" in settings.LOGGING["handlers"]["console"]["filters"]
