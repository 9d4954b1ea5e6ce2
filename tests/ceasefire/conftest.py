"""Helpers for ceasefire tests: a valid incident in a few words."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

LOCAL = ZoneInfo("Asia/Yerevan")


def local(y, m, d, hh=12, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=LOCAL)


@pytest.fixture
def file(world, users):
    """file(place_key="martuni", when=local(...), **fields) → a filed incident (by the monitor by default)."""
    from peaceops.ceasefire import services

    def make(place_key: str | None = "martuni", when: dt.datetime | None = None, user: str = "monitor",
             source: str = "observation_post", **fields):
        when = when or local(2020, 12, 12, 10)
        data = {"occurred_from": when, "occurred_to": when + dt.timedelta(minutes=20),
                "incident_type": "shelling", "sub_type": "mortar", "time_precision": "minute"}
        if place_key:
            data["place"] = world["places"][place_key]
        data.update(fields)
        return services.file_incident(users[user], data, [(world["sources"][source], "test report")])

    return make
