"""Parameters shared by pages, the API and commands: dates bounded to the operation's range, and list filters.

Every date a caller may choose (`?as_of=`, `?from=`/`?to=`, a sitrep's day in the URL, `--as-of` on the command
line, the day of a draft posted to the API) is read here, so one rule bounds them all: a date between
`PEACEOPS_FIRST_DAY` and today plus `PEACEOPS_PLANNING_DAYS`, and a range no longer than `PEACEOPS_MAX_RANGE_DAYS`.
Without the bound one request for the year 2120 computed a century of daily curves while holding the database's
write lock, and the year 1 or 9999 overflowed date arithmetic into server errors.

A date that need not fall in the operation (a news report's publication day, a row of an imported file) is read
by `parse_date`: the same format, the same error, no range.

A bad value raises `BadParameter`, which is both Django's `BadRequest` (pages answer 400 with the message, see
`peaceops.core.views.errors`) and DRF's `ValidationError` (the API answers 400 with `{name: [message]}`);
commands take dates with `type=date_argument` (or `date_option` for unbounded ones), so argparse names the option
and the message is the same as the page's and the API's.
"""

from __future__ import annotations

import datetime as dt
from typing import overload
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.fields import DateField as ApiDateField

from peaceops.core.operation import operation_day


class BadParameter(BadRequest, ApiValidationError):
    """A parameter the caller chose is malformed or out of range; `message` says what is allowed."""

    def __init__(self, name: str, message: str):
        self.name = name
        self.message = message
        ApiValidationError.__init__(self, {name: [message]})

    def __str__(self) -> str:
        return self.message


def operation_range() -> tuple[dt.date, dt.date]:
    """The first and last day any date parameter may name: the operation's first day up to the planning horizon."""
    first = dt.date.fromisoformat(settings.PEACEOPS_FIRST_DAY)
    newest = max(timezone.localdate(), operation_day())
    return first, newest + dt.timedelta(days=settings.PEACEOPS_PLANNING_DAYS)


def _range_text() -> str:
    first, last = operation_range()
    return _("a date from %(first)s to %(last)s (YYYY-MM-DD)") % {"first": first.isoformat(),
                                                                   "last": last.isoformat()}


def parse_date(text: str | dt.date, name: str) -> dt.date:
    """The one reader of a date a user typed: `text` (YYYY-MM-DD, or a date) as a date, else BadParameter naming
    `name` and the format. No range: `parse_day` bounds a date to the operation."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    value = str(text).strip()
    try:
        if len(value) != 10:  # fromisoformat also takes 20201121 and 2020-W47-6, which nobody means
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadParameter(name, _("%(name)s must be a date (YYYY-MM-DD), not “%(text)s”.")
                           % {"name": name, "text": str(text)[:40]}) from None


def parse_day(text: str | dt.date, name: str) -> dt.date:
    """`text` (YYYY-MM-DD, or a date) as a date inside the operation's range, else BadParameter naming the range."""
    try:
        day = parse_date(text, name)
    except BadParameter:
        raise BadParameter(name, _("%(name)s must be %(range)s, not “%(text)s”.")
                           % {"name": name, "range": _range_text(), "text": str(text)[:40]}) from None
    first, last = operation_range()
    if not first <= day <= last:
        raise BadParameter(name, _("%(name)s must be %(range)s; %(day)s is outside the operation's range.")
                           % {"name": name, "range": _range_text(), "day": day.isoformat()})
    return day


def check_span(first: dt.date, last: dt.date, names: str = "from/to") -> None:
    """A range must run forwards and be no longer than PEACEOPS_MAX_RANGE_DAYS (its work grows with its length)."""
    longest = settings.PEACEOPS_MAX_RANGE_DAYS
    if first > last:
        raise BadParameter(names, _("%(names)s: the first day (%(first)s) comes after the last (%(last)s).")
                           % {"names": names, "first": first.isoformat(), "last": last.isoformat()})
    if (last - first).days + 1 > longest:
        raise BadParameter(names, _("%(names)s: a range may span at most %(days)d days; %(first)s to %(last)s "
                                    "spans %(asked)d.") % {"names": names, "days": longest,
                                                           "first": first.isoformat(), "last": last.isoformat(),
                                                           "asked": (last - first).days + 1})


@overload
def date_param(request, name: str, default: dt.date) -> dt.date: ...
@overload
def date_param(request, name: str, default: None = None) -> dt.date | None: ...
def date_param(request, name: str, default: dt.date | None = None) -> dt.date | None:
    """`?name=YYYY-MM-DD` as a date in the operation's range; missing or empty gives `default`; anything else is
    a 400 (pages and API alike) that says which dates are allowed."""
    text = request.GET.get(name, "")
    if not text.strip():
        return default
    return parse_day(text, name)


def choice_param(request, name: str, choices, default: str = "") -> str:
    """`?name=` as one of `choices` (a TextChoices class or (value, label) pairs); missing or empty gives
    `default`; anything else is a 400 listing the values allowed (a filter must not silently match nothing)."""
    text = request.GET.get(name, "").strip()
    if not text:
        return default
    values = [str(value) for value, _label in (choices.choices if hasattr(choices, "choices") else choices)]
    if text not in values:
        raise BadParameter(name, _("%(name)s must be one of %(values)s, not “%(text)s”.")
                           % {"name": name, "values": ", ".join(values), "text": text[:40]})
    return text


def id_param(request, name: str) -> int | None:
    """`?name=` as a record id (a positive whole number), missing or empty gives None; anything else is a 400."""
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 18 or int(text) == 0:
        raise BadParameter(name, _("%(name)s must be a record number (1, 2, 3…), not “%(text)s”.")
                           % {"name": name, "text": text[:40]})
    return int(text)


def date_argument(text: str) -> dt.date:
    """`type=` for a command-line date option (argparse names the option in its error), bounded like every
    other date."""
    import argparse

    try:
        return parse_day(text, "date")
    except BadParameter as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def date_option(text: str) -> dt.date:
    """`type=` for a command-line date that need not fall in the operation (a report's publication day)."""
    import argparse

    try:
        return parse_date(text, "date")
    except BadParameter as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def command_span(first: dt.date, last: dt.date, names: str = "--from/--to") -> None:
    """check_span for commands: a CommandError with the message."""
    from django.core.management.base import CommandError

    try:
        check_span(first, last, names)
    except BadParameter as exc:
        raise CommandError(exc.message) from None


def query_string(**params) -> str:
    """The filters a list page keeps across its pages: `a=1&b=2`, leaving out the empty ones (dates as ISO)."""
    return urlencode({name: value for name, value in params.items() if value})


class OperationDateField(ApiDateField):
    """An API date bounded to the operation's range (a draft's day, a convoy's date)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        try:
            return parse_day(day, self.field_name or "date")
        except BadParameter as exc:
            raise ApiValidationError(exc.message) from None


class OperationDateFormField(forms.DateField):
    """A form date bounded to the operation's range."""

    def clean(self, value):
        day = super().clean(value)
        if day is None:
            return day
        try:
            return parse_day(day, str(self.label or "date"))
        except BadParameter as exc:
            raise forms.ValidationError(exc.message) from None


def page_day(request, name: str = "as_of") -> dt.date:
    """The day a dated page shows: `?name=YYYY-MM-DD` (bounded, a 400 otherwise), else the operation's day."""
    return date_param(request, name) or operation_day()
