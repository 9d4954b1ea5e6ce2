"""Appending to and verifying the audit chain. Every module records through these functions."""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache

from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core.context import current_actor, current_request_id
from peaceops.core.models.audit import GENESIS_HASH, AuditAction, AuditEvent, AuditHead


def _canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _around_prev(event: AuditEvent) -> tuple[str, str]:
    """The event's canonical text (what its hash is the SHA-256 of) on either side of the predecessor's hash: the
    text is `before + prev_hash + after`. The keys sort as action, actor, detail, model, object_id, object_repr,
    prev, request_id, timestamp, so "prev" splits the sorted object in two; the database can then chain an event
    whose predecessor it alone knows (`_commit_events`)."""
    before = _canonical({"action": event.action, "actor": event.actor, "detail": event.detail, "model": event.model,
                         "object_id": event.object_id, "object_repr": event.object_repr})
    after = _canonical({"request_id": event.request_id, "timestamp": event.timestamp.isoformat()})
    return before[:-1] + ',"prev":"', '",' + after[1:]


def _digest(prev_hash: str, event: AuditEvent) -> str:
    before, after = _around_prev(event)
    return hashlib.sha256((before + prev_hash + after).encode("utf-8")).hexdigest()


def state_digest(instance: models.Model) -> str:
    """A fingerprint of a record's stored values, so the chain also vouches for what was written."""
    from peaceops.core.fingerprint import digest

    return digest(instance)


# The newest hash this process appended or saw: a hint that saves reading the head before each append. It may be
# stale (another process appended since) or name an event whose transaction rolled back; the head row decides.
_tip_hint: dict[str, str] = {}
# Compare-and-swap attempts before an append takes the head under a lock (SELECT ... FOR UPDATE) instead.
CAS_ATTEMPTS = 3


def _head_hash(using: str) -> str:
    """The head's last hash as committed (or as this transaction left it); creates the head on an empty chain."""
    last = AuditHead.objects.using(using).filter(pk=1).values_list("last_hash", flat=True).first()
    if last is None:
        head, _created = AuditHead.objects.using(using).get_or_create(
            pk=1, defaults={"last_hash": GENESIS_HASH, "count": 0})
        last = head.last_hash
    return last


def _advance(using: str, prev_hash: str, new_hash: str, count: int) -> bool:
    """Compare-and-swap on the head: move it from prev_hash to new_hash (`count` events on), or do nothing when
    another writer moved it first. On PostgreSQL a writer whose transaction holds the head waits here until that
    transaction ends, then the condition is tested against the committed row (READ COMMITTED), so two writers never
    both succeed."""
    return bool(AuditHead.objects.using(using).filter(pk=1, last_hash=prev_hash)
                .update(last_hash=new_hash, count=models.F("count") + count))


def _chain(prev_hash: str, events: list[AuditEvent]) -> str:
    for event in events:
        event.prev_hash, event.hash = prev_hash, _digest(prev_hash, event)
        prev_hash = event.hash
    return prev_hash


def write_events(using: str, events: list[AuditEvent]) -> None:
    """Chain `events` (in order) onto the head and insert them, inside the current transaction.

    The head row is moved by compare-and-swap from the hash the first event points at (cached per process, read only
    when the cache misses), then the events are inserted: two statements, no savepoint. The head row stays locked by
    this transaction until it ends, so events are chained in commit order, and the database refuses a second
    successor of any event (AuditEvent.prev_hash is unique). Called at COMMIT for the events a transaction queued
    (`peaceops.core.backends`), or at once outside a transaction."""
    if not events:
        return
    connection = transaction.get_connection(using)
    if (getattr(connection, "audit_committing", False) and connection.vendor == "postgresql"
            and len(events) <= IN_DATABASE_MAX):
        _commit_events(connection, events)
        return
    with transaction.atomic(using=using, savepoint=False):
        prev = _tip_hint.get(using)
        for _attempt in range(CAS_ATTEMPTS):
            if prev is None:
                prev = _head_hash(using)
            last = _chain(prev, events)
            if _advance(using, prev, last, len(events)):
                break
            prev = None  # stale hint or a concurrent writer won: read the head again
        else:  # contended beyond a few rounds: wait for the head under a lock, as every append once did
            _head_hash(using)  # creates the head on an empty chain
            prev = AuditHead.objects.using(using).select_for_update().get(pk=1).last_hash
            last = _chain(prev, events)
            if not _advance(using, prev, last, len(events)):
                raise RuntimeError("the audit chain's head moved while locked")
        if len(events) == 1:
            events[0].save(using=using, force_insert=True)
        else:
            AuditEvent.objects.using(using).bulk_create(events)
    _tip_hint[using] = last


