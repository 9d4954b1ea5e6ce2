"""Splink's warnings that the engine already answers in the run's notes do not reach the officer's console: a
`returns duplicates` on the demo printed Splink's advice to raise `max_pairs` as if something had gone wrong."""

from __future__ import annotations

import logging

from peaceops.core.logfilters import SplinkSaidInNotes
from peaceops.linkage import synthetic
from peaceops.linkage.engine import dedupe_records


def _splink_text(caplog, with_filter: bool) -> str:
    caplog.clear()
    handler_filter = SplinkSaidInNotes()
    if with_filter:
        caplog.handler.addFilter(handler_filter)
    try:
        with caplog.at_level(logging.WARNING, logger="splink"):
            dedupe_records(synthetic.generate_registrations(400, seed=3)[0])
    finally:
        caplog.handler.removeFilter(handler_filter)
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("splink"))


def test_splinks_advice_on_what_the_engine_chose_is_not_printed(caplog):
    assert "max_pairs" in _splink_text(caplog, with_filter=False)  # what the console showed before
    assert "max_pairs" not in _splink_text(caplog, with_filter=True)


def test_other_splink_warnings_and_errors_pass():
    other = logging.LogRecord("splink.internals.linker", logging.WARNING, __file__, 1, "Blocking rule is slow", None,
                              None)
    error = logging.LogRecord("splink.internals.linker_components.training", logging.ERROR, __file__, 1,
                              "unable to train m value", None, None)
    ours = logging.LogRecord("peaceops.linkage.engine", logging.WARNING, __file__, 1, "unable to train m value",
                             None, None)
    assert all(SplinkSaidInNotes().filter(r) for r in (other, error, ours))


def test_the_console_handler_carries_the_splink_filter(settings):
    assert "splink_said" in settings.LOGGING["handlers"]["console"]["filters"]
