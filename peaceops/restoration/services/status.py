"""Which services function in each settlement as of a date, and how many people have them.

A facility delivers what its latest assessment says, or what its latest completed work restored it to, whichever
is more recent (on the same day the completion counts, as repairs follow assessments). A facility never assessed
is taken to work: it is in the register and no damage has been reported. A facility delivers no more than the
least of the facilities it depends on, so a clinic fed by a substation that is down does not function.

In a settlement, a service is the combination of the facilities of its sector serving it that no other such
facility depends on (the end of each supply chain): fully if all of them work fully, not if none works at all,
partially otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from peaceops.core.models import Place
from peaceops.restoration.models import DamageAssessment, Facility, Work, WorkStatus
from peaceops.restoration.models.facilities import LIFE_SUPPORT, Sector

FULL_THRESHOLD = 90  # functionality % from which a facility counts as working fully

FULL, PARTIAL, NONE = "full", "partial", "none"
LEVEL_LABELS = {FULL: _("functioning"), PARTIAL: _("partially functioning"), NONE: _("not functioning")}


def level_of(percent: int) -> str:
    if percent >= FULL_THRESHOLD:
        return FULL
    return PARTIAL if percent > 0 else NONE


@dataclass(frozen=True)
class FacilityState:
    facility_id: int
    own: int  # % the facility itself delivers
    effective: int  # % after its dependencies
    since: dt.date | None
    blocked_by: tuple[int, ...] = ()  # dependencies that hold it down

    @property
    def level(self) -> str:
        return level_of(self.effective)


@dataclass
class ServiceState:
    sector: str
    level: str
    percent: int
    facility_ids: list[int]

    @property
    def label(self) -> str:
        return str(LEVEL_LABELS[self.level])


@dataclass
class SettlementStatus:
    place: Place
    population: int
    district: str
    services: dict[str, ServiceState] = field(default_factory=dict)


@dataclass
class RegionTotal:
    sector: str
    full: int = 0  # people in settlements where the service functions fully
    partial: int = 0
    none: int = 0

    @property
    def served(self) -> int:
        """People who have the service, fully or in part."""
        return self.full + self.partial


@dataclass
class Snapshot:
    as_of: dt.date
    facilities: dict[int, FacilityState]
    settlements: list[SettlementStatus]
    totals: dict[str, RegionTotal]


class StatusEngine:
    """Loads the register and its history once; then answers for any number of dates in memory."""

    def __init__(self, facilities=None):
        qs = facilities if facilities is not None else Facility.objects.all()
        self.facilities = {f.pk: f for f in qs.select_related(None).only("id", "name", "sector", "kind")}
        ids = list(self.facilities)
        self.deps: dict[int, set[int]] = defaultdict(set)
        for a, b in Facility.depends_on.through.objects.filter(from_facility_id__in=ids).values_list(
                "from_facility_id", "to_facility_id"):
            if b in self.facilities:
                self.deps[a].add(b)
        self.served: dict[int, list[int]] = defaultdict(list)  # settlement → facilities
        for fid, pid in Facility.settlements.through.objects.filter(facility_id__in=ids).values_list(
                "facility_id", "place_id"):
            self.served[pid].append(fid)
        # Events per facility, in order: (date, rank, id, functionality); completions rank after assessments.
        self.events: dict[int, list[tuple[dt.date, int, int, int]]] = defaultdict(list)
        for fid, day, pk, pct in DamageAssessment.objects.filter(facility_id__in=ids).values_list(
                "facility_id", "date", "id", "functionality"):
            self.events[fid].append((day, 0, pk, pct))
        for fid, day, pk, pct in Work.objects.filter(facility_id__in=ids, status=WorkStatus.COMPLETED).exclude(
                actual_end=None).values_list("facility_id", "actual_end", "id", "restores_to"):
            self.events[fid].append((day, 1, pk, pct))
        for items in self.events.values():
            items.sort()
        self.places = {p.pk: p for p in Place.objects.filter(pk__in=list(self.served)).select_related("parent")}
        self.districts = {pk: (d.name if (d := p.district()) else "") for pk, p in self.places.items()}

    def _own(self, fid: int, as_of: dt.date) -> tuple[int, dt.date | None]:
        latest = None
        for event in self.events.get(fid, ()):
            if event[0] > as_of:
                break
            latest = event
        return (latest[3], latest[0]) if latest else (100, None)

    def facility_states(self, as_of: dt.date) -> dict[int, FacilityState]:
        states: dict[int, FacilityState] = {}

        def resolve(fid: int, trail: frozenset[int]) -> FacilityState:
            if fid in states:
                return states[fid]
            own, since = self._own(fid, as_of)
            effective, blockers = own, []
            for dep in sorted(self.deps.get(fid, ())):
                if dep in trail:  # cycles are refused on save; stay safe with old data
                    continue
                dep_state = resolve(dep, trail | {fid})
                if dep_state.effective < own:
                    blockers.append(dep)
                effective = min(effective, dep_state.effective)
            states[fid] = FacilityState(fid, own, effective, since, tuple(blockers))
            return states[fid]

        for fid in self.facilities:
            resolve(fid, frozenset())
        return states

    def snapshot(self, as_of: dt.date) -> Snapshot:
        states = self.facility_states(as_of)
        settlements: list[SettlementStatus] = []
        totals: dict[str, RegionTotal] = {sector: RegionTotal(sector) for sector in LIFE_SUPPORT}
        for pid, fids in self.served.items():
            place = self.places.get(pid)
            if place is None:
                continue
            row = SettlementStatus(place, place.population or 0, self.districts[pid])
            by_sector: dict[str, list[int]] = defaultdict(list)
            for fid in fids:
                by_sector[self.facilities[fid].sector].append(fid)
            for sector, members in by_sector.items():
                member_set = set(members)
                feeding = set().union(*(self.deps.get(f, set()) for f in members))
                ends = [f for f in members if f not in feeding & member_set] or members
                levels = {states[f].level for f in ends}
                level = FULL if levels == {FULL} else NONE if levels == {NONE} else PARTIAL
                percent = round(sum(states[f].effective for f in ends) / len(ends))
                row.services[sector] = ServiceState(sector, level, percent, sorted(members))
                if sector in totals:
                    setattr(totals[sector], level, getattr(totals[sector], level) + row.population)
            settlements.append(row)
        settlements.sort(key=lambda s: (-s.population, s.place.name))
        return Snapshot(as_of, states, settlements, totals)


def snapshot(as_of: dt.date, facilities=None) -> Snapshot:
    return StatusEngine(facilities).snapshot(as_of)


def with_previous_day(as_of: dt.date, facilities=None) -> tuple[Snapshot, Snapshot]:
    """The snapshot for D and for D−1, for 'change since the previous day'."""
    engine = StatusEngine(facilities)
    return engine.snapshot(as_of), engine.snapshot(as_of - dt.timedelta(days=1))


SECTOR_ORDER = [s.value for s in Sector]
