"""Shared fixtures for the returns tests: the scenario corridor and a way to register households quickly."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from peaceops.returns import services
from peaceops.returns.services import MemberSpec
from peaceops.scenario.gazetteer_data import CORRIDOR_ORDER

LOCAL = ZoneInfo("Asia/Yerevan")


def at(day: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=LOCAL)


@pytest.fixture
def corridor(world):
    return services.create_corridor("Yerevan – Stepanakert", [world["places"][k] for k in CORRIDOR_ORDER],
                                    at=at("2020-11-13", 8))


@pytest.fixture
def household(world):
    """household(size, vulnerable=False, registered="2020-11-12", destination="stepanakert")"""
    counter = iter(range(1, 100000))

    def make(size: int = 2, *, vulnerable: bool = False, registered: str = "2020-11-12",
             destination: str = "stepanakert"):
        n = next(counter)
        members = [MemberSpec(name=f"Անուն{n} Ազգանուն {i}", sex="F" if i % 2 else "M", birth_year=1970 + i)
                   for i in range(size)]
        return services.register_household(members, world["places"][destination],
                                           vulnerabilities=["elderly"] if vulnerable else [],
                                           registered_on=dt.date.fromisoformat(registered), reference=f"H{n}")

    return make


def run_to_arrival(convoy, arrival, *, dispatched=None):
    """Dispatch, pass every intermediate checkpoint an hour apart, arrive."""
    dispatched = dispatched or arrival - dt.timedelta(hours=6)
    services.dispatch(convoy, at=dispatched)
    heads = convoy.manifest.count()
    for i, checkpoint in enumerate(convoy.corridor.ordered_checkpoints()[1:-1], start=1):
        services.pass_checkpoint(convoy, checkpoint, head_count=heads, checked_by="post officer",
                                 at=dispatched + dt.timedelta(hours=i))
    return services.arrive(convoy, at=arrival)
