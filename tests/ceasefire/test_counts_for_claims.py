"""`counts.posts_manned` and `counts.casualties_between`: the monitors' figures that published claims about
observation posts, killed and wounded are read against."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.ceasefire import counts, services
from tests.ceasefire.conftest import local

pytestmark = pytest.mark.django_db
D = dt.date


def test_posts_manned_counts_each_post_once_per_day(world, users):
    from peaceops.core.models import Place

    posts = list(Place.objects.filter(kind="observation_post")[:2])
    assert len(posts) == 2
    for start in (local(2020, 11, 20, 0), local(2020, 11, 20, 12)):
        services.log_post(users["monitor"], posts[0], start, start + dt.timedelta(hours=12))
    services.log_post(users["monitor"], posts[1], local(2020, 11, 20, 6), local(2020, 11, 20, 18))
    services.log_post(users["monitor"], posts[1], local(2020, 11, 21, 6), local(2020, 11, 21, 18), manned=False)
    assert counts.posts_manned(D(2020, 11, 20)) == 2
    assert counts.posts_manned(D(2020, 11, 21)) == 0


def test_casualties_between_days_and_districts(file, world):
    file("martuni", local(2020, 12, 12, 10), killed_military=1, injured_civilian=2)
    file("hadrut", local(2020, 12, 13, 10), injured_military=1)
    assert counts.casualties_between(D(2020, 12, 12), D(2020, 12, 12)) == (1, 2)
    assert counts.casualties_between(D(2020, 12, 12), D(2020, 12, 13)) == (1, 3)
    hadrut = world["places"]["hadrut"].district().pk
    assert counts.casualties_between(D(2020, 12, 10), D(2020, 12, 31), hadrut) == (0, 1)