# The database chains a transaction's events with a recursive query whose cost grows with the square of their
# number, the head locked meanwhile (measured: 2,000 events 0.9 s, 8,000 events 11.7 s). A request appends a
# handful; a transaction with more (a bulk job's) chains them here in Python, linearly, as before.
IN_DATABASE_MAX = 100
_EVENT_COLUMNS = ("timestamp", "actor", "action", "model", "object_id", "object_repr", "detail", "request_id")


def _commit_events(connection, events: list[AuditEvent]) -> None:
    """PostgreSQL, at a transaction's COMMIT: lock the head, chain and insert the events, and COMMIT, in one message.

    The head row is then held only while the database runs the last three statements (no round trip to this
    process between them): on two busy cores a Python thread holding it could otherwise wait milliseconds for the
    CPU and the GIL after each statement, and every other audited request queued behind it (bench/RESULTS.md,
    "Where the server waits"). The database computes each hash as SHA-256 of the canonical text around its
    predecessor's hash (`_around_prev`), the same bytes `_digest` hashes, so `verify` checks these events as any
    other. READ COMMITTED: each statement sees what committed before it, so after the FOR UPDATE the chaining
    statement reads the head its previous holder left. A failure of any statement skips the rest, COMMIT included;
    the caller (the backend's commit) then rolls the transaction back."""
    import psycopg
    from psycopg import sql

    meta = AuditEvent._meta
    head, table = AuditHead._meta.db_table, meta.db_table
    fields = [meta.get_field(name) for name in _EVENT_COLUMNS]
    rows, params = [], []
    for n, event in enumerate(events, start=1):
        before, after = _around_prev(event)
        values = [field.get_db_prep_save(getattr(event, field.attname), connection) for field in fields]
        rows.append(sql.SQL("({}, {}::timestamptz, {}, {}, {}, {}, {}, {}::jsonb, {}, {}, {})").format(
            sql.Literal(n), *(sql.Placeholder() for _ in range(10))))
        params.extend([*values, before, after])
    columns = sql.SQL(", ").join(sql.Identifier(f.column) for f in fields)
    query = sql.SQL(
        "INSERT INTO {head} (id, last_hash, count) VALUES (1, {genesis}, 0) ON CONFLICT (id) DO NOTHING; "
        "SELECT 1 FROM {head} WHERE id = 1 FOR UPDATE; "
        "WITH RECURSIVE ev (n, {columns}, before, after) AS (VALUES {rows}), "
        "chain (n, prev, hash) AS (SELECT 0, last_hash::text, last_hash::text FROM {head} WHERE id = 1 UNION ALL "
        "SELECT ev.n, chain.hash, encode(sha256(convert_to(ev.before || chain.hash || ev.after, 'UTF8')), 'hex') "
        "FROM chain JOIN ev ON ev.n = chain.n + 1), "
        "moved AS (UPDATE {head} SET last_hash = (SELECT hash FROM chain ORDER BY n DESC LIMIT 1), "
        "count = count + {count} WHERE id = 1) "
        "INSERT INTO {table} ({columns}, prev_hash, hash) "
        "SELECT {ev_columns}, chain.prev, chain.hash FROM ev JOIN chain ON chain.n = ev.n ORDER BY ev.n "
        "RETURNING id, prev_hash, hash; "
        "COMMIT"
    ).format(head=sql.Identifier(head), table=sql.Identifier(table), genesis=sql.Literal(GENESIS_HASH),
             columns=columns, rows=sql.SQL(", ").join(rows), count=sql.Literal(len(events)),
             ev_columns=sql.SQL(", ").join(sql.SQL("ev.{}").format(sql.Identifier(f.column)) for f in fields))
    with connection.wrap_database_errors:
        # Client-side binding: the values go into the text, and a text of several statements is one message.
        with psycopg.ClientCursor(connection.connection) as cursor:
            cursor.execute(query, params)
            cursor.nextset()
            cursor.nextset()
            written = cursor.fetchall()
    if len(written) != len(events):  # cannot happen once the head row exists (the first statement makes it)
        raise RuntimeError(f"the audit chain took {len(written)} of {len(events)} events")
    by_prev = {prev: (pk, new) for pk, prev, new in written}
    prev = ({p for _pk, p, _h in written} - {h for _pk, _p, h in written}).pop()
    for event in events:
        event.pk, event.hash = by_prev[prev]
        event.prev_hash, prev = prev, event.hash
        event._state.adding, event._state.db = False, connection.alias
    _tip_hint[connection.alias] = prev


