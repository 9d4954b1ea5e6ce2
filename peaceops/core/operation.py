"""The operation's current day: what every dated page, dashboard card and form opens on.

A live operation's day is today's local date. An installation that holds a finished operation (an archive, a
training copy, the demo world of November–December 2020) pins it with PEACEOPS_OPERATION_DAY, so its pages do
not open on an empty present; `peaceops demo` pins the demo world's last day. Every page still lets the user
choose another day through its date control.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def is_pinned() -> bool:
    return bool(settings.PEACEOPS_OPERATION_DAY)


def operation_day() -> dt.date:
    """The local date pages open on: the pinned day, else today."""
    if settings.PEACEOPS_OPERATION_DAY:
        return dt.date.fromisoformat(settings.PEACEOPS_OPERATION_DAY)
    return timezone.localdate()


def operation_now() -> dt.datetime:
    """Now, moved onto the operation's day (the local time of day kept): a form's default time, the reporting
    period a dashboard counts."""
    now = timezone.localtime()
    if not settings.PEACEOPS_OPERATION_DAY:
        return now
    return dt.datetime.combine(operation_day(), now.timetz().replace(second=0, microsecond=0))

