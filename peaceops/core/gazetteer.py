"""The place resolver: every free-text place name in any form, import or article goes through here."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cache

from django.db import connections, router
from rapidfuzz import fuzz, process

from peaceops.core.models import Place, PlaceAlias
from peaceops.core.text import fold, place_key, record_number

# Below this similarity (0–100, on script-independent keys) a name is not taken as a misspelling.
FUZZY_CUTOFF = 84.0


class PlaceNotFound(LookupError):
    def __init__(self, name: str, suggestions: list[Place]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(p.name for p in suggestions)}?" if suggestions else ""
        super().__init__(f"No place in the gazetteer is called “{name}”.{hint}")


class PlaceAmbiguous(LookupError):
    def __init__(self, name: str, candidates: list[Place]):
        self.name = name
        self.candidates = candidates
        names = "; ".join(f"{p.name} (id {p.pk}, {p.get_kind_display()})" for p in candidates)
        super().__init__(f"“{name}” could be any of: {names}. Use a more specific name or the place id.")


@dataclass(frozen=True)
class Resolution:
    place: Place
    matched: str  # the alias (or canonical name) that matched
    method: str  # "exact", "transliteration" or "fuzzy"
    score: float = 100.0
    alternatives: list[Place] = field(default_factory=list)


@dataclass
class _Index:
    stamp: tuple
    by_fold: dict[str, set[int]]
    by_key: dict[str, set[int]]
    keys: list[str]
    names: dict[int, str]


_lock = threading.Lock()
_index: _Index | None = None


@cache
def _stamp_sql(database: str) -> str:
    alias, place = PlaceAlias._meta, Place._meta
    alias_history = PlaceAlias.history.model._meta  # type: ignore[attr-defined]  # simple-history, untyped

    def q(name: str | None) -> str:  # a table or column name (the stubs allow a column None)
        assert name is not None
        return connections[database].ops.quote_name(name)

    return (f"SELECT (SELECT COUNT(*) FROM {q(alias.db_table)}), (SELECT MAX({q(alias.pk.column)}) FROM "
            f"{q(alias.db_table)}), (SELECT MAX({q(alias_history.pk.column)}) FROM {q(alias_history.db_table)}), "
            f"(SELECT COUNT(*) FROM {q(place.db_table)}), (SELECT MAX({q(place.get_field('updated_at').column)}) "
            f"FROM {q(place.db_table)})")


def stamp() -> tuple:
    """Changes whenever a place is added, changed or removed, or an alias added, changed or removed: counts and
    highest ids of places and aliases, the last alias version (an alias edited in place keeps its id) and the
    last change of a place. One statement of five small reads, sent as plain SQL: every resolution checks it, and
    compiling the two aggregate queries it was cost more than running them."""
    database = router.db_for_read(Place)
    with connections[database].cursor() as cursor:
        cursor.execute(_stamp_sql(database))
        return tuple(cursor.fetchone())


def _build(stamp: tuple) -> _Index:
    by_fold: dict[str, set[int]] = {}
    by_key: dict[str, set[int]] = {}
    names: dict[int, str] = {}
    for pk, name in Place.objects.values_list("id", "name"):
        names[pk] = name
        # Each half of a neutral name ("Shushi / Shusha") is an alias of its own; the whole is indexed here.
        by_fold.setdefault(fold(name), set()).add(pk)
        by_key.setdefault(place_key(name), set()).add(pk)
    for pk, name, key in PlaceAlias.objects.values_list("place_id", "name", "key"):
        by_fold.setdefault(fold(name), set()).add(pk)
        by_key.setdefault(key, set()).add(pk)
    by_key.pop("", None)
    return _Index(stamp, by_fold, by_key, list(by_key), names)


def _current_index() -> _Index:
    global _index
    current = stamp()
    with _lock:
        if _index is None or _index.stamp != current:
            _index = _build(current)
        return _index


def invalidate() -> None:
    global _index
    with _lock:
        _index = None


def _place(pk: int) -> Place:
    """The matched place with its parent and grandparent: filing derives the district from the enclosing region,
    which would otherwise cost a query per level inside the filing's transaction."""
    return Place.objects.select_related("parent__parent").get(pk=pk)


def _places(ids: set[int]) -> list[Place]:
    return list(Place.objects.filter(id__in=ids).order_by("name"))


def resolve(name: str, kinds: tuple[str, ...] | None = None) -> Resolution:
    """Find the one place `name` refers to, in any script or common spelling.

    Raises PlaceNotFound (with suggestions) or PlaceAmbiguous (with the candidates).
    `kinds` narrows the search, e.g. to settlements when a form asks for a settlement.
    """
    text = (name or "").strip()
    if not text:
        raise PlaceNotFound(name, [])
    if (number := record_number(text)) is not None:
        place = Place.objects.select_related("parent__parent").filter(pk=number).first()
        if place is not None:
            return Resolution(place, place.name, "id")
    index = _current_index()

    def narrowed(ids: set[int]) -> set[int]:
        if not kinds or not ids:
            return ids
        return set(Place.objects.filter(id__in=ids, kind__in=kinds).values_list("id", flat=True))

    for method, ids in (("exact", index.by_fold.get(fold(text), set())),
                        ("transliteration", index.by_key.get(place_key(text), set()))):
        ids = narrowed(ids)
        if len(ids) == 1:
            place = _place(next(iter(ids)))
            return Resolution(place, text, method)
        if len(ids) > 1:
            raise PlaceAmbiguous(name, _places(ids))

    key = place_key(text)
    matches = process.extract(key, index.keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8)
    scored: dict[int, float] = {}
    for matched_key, score, _ in matches:
        for pk in narrowed(index.by_key[matched_key]):
            scored[pk] = max(scored.get(pk, 0.0), score)
    if not scored:
        loose = process.extract(key, index.keys, scorer=fuzz.ratio, score_cutoff=60, limit=3)
        suggestion_ids = set().union(*(index.by_key[k] for k, _, _ in loose)) if loose else set()
        raise PlaceNotFound(name, _places(narrowed(suggestion_ids)))
    best = max(scored.values())
    top = {pk for pk, score in scored.items() if score >= best - 0.5}
    if len(top) > 1:
        raise PlaceAmbiguous(name, _places(top))
    place = _place(next(iter(top)))
    others = _places(set(scored) - top)
    return Resolution(place, text, "fuzzy", best, others)


def search(query: str, limit: int = 50):
    """Places whose name or alias contains the query (any script), best matches first, misspellings included."""
    query = (query or "").strip()
    if not query:
        return Place.objects.none()
    index = _current_index()
    folded, key = fold(query), place_key(query)
    ids: set[int] = set()
    for alias_fold, place_ids in index.by_fold.items():
        if folded in alias_fold:
            ids |= place_ids
    if key:
        for alias_key, place_ids in index.by_key.items():
            if key in alias_key:
                ids |= place_ids
        for matched_key, _score, _ in process.extract(key, index.keys, scorer=fuzz.ratio,
                                                      score_cutoff=FUZZY_CUTOFF, limit=10):
            ids |= index.by_key[matched_key]
    return Place.objects.filter(id__in=ids).select_related("parent").order_by("name")[:limit]
