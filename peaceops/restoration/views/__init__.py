"""Restoration pages; thin: they read input, call services and render."""

from __future__ import annotations

import datetime as dt

from peaceops.core.operation import operation_day
from peaceops.core.params import date_param


def as_of_date(request, param: str = "as_of") -> dt.date:
    """The date asked for (?as_of=YYYY-MM-DD), else the operation's current day."""
    return date_param(request, param, operation_day())


def form_errors(form, exc) -> None:
    """Attach a service's ValidationError to the form: per field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
