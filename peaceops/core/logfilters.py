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
