"""Returned as of D: distinct canonical persons by first arrival, answered from tallies (see models/movements)."""

from __future__ import annotations

import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import TypeVar

from django.db import transaction
from django.db.models import Case, F, IntegerField, Q, Sum, Value, When

from peaceops.core.models import Person, Place
from peaceops.core.reporting import ReportingPeriod
from peaceops.returns.models import Movement, MovementKind, ReturnDayTally, Returnee, ReturnMinuteTally

Tally = TypeVar("Tally", ReturnMinuteTally, ReturnDayTally)

UTC = dt.UTC


def _minute(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(UTC).replace(second=0, microsecond=0)


def follow_merges(person_ids: Iterable[int]) -> dict[int, int]:
    """person id → canonical (surviving) person id, following confirmed merges (chains included)."""
    result = {pk: pk for pk in person_ids}
    pending = set(result)
    parent: dict[int, int | None] = {}
    while pending:
        rows = dict(Person.objects.filter(pk__in=pending).values_list("pk", "merged_into_id"))
        parent.update(rows)
        pending = {p for p in rows.values() if p is not None and p not in parent}
    for pk in result:
        seen, node = set(), pk
        while (up := parent.get(node)) and node not in seen:
            seen.add(node)
            node = up
        result[pk] = node
    return result


def _bump(changes: dict[tuple, int]) -> None:
    """Apply (minute, destination[, self-organised]) → delta to both tallies."""
    merged: dict[tuple[dt.datetime, int], list[int]] = defaultdict(lambda: [0, 0])
    for key, delta in changes.items():
        minute, destination, own = (*key, False)[:3]
        merged[(minute, destination)][0] += delta
        if own:
            merged[(minute, destination)][1] += delta
    days: dict[tuple[dt.date, int], list[int]] = defaultdict(lambda: [0, 0])
    for (minute, destination), (delta, own) in merged.items():
        days[(minute.date(), destination)][0] += delta
        days[(minute.date(), destination)][1] += own
    _add_to_tally(ReturnMinuteTally, "minute", merged.items())
    _add_to_tally(ReturnDayTally, "day", days.items())


def _add_to_tally(model: type[Tally], key_name: str, items: Iterable[tuple[tuple[object, int], list[int]]]) -> None:
    for (key, destination), (delta, own) in items:
        if not delta and not own:
            continue
        updated = model._default_manager.filter(**{key_name: key}, destination_id=destination).update(
            count=F("count") + delta, self_organised=F("self_organised") + own)
        if not updated:
            model._default_manager.bulk_create([model(**{key_name: key}, destination_id=destination, count=delta,
                                                      self_organised=own)])


def record_first_arrivals(arrivals: list[tuple]) -> int:
    """Register (person id, arrival time, destination id, movement id[, self-organised]) arrivals in the
    returnee registry (self-organised: the arrival was not in an escorted convoy; False when left out).

    Only a person's earliest arrival counts, however it was made; returns how many people were counted for the
    first time. Call inside the transaction that writes the movements.
    """
    arrivals = [(*a, False)[:5] for a in arrivals]
    canonical = follow_merges({a[0] for a in arrivals})
    earliest: dict[int, tuple[dt.datetime, int, int | None, bool]] = {}
    for person, at, destination, movement, own in arrivals:
        key = canonical[person]
        if key not in earliest or at < earliest[key][0]:
            earliest[key] = (at, destination, movement, bool(own))
    existing = {r.person_id: r for r in Returnee.objects.filter(person_id__in=list(earliest))}
    changes: dict[tuple, int] = defaultdict(int)
    new_rows, moved = [], []
    for person, (at, destination, movement, own) in earliest.items():
        row = existing.get(person)
        if row is None:
            new_rows.append(Returnee(person_id=person, first_arrival_at=at, destination_id=destination,
                                     movement_id=movement, self_organised=own))
            changes[(_minute(at), destination, own)] += 1
        elif at < row.first_arrival_at:  # a back-dated arrival moves the person's first return earlier
            changes[(_minute(row.first_arrival_at), row.destination_id, row.self_organised)] -= 1
            changes[(_minute(at), destination, own)] += 1
            row.first_arrival_at, row.destination_id, row.movement_id = at, destination, movement
            row.self_organised = own
            moved.append(row)
    Returnee.objects.bulk_create(new_rows, batch_size=5000)
    if moved:
        Returnee.objects.bulk_update(moved, ["first_arrival_at", "destination", "movement", "self_organised"])
    _bump(changes)
    return len(new_rows)


@transaction.atomic
def apply_merge(merged: Person) -> None:
    """A confirmed merge: the merged record's first arrival folds into the survivor's, so it counts once."""
    survivor = follow_merges([merged.pk])[merged.pk]
    row = Returnee.objects.filter(person_id=merged.pk).first()
    if row is None or survivor == merged.pk:
        return
    other = Returnee.objects.filter(person_id=survivor).first()
    changes: dict[tuple[dt.datetime, int, bool], int] = defaultdict(int)
    if other is None:
        Returnee.objects.filter(pk=row.pk).update(person_id=survivor)
        return
    keep, drop = (row, other) if row.first_arrival_at < other.first_arrival_at else (other, row)
    changes[(_minute(drop.first_arrival_at), drop.destination_id, drop.self_organised)] -= 1
    Returnee.objects.filter(pk=drop.pk).delete()
    Returnee.objects.filter(pk=keep.pk).update(person_id=survivor)
    _bump(changes)


@transaction.atomic
def refold(canonical_ids: set[int]) -> None:
    """Recount the first arrivals of these canonical persons (and of the records merged into them) from their
    movements: after a merge is undone, each side counts on its own again, without rebuilding every tally."""
    members = canonical_ids | set(Person.objects.filter(merged_into__in=canonical_ids).values_list("pk", flat=True))
    changes: dict[tuple[dt.datetime, int, bool], int] = defaultdict(int)
    stale = Returnee.objects.filter(person_id__in=members)
    for at, destination, own in stale.values_list("first_arrival_at", "destination_id", "self_organised"):
        changes[(_minute(at), destination, own)] -= 1
    stale.delete()
    _bump(changes)
    record_first_arrivals([(p, at, d, m, c is None) for m, p, at, d, c in _returns().filter(person_id__in=members)
                           .values_list("id", "person_id", "arrived_at", "destination_id", "convoy_id")])


def _returns():
    """Movements that are returns (departures and secondary displacement never count as returned)."""
    return Movement.objects.filter(kind=MovementKind.RETURN)


@transaction.atomic
def rebuild_tallies() -> int:
    """Recompute the returnee registry and both tallies from the movements; returns the number of returnees."""
    ReturnMinuteTally.objects.all().delete()
    ReturnDayTally.objects.all().delete()
    Returnee.objects.all().delete()
    last_id, total = 0, 0
    while True:
        batch = list(_returns().filter(id__gt=last_id).order_by("id")
                     .values_list("id", "person_id", "arrived_at", "destination_id", "convoy_id")[:50000])
        if not batch:
            break
        total += record_first_arrivals([(p, at, d, m, c is None) for m, p, at, d, c in batch])
        last_id = batch[-1][0]
    return Returnee.objects.count()


def _tallies_before(instants: list[dt.datetime]) -> list[dict[int, list[int]]]:
    """For each instant: destination id → [people, of them self-organised] whose first arrival is before it
    (exclusive), a destination listed when a tally row of it counts. Two grouped queries however many instants:
    the day tally for the whole UTC days before each instant's day, the minute tally for the part of the
    instant's own UTC day before it (one filtered sum per instant)."""
    instants = [instant.astimezone(UTC) for instant in instants]
    midnights = [dt.datetime.combine(instant.date(), dt.time(0), tzinfo=UTC) for instant in instants]
    results: list[dict[int, list[int]]] = [defaultdict(lambda: [0, 0]) for _ in instants]
    day_windows = [Q(day__lt=instant.date()) for instant in instants]
    minute_windows = [Q(minute__gte=m, minute__lt=instant) for m, instant in zip(midnights, instants, strict=True)]
    for model, windows in ((ReturnDayTally, day_windows), (ReturnMinuteTally, minute_windows)):
        sums = {}
        for n, window in enumerate(windows):
            sums[f"n{n}"] = Sum("count", filter=window)
            sums[f"s{n}"] = Sum("self_organised", filter=window)
        rows = (model._default_manager.filter(reduce(operator.or_, windows)).values_list("destination_id")
                .annotate(**sums).values_list("destination_id", *sums))
        for destination, *figures in rows:
            for n, result in enumerate(results):
                count, own = figures[2 * n], figures[2 * n + 1]
                if count is not None:  # no tally row of this destination in this instant's window
                    result[destination][0] += count
                    result[destination][1] += own or 0
    return results


def _tally_before(instant: dt.datetime) -> dict[int, list[int]]:
    """destination id → [people, of them self-organised] whose first arrival is before `instant` (exclusive)."""
    return _tallies_before([instant])[0]


def _counts_before(instant: dt.datetime) -> dict[int, int]:
    """destination id → people whose first arrival is before `instant` (exclusive)."""
    return {k: v[0] for k, v in _tally_before(instant).items()}


def returned_before(instant: dt.datetime) -> int:
    return sum(_counts_before(instant).values())


@dataclass
class ReturnedCount:
    """Distinct people returned: `escorted` (first arrival in a convoy) plus `self_organised` (first arrival
    recorded at a checkpoint or desk without a convoy) make `total`, each person once."""

    day: dt.date
    end: dt.datetime
    total: int
    last_24h: int
    by_destination: list[tuple[Place, int]] = field(default_factory=list)
    self_organised: int = 0

    @property
    def escorted(self) -> int:
        return self.total - self.self_organised


def returned_as_of(day: dt.date) -> ReturnedCount:
    """Distinct people whose (first) arrival was recorded before the end of reporting period D, by destination
    settlement and in total (escorted and self-organised), and how many of them arrived in the 24 hours before
    that end."""
    end = ReportingPeriod.ending_on(day).end
    until_end, until_day_before = _tallies_before([end, end - dt.timedelta(hours=24)])
    tally = {k: v for k, v in until_end.items() if v[0]}
    earlier = sum(v[0] for v in until_day_before.values())
    places = Place.objects.in_bulk(list(tally))
    by_destination = sorted(((places[k], v[0]) for k, v in tally.items()), key=lambda pair: (-pair[1], pair[0].name))
    total = sum(v[0] for v in tally.values())
    return ReturnedCount(day, end, total, total - earlier, by_destination,
                         self_organised=sum(v[1] for v in tally.values()))


def daily_first_arrivals(first_day: dt.date, last_day: dt.date) -> list[tuple[dt.date, int, int]]:
    """(day, returned that reporting day, cumulative) for each day in the range.

    Two grouped queries over the tallies whatever the length of the range (the sitrep asks for every day since
    the ceasefire, the dashboard for two months): the day tally by UTC day, and the minute tally for the part of
    each period end's own UTC day before that end, one CASE bucket per end."""
    if last_day < first_day:
        return []
    days = [first_day + dt.timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    bounds = [ReportingPeriod.ending_on(first_day).start.astimezone(UTC)]
    bounds += [ReportingPeriod.ending_on(day).end.astimezone(UTC) for day in days]
    if len({b.date() for b in bounds}) < len(bounds):
        # Two period ends on one UTC day (a clock change next to a cut-off near midnight): the buckets would
        # overlap, so count each end on its own.
        totals = [returned_before(b) for b in bounds]
    else:
        per_day = dict(ReturnDayTally.objects.filter(day__lt=bounds[-1].date()).values_list("day")
                       .annotate(n=Sum("count")).values_list("day", "n"))
        midnights = [dt.datetime.combine(b.date(), dt.time(0), tzinfo=UTC) for b in bounds]
        buckets = [When(minute__gte=m, minute__lt=b, then=Value(i))
                   for i, (m, b) in enumerate(zip(midnights, bounds, strict=True)) if b > m]
        partial: dict[int, int] = {}
        if buckets:
            partial = dict(ReturnMinuteTally.objects.filter(minute__gte=midnights[0], minute__lt=bounds[-1])
                           .annotate(bucket=Case(*buckets, default=Value(-1), output_field=IntegerField()))
                           .values_list("bucket").annotate(n=Sum("count")).values_list("bucket", "n"))
        totals, running, whole = [], 0, sorted(per_day.items())
        for i, bound in enumerate(bounds):
            while whole and whole[0][0] < bound.date():
                running += whole.pop(0)[1]
            totals.append(running + partial.get(i, 0))
    return [(day, totals[i + 1] - totals[i], totals[i + 1]) for i, day in enumerate(days)]
