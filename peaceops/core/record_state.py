"""Records against the audit chain: bulk changes written with their versions and one chained event, and the check
that live records still match their last audited write (`peaceops audit verify --records`; the fingerprint is
`peaceops.core.fingerprint.digest`): a row changed directly in SQL no longer hashes to what the chain recorded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models

from peaceops.core.fingerprint import digest
from peaceops.core.models.audit import AuditAction, AuditEvent


def record_bulk_update(model: type[models.Model], ids, note: str = "", actor: str | None = None) -> int:
    """After a queryset update (no signals): one chained event with each updated record's new digest, so the
    write is in the audit chain and `verify --records` knows the values are the application's."""
    from peaceops.core import audit

    ids = list(ids)
    states: dict[str, str] = {}
    for start in range(0, len(ids), 2000):
        for instance in model._base_manager.filter(pk__in=ids[start:start + 2000]):
            states[str(instance.pk)] = digest(instance)
    if states:
        audit.append(AuditAction.BULK, model._meta.label, "", note[:200], {"count": len(states), "states": states},
                     actor=actor)
    return len(states)


def update_with_history(queryset: models.QuerySet, values: dict, note: str, actor: str | None = None) -> list:
    """The one way to change a field on many records at once: each record is locked, gets a new version in its
    history (and its revision and `updated_at` move, as a save would), and one chained event carries every
    record's new digest. Returns the ids changed. A plain `queryset.update()` would skip the history and leave
    the chain holding the old values."""
    from django.utils import timezone
    from simple_history.utils import bulk_update_with_history

    model = queryset.model
    records = list(queryset.select_for_update().order_by("pk"))
    if not records:
        return []
    names = {f.name for f in model._meta.concrete_fields}
    bump_revision = "revision" in names and "revision" not in values
    touch = "updated_at" in names and "updated_at" not in values
    fields = [*values, *(["revision"] if bump_revision else []), *(["updated_at"] if touch else [])]
    now = timezone.now()
    for record in records:
        for name, value in values.items():
            setattr(record, name, value)
        if bump_revision:
            record.revision = (record.revision or 0) + 1
        if touch:
            record.updated_at = now
    if hasattr(model, "history"):
        bulk_update_with_history(records, model, fields, batch_size=2000, default_change_reason=note[:100],
                                 manager=model._base_manager)
    else:
        model._base_manager.bulk_update(records, fields, batch_size=2000)
    ids = [record.pk for record in records]
    record_bulk_update(model, ids, note, actor=actor)
    return ids


# ----------------------------------------------------------------------------------- the records check

_DELETED = "deleted"


@dataclass(frozen=True)
class ChangedRecord:
    model: str
    object_id: str
    reason: str

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}: {self.reason}"


@dataclass
class RecordReport:
    checked: int = 0
    without_digest: int = 0  # written by bulk loads that record counts, not each row's values
    changed: list[ChangedRecord] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.changed

    def __str__(self) -> str:
        head = (f"{self.checked} records match their last audited write"
                if self.intact else f"{len(self.changed)} record(s) changed outside the application")
        tail = f"; {self.without_digest} written by bulk loads carry no per-record digest" if self.without_digest \
            else ""
        return head + tail


def _last_writes() -> dict[tuple[str, str], tuple[int, str]]:
    """(model label, id) → (event id, state digest or _DELETED) of the newest audited write of each record."""
    last: dict[tuple[str, str], tuple[int, str]] = {}
    events = (AuditEvent.objects.filter(action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE,
                                                    AuditAction.BULK])
              .order_by("id").values_list("id", "action", "model", "object_id", "detail"))
    for event_id, action, model, object_id, detail in events.iterator(chunk_size=5000):
        if action == AuditAction.DELETE:
            last[(model, object_id)] = (event_id, _DELETED)
        elif action == AuditAction.BULK:
            for record_id, state in ((detail or {}).get("states") or {}).items():
                last[(model, record_id)] = (event_id, state)
        elif isinstance(detail, dict) and detail.get("state"):
            last[(model, object_id)] = (event_id, detail["state"])
    return last


def audited_models() -> Iterator[type[models.Model]]:
    from peaceops.core.signals import _audited

    for model in apps.get_models():
        if not model._meta.proxy and _audited(model):
            yield model


def changed_records() -> RecordReport:
    """Every live record whose values differ from its last audited write, and every record the application
    wrote that is gone or back although the chain says otherwise."""
    last = _last_writes()
    report = RecordReport()
    seen: set[tuple[str, str]] = set()
    for model in audited_models():
        label = model._meta.label
        for instance in model._base_manager.order_by("pk").iterator(chunk_size=2000):
            key = (label, str(instance.pk))
            seen.add(key)
            written = last.get(key)
            if written is None:
                report.without_digest += 1
                continue
            report.checked += 1
            event_id, state = written
            if state == _DELETED:
                report.changed.append(ChangedRecord(label, key[1], f"deleted by the application (event #{event_id}) "
                                                                   "but present in the database"))
            elif digest(instance) != state:
                report.changed.append(ChangedRecord(label, key[1], "its stored values differ from its last audited "
                                                                   f"write (event #{event_id})"))
    for (label, object_id), (event_id, state) in last.items():
        if state != _DELETED and (label, object_id) not in seen and _model_exists(label):
            report.changed.append(ChangedRecord(label, object_id, f"written by the application (event #{event_id}) "
                                                                  "but missing from the database"))
    report.changed.sort(key=lambda c: (c.model, c.object_id.zfill(20)))
    return report


def _model_exists(label: str) -> bool:
    try:
        apps.get_model(label)
    except (LookupError, ValueError):
        return False
    return True
