"""Duplicate proposals (true and false cases), merges, and counting per reporting period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from peaceops.ceasefire import counts, services
from peaceops.ceasefire.models import Incident
from tests.ceasefire.conftest import local

pytestmark = pytest.mark.django_db


def test_same_event_from_post_patrol_and_party_is_proposed(file):
    post = file("martuni", local(2020, 12, 20, 14, 0))
    patrol = file("martuni", local(2020, 12, 20, 16, 30), source="patrol", bearing="N", distance_km=Decimal("3"))
    party = file("martuni", local(2020, 12, 20, 13, 0), source="armenian-side", sub_type="artillery")
    proposed = {p.incident.pk: p for p in services.propose_duplicates(post)}
    assert set(proposed) == {patrol.pk, party.pk}
    assert 2.5 < proposed[patrol.pk].km_apart < 3.5
    assert proposed[party.pk].hours_apart == pytest.approx(0.67, abs=0.01)  # party window 13:00–13:20


@pytest.mark.parametrize("other", [
    {"place_key": "martuni", "when": local(2020, 12, 21, 14, 0)},  # a day later
    {"place_key": "hadrut", "when": local(2020, 12, 20, 14, 0)},  # 30 km away
    {"place_key": "martuni", "when": local(2020, 12, 20, 14, 0), "incident_type": "small_arms",
     "sub_type": "sniper"},  # another type
])
def test_what_is_not_the_same_event_is_not_proposed(file, other):
    first = file("martuni", local(2020, 12, 20, 14, 0))
    file(**other)
    assert services.propose_duplicates(first) == []


def test_merged_and_refuted_incidents_are_not_proposed(file, users):
    first = file("martuni", local(2020, 12, 20, 14, 0))
    second = file("martuni", local(2020, 12, 20, 15, 0))
    analyst = users["analyst"]
    services.refute(services.claim(second, analyst), analyst, "Exercise on the other side, announced.")
    assert services.propose_duplicates(first) == []


def test_merge_keeps_every_source_and_independent_corroboration_confirms(file, users):
    post = file("martuni", local(2020, 12, 20, 14, 0), killed_military=1)
    party = file("martuni", local(2020, 12, 20, 14, 30), source="azerbaijani-side", injured_civilian=2)
    assert post.credibility == 6
    merged = services.merge(post, [party], users["analyst"], "Same mortar fire, same place, same hour.")
    assert merged.sources.count() == 2
    assert merged.credibility == 1
    assert (merged.killed_military, merged.injured_civilian) == (1, 2)
    party.refresh_from_db()
    assert party.merged_into == merged and Incident.objects.filter(pk=party.pk).exists()
    assert party.steps.last().action == "merged"
    assert merged not in [p.incident for p in services.propose_duplicates(party)]
    # The duplicate no longer counts; the merged incident counts once.
    assert counts.daily_totals(dt.date(2020, 12, 20), dt.date(2020, 12, 20))[dt.date(2020, 12, 20)] == 1


def test_two_reports_from_the_same_party_are_not_independent(file, users):
    a = file("martuni", local(2020, 12, 20, 14, 0), source="armenian-side")
    b = file("martuni", local(2020, 12, 20, 14, 30), source="armenian-side")
    assert services.merge(a, [b], users["analyst"], "same statement repeated").credibility == 6


@pytest.mark.parametrize("other", [
    {"place_key": "martuni", "when": local(2020, 12, 23, 14, 0)},
    {"place_key": "stepanakert", "when": local(2020, 12, 20, 14, 0)},
    {"place_key": "martuni", "when": local(2020, 12, 20, 14, 0), "incident_type": "drone", "sub_type": "strike"},
])
def test_incompatible_merge_is_refused_and_nothing_changes(file, users, other):
    first = file("martuni", local(2020, 12, 20, 14, 0))
    second = file(**other)
    with pytest.raises(ValidationError) as exc:
        services.merge(first, [second], users["analyst"], "looks similar")
    assert "duplicates" in exc.value.message_dict
    second.refresh_from_db()
    assert second.merged_into is None and first.sources.count() == 1


def test_merge_needs_a_rationale(file, users):
    a, b = file(), file()
    with pytest.raises(ValidationError) as exc:
        services.merge(a, [b], users["analyst"], "")
    assert "rationale" in exc.value.message_dict


@pytest.mark.parametrize("cutoff, hh, mm, day", [
    ("24:00", 23, 59, 12), ("24:00", 0, 0, 13),
    ("19:30", 19, 29, 12), ("19:30", 19, 30, 13),  # exactly at the cut-off: the next reporting day
    ("19:30", 23, 0, 13),
])
def test_reporting_day_at_the_cut_off(file, settings, cutoff, hh, mm, day):
    settings.PEACEOPS_DAY_CUTOFF = cutoff
    when = local(2020, 12, 12, hh, mm) if (hh, mm) != (0, 0) else local(2020, 12, 13, 0, 0)
    file(when=when)
    totals = counts.daily_totals(dt.date(2020, 12, 11), dt.date(2020, 12, 14))
    assert totals[dt.date(2020, 12, day)] == 1
    assert sum(totals.values()) == 1


def test_an_instant_given_in_utc_counts_on_the_local_day(file, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    file(when=dt.datetime(2020, 12, 12, 21, 30, tzinfo=dt.UTC))  # 01:30 on 13 December in the region (UTC+4)
    assert counts.daily_totals(dt.date(2020, 12, 12), dt.date(2020, 12, 13)) == {
        dt.date(2020, 12, 12): 0, dt.date(2020, 12, 13): 1}


def test_fast_and_exact_paths_agree(file, settings):
    settings.PEACEOPS_DAY_CUTOFF = "19:30"
    for hour in (1, 8, 19, 20, 23):
        file(when=local(2020, 12, 15, hour, 40))
    first, last = dt.date(2020, 12, 14), dt.date(2020, 12, 17)
    fast = sorted(counts.daily_rows(first, last))
    exact = sorted(counts.daily_rows(first, last, Incident.objects.all()))  # the ORM path, bucketing in Python
    assert fast == exact and sum(r[3] for r in fast) == 5


def test_period_counts_by_district_with_change_running_total_and_lower_bound(file, users, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    file("hadrut", local(2020, 12, 12, 9))
    file("martuni", local(2020, 12, 13, 9), killed_military=1)
    file("martuni", local(2020, 12, 13, 22), incident_type="small_arms", sub_type="automatic")
    refuted = file("martuni", local(2020, 12, 13, 23))
    services.refute(services.claim(refuted, users["analyst"]), users["analyst"], "It was a controlled detonation.")
    result = counts.for_period(dt.date(2020, 12, 13))
    assert (result.total, result.previous, result.change, result.running) == (2, 1, 1, 3)
    assert result.killed == 1
    district, kinds, total = result.by_district[0]
    assert district.name.startswith("Martuni") and kinds == {"shelling": 1, "small_arms": 1} and total == 2
    assert result.wording == "at least 2 violations"
    assert counts.at_least(0) == "none recorded"
