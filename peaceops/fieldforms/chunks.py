"""An export's chunk of instances received in bulk, by the rules of `services.receive` (issue 14).

The submissions and deliveries are written as plain rows with prepared INSERTs (`core.bulkrows.insert`, its
versions with `insert_history`): no model instance per row, each column prepared as the ORM would. What a row
costs beyond its record is kept to reading it: the answers that do not depend on the row are translated once a
chunk, and the form's look-ups (`lookups`) live for the whole import, not a chunk.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit, bulkrows
from peaceops.core.models.audit import AuditAction
from peaceops.fieldforms.catalogue import CHUNK, FieldForm, Received
from peaceops.fieldforms.instances import FieldValueError, Instance
from peaceops.fieldforms.models import Channel, Delivery, FieldSubmission, State
from peaceops.fieldforms.services import (
    MODEL,
    Outcome,
    _answer,
    _blockers,
    _reason,
    content_digest,
    may_submit,
)

logger = logging.getLogger("peaceops.fieldforms.services")  # the log `receive` writes a fault of ours to

# The columns a new submission from an export sets; every other one as `FieldSubmission()` leaves it.
SUBMISSION_COLUMNS = ("instance_id", "form_id", "form_version", "received_xml", "sha256", "state", "reason",
                      "record_model", "record_id", "submitted_by_id", "received_at")
DELIVERY_COLUMNS = ("submission_id", "channel", "by_id")


@dataclass(slots=True)
class NewSubmission:
    """A submission of the chunk before it is written: what `_answer` and the decisions read of it."""

    instance_id: str
    form_version: str
    text: str
    sha256: str
    state: str
    reason: str = ""
    record_id: str = ""
    pk: int | None = None

    @property
    def refused_files(self) -> dict:
        return {}  # an export's row brings no attachment (`_blockers` asks)


@dataclass(slots=True)
class CheckedRow:
    """A row of the chunk as checked before the transaction: the reasons to hold it (the export's and
    `_blockers`'), else what the form's bulk writer will write (`prepared`), or why the form refuses it
    (`refusal`), or the fault of ours that stopped its check (`fault`, logged if the row is applied)."""

    text: str
    instance: Instance
    sha256: str
    reasons: list[str]
    prepared: Any = None
    refusal: str = ""
    fault: Exception | None = None


@dataclass(slots=True)
class CheckedChunk:
    """What `check_many` worked out, for `write_many` to decide and write inside the transaction."""

    rows: list[CheckedRow]
    form: FieldForm
    user: Any
    channel: str
    now: Any
    cache: dict


_NO_FILES = NewSubmission("", "", "", "", "")  # what `_blockers` reads of a submission from an export: no files


def receive_many(items: list[tuple[str, Instance | None, str]], form: FieldForm, *, user, channel: str,
                 note: str = "", lookups: dict | None = None) -> list[Outcome] | None:
    """A chunk of an export's instances, each (xml as received, the instance it reads as, hold), by the rules
    of `receive`: `check_many` then `write_many` (which see). None, with nothing written, when the chunk needs
    the one-at-a-time door."""
    checked = check_many(items, form, user=user, channel=channel, lookups=lookups)
    return None if checked is None else write_many(checked, note=note)


def check_many(items: list[tuple[str, Instance | None, str]], form: FieldForm, *, user, channel: str,
               lookups: dict | None = None) -> CheckedChunk | None:
    """Everything about a chunk that needs no write and no look-up of what is stored: each instance's content
    digest, its reasons to be held (`_blockers`), and its records checked by the form's rules
    (`form.bulk.prepare`). The caller runs this **before** opening the chunk's transaction, so SQLite's write
    lock (taken at BEGIN IMMEDIATE) is held for the look-ups and writes only, not for the checking, which is
    most of a chunk's Python time (web users wait on that lock). A row that turns out to be delivered again
    or a conflict is checked for nothing; its answer does not depend on it. `lookups`: the form's cache of
    look-ups for the whole import (settlements); what is read once a chunk (today's date) goes under `CHUNK`
    and is renewed here. None when the chunk needs the one-at-a-time door: an instance that cannot be read
    (None), an edit (deprecatedID), another form, a user the form refuses."""
    if form.bulk is None or not may_submit(user, form) or (not form.collect and channel in (Channel.OPENROSA,
                                                                                             Channel.BROWSER)):
        return None
    for _text, instance, _hold in items:
        if instance is None or instance.deprecated_id or instance.form_id != form.form_id:
            return None
    cache = {} if lookups is None else lookups
    cache[CHUNK] = {}
    by = user if getattr(user, "pk", None) else None
    now = timezone.now()
    bulk = form.bulk
    rows = []
    for text, instance, hold in items:
        assert instance is not None  # checked above
        row = CheckedRow(text, instance, content_digest(instance),
                         ([hold] if hold else []) + _blockers(_NO_FILES, instance, form))  # type: ignore[arg-type]
        rows.append(row)
        if row.reasons:
            continue
        received = Received(user=by or user, instance_id=instance.instance_id, attachments={}, received_at=now)
        try:
            row.prepared = bulk.prepare(instance.values, received, cache)
        except (ValidationError, FieldValueError) as exc:
            row.refusal = _reason(exc)
        except Exception as exc:  # a fault of ours must not lose what was sent: kept, said, logged (as `_apply`)
            row.fault = exc
    return CheckedChunk(rows, form, user, str(getattr(channel, "value", channel)), now, cache)


def write_many(checked: CheckedChunk, *, note: str = "") -> list[Outcome] | None:
    """The checked chunk decided and written, by the rules of `receive`: the same answer for each as `receive`
    would give one after another (the status, the message; `Outcome.submission` only for an earlier
    submission delivered again), the same submissions, versions and deliveries, the same decisions (what
    `receive` logs one event each: outcome, instance id, record or reason) in one chained DECISION event for
    the chunk naming each submission in the chunk's order, and the records' ids in one bulk audit event per
    model (the caller collects). Run inside the chunk's transaction. None, with nothing written, when the
    database refuses the bulk write (a simultaneous delivery); the caller then sends each xml through
    `receive`."""
    try:
        with audit.dropping_rolled_back(), transaction.atomic():
            return _receive_many(checked, note)
    except DatabaseError:
        return None


def _receive_many(checked: CheckedChunk, note: str) -> list[Outcome]:
    form, user, channel, now, rows = checked.form, checked.user, checked.channel, checked.now, checked.rows
    by = user if getattr(user, "pk", None) else None
    bulk = form.bulk
    assert bulk is not None, "receive_many takes only a form with a bulk writer"
    same: dict[tuple[str, str], FieldSubmission | NewSubmission] = {}
    seen: set[str] = set()
    for stored in FieldSubmission.objects.filter(instance_id__in={row.instance.instance_id for row in rows}
                                                 ).defer("received_xml", "xml"):
        same.setdefault((stored.instance_id, stored.sha256), stored)
        seen.add(stored.instance_id)
    new: list[NewSubmission] = []
    deliveries: list[FieldSubmission | NewSubmission] = []  # the submission each delivery is of
    answers: list[tuple[FieldSubmission | NewSubmission, bool]] = []
    decisions: list[tuple[NewSubmission, str, dict[str, Any]] | None] = []
    prepared_rows = []
    for row in rows:
        instance, sha256 = row.instance, row.sha256
        earlier = same.get((instance.instance_id, sha256))
        if earlier is not None:
            deliveries.append(earlier)
            answers.append((earlier, True))
            continue
        conflict = instance.instance_id in seen
        submission = NewSubmission(instance.instance_id, instance.version, row.text, sha256,
                                   State.CONFLICT.value if conflict else State.REVIEW.value)
        same[(instance.instance_id, sha256)] = submission
        seen.add(instance.instance_id)
        new.append(submission)
        deliveries.append(submission)
        answers.append((submission, False))
        if conflict:
            submission.reason = _("Instance id %(id)s was received before with other content and no deprecatedID.") \
                % {"id": instance.instance_id}
            decisions.append((submission, "conflict", {"instance_id": instance.instance_id, "channel": channel}))
            continue
        if row.reasons or row.refusal:
            submission.reason = " ".join(row.reasons) or row.refusal
            decisions.append((submission, "review", {"instance_id": instance.instance_id,
                                                     "reason": submission.reason[:500]}))
            continue
        if row.fault is not None:
            logger.error("field submission %s could not be applied", instance.instance_id, exc_info=row.fault)
            submission.reason = _("PeaceOps could not apply this submission (%(error)s); it is kept as received.") \
                % {"error": type(row.fault).__name__}
            continue
        prepared_rows.append((submission, instance, row.prepared, len(decisions)))
        decisions.append(None)  # its place in the chain's order; filled once the record exists

    # A key the database holds once (a household's reference): held already, or by an earlier row of the chunk.
    keys = {bulk.unique(p) for _s, _i, p, _n in prepared_rows} - {""}
    taken = bulk.taken(keys) if keys else set()
    pending = []
    for submission, instance, prepared, slot in prepared_rows:
        key = bulk.unique(prepared)
        if key and key in taken:
            assert bulk.taken_error is not None, "a form whose keys can be held already says why it refuses one"
            submission.reason = _reason(bulk.taken_error(key))
            decisions[slot] = (submission, "review", {"instance_id": instance.instance_id,
                                                      "reason": submission.reason[:500]})
            continue
        if key:
            taken.add(key)
        pending.append((submission, instance, prepared, slot))

    records = bulk.write([p for _s, _i, p, _n in pending], user, note) if pending else []
    for (submission, instance, _prepared, slot), record in zip(pending, records, strict=True):
        submission.state, submission.reason = State.ACCEPTED.value, ""
        submission.record_id = str(record.pk)
        decisions[slot] = (submission, "accepted", {"instance_id": instance.instance_id,
                                                    "deprecated_id": instance.deprecated_id,
                                                    "record": f"{form.record_model}:{record.pk}"})
    _write(new, deliveries, form, by, channel, note, now)
    made = [(submission, outcome, detail) for submission, outcome, detail in filter(None, decisions)]
    if made:  # one chained event for the chunk's decisions, naming each submission (as bulk writes name ids)
        audit.append(AuditAction.DECISION, MODEL, "", note[:200], {
            "outcome": "bulk", "channel": channel, "count": len(made),
            "decisions": [{"submission": submission.pk, "outcome": outcome, **detail}
                          for submission, outcome, detail in made]})
    return _answers(answers)


def _write(new: list[NewSubmission], deliveries: list, form: FieldForm, by, channel: str, note: str,
           now) -> None:
    """The chunk's new submissions (with a version each) and its deliveries, as plain rows; their ids named in
    one bulk audit event per model, as the records' are."""
    by_id = getattr(by, "pk", None)
    rows = [(s.instance_id, form.form_id, s.form_version, s.text, s.sha256, s.state, s.reason,
             form.record_model if s.state == State.ACCEPTED.value else "", s.record_id, by_id, now) for s in new]
    ids, values = bulkrows.insert(FieldSubmission, SUBMISSION_COLUMNS, rows, now)
    for submission, pk in zip(new, ids, strict=True):
        submission.pk = pk
    bulkrows.insert_history(FieldSubmission, ids, values, now, user=by, reason=note or None)
    delivered, _values = bulkrows.insert(Delivery, DELIVERY_COLUMNS,
                                         [(s.pk, channel, by_id) for s in deliveries], now)
    for model, pks in ((FieldSubmission, ids), (Delivery, delivered)):
        if pks and not audit.collect_many(AuditAction.CREATE.value, model._meta.label, pks):
            audit.append(AuditAction.BULK, model._meta.label, "", note[:200],
                         {"count": len(pks), AuditAction.CREATE.value: [str(pk) for pk in pks]})


def _answers(answers: list[tuple[FieldSubmission | NewSubmission, bool]]) -> list[Outcome]:
    """`_answer` of each; a new submission's `Outcome.submission` is None (it is no model instance), and the
    answer of an accepted one, the same for each, is translated once."""
    accepted: dict[bool, Outcome] = {}
    out = []
    for submission, again in answers:
        if isinstance(submission, FieldSubmission):
            out.append(_answer(submission, again))
            continue
        if submission.state == State.ACCEPTED.value:
            if again not in accepted:
                accepted[again] = _answer(submission, again)  # type: ignore[arg-type]  # reads the state only
            answer = accepted[again]
        else:
            answer = _answer(submission, again)  # type: ignore[arg-type]  # reads state, instance id, reason
        out.append(Outcome(answer.status, answer.message, None, answer.again))
    return out