def _queue(using: str, events: list[AuditEvent]) -> None:
    """Queue the events on the connection's transaction when it commits through `peaceops.core.backends` (they are
    written just before its COMMIT, so the head is locked only for that instant), else write them now. Inside a
    test case's transaction, which never commits, they are written at once, as everywhere before queuing."""
    connection = transaction.get_connection(using)
    pending = getattr(connection, "audit_pending", None)
    if (pending is not None and connection.in_atomic_block and connection.atomic_blocks
            and not connection.atomic_blocks[0]._from_testcase):
        pending.extend(events)
    elif pending is not None and not connection.in_atomic_block and connection.vendor == "postgresql":
        with transaction.atomic(using=using):  # chained, written and committed in one step (`_commit_events`)
            connection.audit_pending.extend(events)
    else:
        write_events(using, events)


def append(
    action: str,
    model: str,
    object_id: object = "",
    object_repr: str = "",
    detail: dict | None = None,
    actor: str | None = None,
) -> AuditEvent:
    """Append one event, chained to the last, as part of the caller's transaction when there is one.

    Inside a transaction the event is queued and chained at its COMMIT (its `hash` and `pk` are set then); a
    transaction or savepoint that rolls back takes its events with it, and a failure to write them fails the COMMIT:
    a write whose audit event is missing never commits. Outside a transaction the event is written at once."""
    using = router.db_for_write(AuditEvent)
    event = AuditEvent(
        timestamp=timezone.now(),
        actor=(actor if actor is not None else current_actor())[:150],
        action=action,
        model=model,
        object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:200],
        detail=detail or {},
        request_id=current_request_id(),
    )
    _queue(using, [event])
    return event


def _user_label(user) -> str:
    return getattr(user, "username", "") or ""


# Identity records themselves; every model with a foreign key to a Person, every exchanges record (detainees,
# the missing, the dead, tracing families) and any model declaring AUDIT_REPR = False count as naming a person.
_IDENTITY_MODELS = frozenset({"core.Person", "core.PersonName", "core.PersonDocument"})


@cache
def names_a_person(model: type[models.Model]) -> bool:
    """Whether this model's records may carry a person's name: then the chain names them by id only."""
    meta = model._meta
    if getattr(model, "AUDIT_REPR", True) is False or meta.app_label == "exchanges":
        return True
    if meta.label in _IDENTITY_MODELS:
        return True
    return any(f.is_relation and f.concrete and f.related_model is not None
               and f.related_model._meta.label in _IDENTITY_MODELS for f in meta.fields)


