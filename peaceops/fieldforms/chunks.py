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


def receive_many(items: list[tuple[str, Instance | None, str]], form: FieldForm, *, user, channel: str,
                 note: str = "", lookups: dict | None = None) -> list[Outcome] | None:
    """A chunk of an export's instances, each (xml as received, the instance it reads as, hold), by the rules
    of `receive`, with the form's records written in bulk (`form.bulk`): the same answer for each as `receive`
    would give one after another (the status, the message; `Outcome.submission` only for an earlier
    submission delivered again), the same submissions, versions and deliveries, the same decisions (what
    `receive` logs one event each: outcome, instance id, record or reason) in one chained DECISION event for
    the chunk naming each submission in the chunk's order, and the records' ids in one bulk audit event per
    model (the caller collects). `lookups`: the form's cache of look-ups for the whole import (settlements);
    what is read once a chunk (today's date) goes under `CHUNK` and is renewed here.
    The instance is what `parse` reads from the xml (an export's reader builds both from one row: see
    `exports.to_instance`), so its content digest is the one `receive` computes. None, with nothing written,
    when the chunk needs the one-at-a-time door: an instance that cannot be read (None), an edit
    (deprecatedID), another form, a user the form refuses, or a database refusing the bulk write (a
    simultaneous delivery); the caller then sends each xml through `receive`."""
    if form.bulk is None or not may_submit(user, form) or (not form.collect and channel in (Channel.OPENROSA,
                                                                                             Channel.BROWSER)):
        return None
    parsed = []
    for text, instance, hold in items:
        if instance is None or instance.deprecated_id or instance.form_id != form.form_id:
            return None
        parsed.append((text, instance, content_digest(instance), hold))
    cache = {} if lookups is None else lookups
    cache[CHUNK] = {}
    try:
        with audit.dropping_rolled_back(), transaction.atomic():
            return _receive_many(parsed, form, user, str(getattr(channel, "value", channel)), note, cache)
    except DatabaseError:
        return None


def _receive_many(parsed, form: FieldForm, user, channel: str, note: str, cache: dict) -> list[Outcome]:
    by = user if getattr(user, "pk", None) else None
    now = timezone.now()
    bulk = form.bulk
    assert bulk is not None, "receive_many takes only a form with a bulk writer"
    same: dict[tuple[str, str], FieldSubmission | NewSubmission] = {}
    seen: set[str] = set()
    for stored in FieldSubmission.objects.filter(instance_id__in={i.instance_id for _t, i, _s, _h in parsed}
                                                 ).defer("received_xml", "xml"):
        same.setdefault((stored.instance_id, stored.sha256), stored)
        seen.add(stored.instance_id)
    new: list[NewSubmission] = []
    deliveries: list[FieldSubmission | NewSubmission] = []  # the submission each delivery is of
    answers: list[tuple[FieldSubmission | NewSubmission, bool]] = []
    decisions: list[tuple[NewSubmission, str, dict[str, Any]] | None] = []
    prepared_rows = []
    for text, instance, sha256, hold in parsed:
        earlier = same.get((instance.instance_id, sha256))
        if earlier is not None:
            deliveries.append(earlier)
            answers.append((earlier, True))
            continue
        conflict = instance.instance_id in seen
        submission = NewSubmission(instance.instance_id, instance.version, text, sha256,
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
        reasons = ([hold] if hold else []) + _blockers(submission, instance, form)  # type: ignore[arg-type]
        if reasons:
            submission.reason = " ".join(reasons)
            decisions.append((submission, "review", {"instance_id": instance.instance_id,
                                                     "reason": submission.reason[:500]}))
            continue
        received = Received(user=by or user, instance_id=instance.instance_id, attachments={}, received_at=now)
        try:
            prepared = bulk.prepare(instance.values, received, cache)
        except (ValidationError, FieldValueError) as exc:
            submission.reason = _reason(exc)
            decisions.append((submission, "review", {"instance_id": instance.instance_id,
                                                     "reason": submission.reason[:500]}))
            continue
        except Exception as exc:  # a fault of ours must not lose what was sent: kept, said, logged (as `_apply`)
            logger.exception("field submission %s could not be applied", instance.instance_id)
            submission.reason = _("PeaceOps could not apply this submission (%(error)s); it is kept as received.") \
                % {"error": type(exc).__name__}
            continue
        prepared_rows.append((submission, instance, prepared, len(decisions)))
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
