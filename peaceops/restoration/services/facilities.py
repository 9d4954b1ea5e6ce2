"""Registering facilities: the settlements they serve must exist, and dependencies may not go round in a circle."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peaceops.core import gazetteer
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind
from peaceops.restoration.models import Facility


def resolve_settlements(names: Iterable[str]) -> list[Place]:
    """Settlement places for names in any script; an unknown name is an error, never silently dropped."""
    places, errors = [], []
    for name in names:
        name = name.strip()
        if not name:
            continue
        try:
            places.append(gazetteer.resolve(name, kinds=(PlaceKind.SETTLEMENT,)).place)
        except (gazetteer.PlaceNotFound, gazetteer.PlaceAmbiguous) as exc:
            errors.append(str(exc))
    if errors:
        raise ValidationError({"settlements": errors})
    return places


def check_settlements(settlements: Iterable[Place]) -> None:
    wrong = [p.name for p in settlements if p.kind != PlaceKind.SETTLEMENT]
    if wrong:
        raise ValidationError({"settlements": _("Not a settlement in the gazetteer: %(names)s.")
                               % {"names": ", ".join(wrong)}})


def dependency_graph() -> dict[int, set[int]]:
    graph: dict[int, set[int]] = {}
    for from_id, to_id in Facility.depends_on.through.objects.values_list("from_facility_id", "to_facility_id"):
        graph.setdefault(from_id, set()).add(to_id)
    return graph


def find_cycle(graph: dict[int, set[int]], start: int) -> list[int] | None:
    """A path start → … → start through the graph, or None."""
    stack: list[tuple[int, list[int]]] = [(start, [start])]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def check_dependencies(facility: Facility, depends_on: Iterable[Facility]) -> None:
    depends_on = list(depends_on)
    if facility.pk is None:
        return  # a new facility has no dependants yet, so it cannot close a circle
    graph = dependency_graph()
    graph[facility.pk] = {d.pk for d in depends_on}
    cycle = find_cycle(graph, facility.pk)
    if cycle:
        names = dict(Facility.objects.filter(pk__in=cycle).values_list("pk", "name"))
        raise ValidationError({"depends_on": _("These dependencies go round in a circle: %(path)s.")
                               % {"path": " → ".join(names[pk] for pk in cycle)}})


@transaction.atomic
def save_facility(facility: Facility, settlements: Iterable[Place] | None = None,
                  depends_on: Iterable[Facility] | None = None) -> Facility:
    """Validate everything first, then write: a refused facility leaves nothing behind."""
    settlements = list(settlements) if settlements is not None else None
    depends_on = list(depends_on) if depends_on is not None else None
    if settlements is not None:
        check_settlements(settlements)
    if depends_on is not None:
        check_dependencies(facility, depends_on)
    facility.full_clean(exclude=["sector"])
    facility.save()
    if settlements is not None:
        facility.settlements.set(settlements)
    if depends_on is not None:
        facility.depends_on.set(depends_on)
    return facility