def object_name(instance: models.Model) -> str:
    """What the chain stores as object_repr: empty for records that name a person (for every action), else the
    record's own label."""
    if names_a_person(type(instance)):
        return ""
    try:
        return str(instance)[:200]
    except Exception:  # a half-built object must never block the write it describes
        return ""


@lru_cache(maxsize=256)
def _label_names_a_person(label: str) -> bool:
    from django.apps import apps

    try:
        return names_a_person(apps.get_model(label))
    except (LookupError, ValueError):
        return False


def filtered_events(request):
    """The events a reader asked for, newest first: `actor` and `model` (part of the user name or record type,
    any case), `action` (one of AuditAction), `object_id` (exact) and `from`/`to` (reporting days). The log page
    and /api/audit-events/ read the same filters; a bad value is a 400 naming the parameter and what it takes
    (`peaceops.core.params.BadParameter`), never a list silently empty."""
    from peaceops.core.params import BadParameter, check_span, choice_param, date_param
    from peaceops.core.reporting import ReportingPeriod

    events = AuditEvent.objects.order_by("-id")
    actor, model = request.GET.get("actor", "").strip(), request.GET.get("model", "").strip()
    object_id = request.GET.get("object_id", "").strip()
    action = choice_param(request, "action", AuditAction)
    for name, value, longest in (("actor", actor, 150), ("model", model, 100), ("object_id", object_id, 64)):
        if len(value) > longest:
            raise BadParameter(name, _("%(name)s must be at most %(count)d characters long.")
                               % {"name": name, "count": longest})
        if "\x00" in value:  # PostgreSQL refuses NUL in text: without this check a 500, not a 400
            raise BadParameter(name, _("%(name)s holds a NUL character, which no record holds.") % {"name": name})
    first, last = date_param(request, "from"), date_param(request, "to")
    if first and last:
        check_span(first, last)
    if actor:
        events = events.filter(actor__icontains=actor)
    if action:
        events = events.filter(action=action)
    if model:
        events = events.filter(model__icontains=model)
    if object_id:
        events = events.filter(object_id=object_id)
    if first:
        events = events.filter(timestamp__gte=ReportingPeriod.ending_on(first).start)
    if last:
        events = events.filter(timestamp__lt=ReportingPeriod.ending_on(last).end)
    return events, {"actor": actor, "action": action, "model": model, "object_id": object_id,
                    "from": first, "to": last}


def displayed_repr(event: AuditEvent) -> str:
    """object_repr as pages and the API show it. Events written before records were named by id only still hold
    names (the chain cannot be rewritten); they are not shown."""
    return "" if event.object_id and _label_names_a_person(event.model) else event.object_repr


def record_read(user, instance: models.Model, purpose: str = "view") -> AuditEvent:
    """Record that `user` read a sensitive record (named by id only when it names a person)."""
    return append(
        AuditAction.READ,
        instance._meta.label,
        instance.pk,
        object_name(instance) if purpose != "list" else "",
        {"purpose": purpose},
        actor=_user_label(user),
    )


def record_list_read(user, model: type[models.Model], ids: Iterable[object], purpose: str = "list") -> AuditEvent:
    """Record that `user` saw a list of sensitive records (the ids shown, not their contents)."""
    shown = [str(i) for i in ids]
    return append(
        AuditAction.READ, model._meta.label, "", "", {"purpose": purpose, "ids": shown[:500], "count": len(shown)},
        actor=_user_label(user),
    )


def record_bulk(model: type[models.Model], count: int, note: str = "", actor: str | None = None) -> AuditEvent:
    """Bulk loads (scenario, imports) write one event per batch instead of one per row."""
    return append(AuditAction.BULK, model._meta.label, "", note[:200], {"count": count}, actor=actor)


# While a bulk writer (an import chunk) collects, per-row saves are listed here instead of each appending a chained
# event; the writer then records one bulk event per model naming every id (`flush_collected`).
_collected: contextvars.ContextVar[list[tuple[str, str, str]] | None] = contextvars.ContextVar(
    "peaceops_audit_collected", default=None)


