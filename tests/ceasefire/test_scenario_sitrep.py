"""The scenario honours the public record; the sitrep section reads like the bulletins of the time."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.ceasefire import scenario, sitrep
from peaceops.ceasefire.models import Incident, ObservationPostLog, Patrol
from peaceops.core.reporting import ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(world, users):
    import random

    from peaceops.scenario.world import World

    w = World(seed=7, scale=1.0, rng=random.Random(7), places=world["places"], parties=world["parties"],
              sources=world["sources"], users=users)
    for build in scenario.BUILDERS:
        build(w)
    return w


def test_quiet_until_the_first_violation_near_hadrut_then_mostly_martuni(built, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    first = Incident.objects.order_by("occurred_from").first()
    assert first.occurred_from.astimezone(ReportingPeriod.ending_on(first.occurred_from.date()).end.tzinfo).date() \
        == dt.date(2020, 12, 12)
    assert first.district.name.startswith("Hadrut")
    later = Incident.objects.exclude(pk=first.pk)
    assert later.count() >= 5
    martuni = later.filter(district__name__startswith="Martuni").count()
    assert martuni > later.count() / 3  # the most frequent district, as in the bulletins
    with_casualties = [i for i in later if i.killed or i.injured]
    assert len(with_casualties) < later.count() / 2
    assert ObservationPostLog.objects.values("post").distinct().count() == 23
    assert Patrol.objects.values("route_name").distinct().count() == 3
    assert Patrol.objects.count() == 3 * 52


def test_sitrep_section_for_the_first_violation_day(built, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    section = sitrep.ceasefire_section(ReportingPeriod.ending_on(dt.date(2020, 12, 12)))
    figures = {f.key: f for f in section.figures}
    assert section.order == 10
    assert figures["ceasefire.posts_manned"].value == 23
    assert (figures["ceasefire.violations"].value, figures["ceasefire.violations"].previous) == (1, 0)
    assert figures["ceasefire.violations"].url.endswith("?day=2020-12-12") and figures["ceasefire.violations"].lower_bound
    assert figures["ceasefire.routes_patrolled"].value == 3
    assert "At least 1 ceasefire violation was recorded (Hadrut district), no casualties" in section.summary
    assert "Martuni" in section.summary  # one of the routes patrolled
    quiet = sitrep.ceasefire_section(ReportingPeriod.ending_on(dt.date(2020, 11, 21)))
    assert "No ceasefire violation was recorded." in quiet.summary
    series = sitrep.violations_series(dt.date(2020, 12, 10), dt.date(2020, 12, 12))[0]
    assert [v for _d, v in series.points] == [0.0, 0.0, 1.0]


def test_post_and_patrol_figures_link_to_the_day_they_count(built, settings, client_for):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    figures = {f.key: f for f in sitrep.ceasefire_section(ReportingPeriod.ending_on(dt.date(2020, 12, 12))).figures}
    client = client_for("monitor")
    posts = client.get(figures["ceasefire.posts_manned"].url)
    assert posts.context["posts"] == figures["ceasefire.posts_manned"].value == 23
    assert posts.context["page"].paginator.count < ObservationPostLog.objects.count()  # one day, not the whole log
    patrols = client.get(figures["ceasefire.routes_patrolled"].url)
    assert patrols.context["page"].paginator.count == figures["ceasefire.routes_patrolled"].value == 3
    assert patrols.context["distance"] == figures["ceasefire.patrol_km"].value > 0
    assert figures["ceasefire.patrol_km"].url == figures["ceasefire.routes_patrolled"].url


def test_the_demo_counts_explosions_and_bursts_and_records_other_report_types(built, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    from django.db.models import Sum

    from peaceops.ceasefire.taxonomy import VIOLATION_TYPES

    assert Incident.objects.filter(explosions__gt=0).exists() and Incident.objects.filter(bursts__gt=0).exists()
    others = set(Incident.objects.exclude(incident_type__in=VIOLATION_TYPES).values_list("incident_type", flat=True))
    assert others == {"movement_restriction", "infrastructure", "civilian_casualties"}
    # A day with explosions says so in the sitrep, in the figure and in the sentence.
    day = next(ReportingPeriod.containing(i.occurred_from).day
               for i in Incident.objects.filter(explosions__gt=0).order_by("occurred_from"))
    section = sitrep.ceasefire_section(ReportingPeriod.ending_on(day))
    figures = {f.key: f for f in section.figures}
    period = ReportingPeriod.ending_on(day)
    expected = Incident.objects.violations().filter(occurred_from__gte=period.start, occurred_from__lt=period.end) \
        .aggregate(n=Sum("explosions"))["n"]
    assert figures["ceasefire.explosions"].value == expected > 0
    assert f"including {expected} explosion" in section.summary
    # The first violation (automatic fire) came in bursts.
    assert "burst" in sitrep.ceasefire_section(ReportingPeriod.ending_on(dt.date(2020, 12, 12))).summary
