"""Log filters: a refused request is one line, not a traceback."""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Django logs every 400/403 with the exception that caused it, so each refused page (an expected outcome:
    a role without the capability) printed a full traceback. Keep the line (status, path), drop the traceback;
    server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class SplinkSaidInNotes(logging.Filter):
    """Splink warns, on every run, of things the linkage engine has already decided and says in the run's notes:
    a u sample of its default size (chosen: `engine.U_MAX_PAIRS`), a level EM could not train (the engine keeps the
    shipped m and names the level in the notes). An officer running `returns duplicates` read that advice as a
    fault. Splink's other warnings pass."""

    SAID = ("default value for `max_pairs`", "unable to train m value", "Probe returned zero blocked pairs")

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("splink") or record.levelno >= logging.ERROR:
            return True
        message = record.getMessage()
        return not any(said in message for said in self.SAID)