@contextmanager
def collecting() -> Iterator[list[tuple[str, str, str]]]:
    """Collect (action, model label, id) of the saves inside the block; the caller must `flush_collected`."""
    entries: list[tuple[str, str, str]] = []
    token = _collected.set(entries)
    try:
        yield entries
    finally:
        _collected.reset(token)


@contextmanager
def dropping_rolled_back() -> Iterator[None]:
    """Around a savepoint inside `collecting()`: saves it rolls back leave the collection, so the bulk event
    never names a record that does not exist."""
    entries = _collected.get()
    mark = len(entries) if entries is not None else 0
    try:
        yield
    except BaseException:
        if entries is not None:
            del entries[mark:]
        raise


def collect(action: str, model: str, object_id: object) -> bool:
    """Called by the save/delete signals: True when a bulk writer took the event."""
    entries = _collected.get()
    if entries is None:
        return False
    entries.append((action, model, str(object_id)))
    return True


def collect_many(action: str, model: str, object_ids: Iterable[object]) -> bool:
    """A bulk writer's records (no save signals) into the collection, as `collect` does for saves: True when a
    collection is open and took them; False when the caller must append its own event."""
    entries = _collected.get()
    if entries is None:
        return False
    entries.extend((action, model, str(object_id)) for object_id in object_ids)
    return True


def append_many(items: Iterable[tuple[str, str, object, str, dict | None]], actor: str | None = None
                ) -> list[AuditEvent]:
    """Append events (action, model, object id, repr, detail), chained in order, with one move of the head and
    one bulk INSERT: what many `append` calls would write, for a bulk writer's per-record decisions. Part of the
    caller's transaction, queued to its COMMIT as with `append`."""
    using = router.db_for_write(AuditEvent)
    now, request_id = timezone.now(), current_request_id()
    actor = (actor if actor is not None else current_actor())[:150]
    events = [AuditEvent(timestamp=now, actor=actor, action=action, model=model, object_id=str(object_id)[:64],
                         object_repr=str(object_repr)[:200], detail=detail or {}, request_id=request_id)
              for action, model, object_id, object_repr, detail in items]
    _queue(using, events)
    return events


def flush_collected(entries: list[tuple[str, str, str]], note: str = "", actor: str | None = None) -> int:
    """One bulk event per model for the collected saves, with the ids created, updated and deleted."""
    by_model: dict[str, dict[str, list[str]]] = {}
    for action, model, object_id in entries:
        by_model.setdefault(model, {}).setdefault(action, []).append(object_id)
    for model, actions in sorted(by_model.items()):
        detail = {"count": sum(len(ids) for ids in actions.values()), **actions}
        append(AuditAction.BULK, model, "", note[:200], detail, actor=actor)
    return len(by_model)


@dataclass(frozen=True)
class ChainReport:
    count: int
    intact: bool
    first_broken_id: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.intact:
            return f"{self.count} events, chain intact"
        return f"chain broken at event #{self.first_broken_id}: {self.reason} ({self.count} events read)"


def verify(batch_size: int = 5000) -> ChainReport:
    """Recompute every link; name the first event whose stored or recomputed hash does not fit."""
    prev_hash = GENESIS_HASH
    count = 0
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            break
        for event in batch:
            count += 1
            if event.prev_hash != prev_hash:
                return ChainReport(count, False, event.pk, "it does not point at its predecessor (a row was removed "
                                                          "or reordered)")
            if _digest(prev_hash, event) != event.hash:
                return ChainReport(count, False, event.pk, "its contents do not match its hash (the row was altered)")
            prev_hash = event.hash
            last_id = event.pk
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev_hash or head.count != count):
        return ChainReport(count, False, last_id + 1 if head.count > count else last_id,
                           f"the chain head expects {head.count} events ending in {head.last_hash[:12]}…; "
                           "events were removed from the end")
    return ChainReport(count, True)
