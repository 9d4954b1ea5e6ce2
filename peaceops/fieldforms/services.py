"""Receiving field submissions from every channel, once each: the rules of idempotency, review and edits.

`receive` is the one door (OpenRosa today; the Kobo/Central importers and offline browser entry use it too):

- the same instance id with the same content is a delivery, never a second record (answered as a success);
- the same instance id with other content and no deprecatedID is a conflict (409), both kept for review;
- an instance with deprecatedID edits the record its earlier instance made, keeping the record's history;
- anything that cannot become a record (an unknown form, an old version whose fields do not map, a broken rule,
  a refused attachment, even malformed XML) is kept as received in the review queue with the reason;
- a user whose role may not submit the form is refused (403) and only the audit event is kept.

Status codes follow OpenRosa as ODK Collect reads them: 201 made a record, 202 kept for review (Collect counts
both as sent, so the phone does not retry something that is safe here), 400 unreadable, 403, 409 conflict.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction
from peaceops.core.roles import can
from peaceops.fieldforms.catalogue import FieldForm, Received, forms
from peaceops.fieldforms.instances import FieldValueError, Instance, InstanceError, leaf_paths, parse
from peaceops.fieldforms.models import Channel, Delivery, FieldSubmission, State

MODEL = "fieldforms.FieldSubmission"
logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    status: int
    message: str
    submission: FieldSubmission | None = None
    again: bool = False  # an earlier delivery of the same content: nothing new stored


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                         for field, messages in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _log(submission: FieldSubmission | None, outcome: str, detail: dict) -> None:
    audit.append(AuditAction.DECISION, MODEL, submission.pk if submission else "", "",
                 {"outcome": outcome, **detail})


def _store_files(submission: FieldSubmission, files, user) -> None:
    """Keep each attachment that passes the upload checks; name each refused one with why (the instance stays)."""
    from peaceops.core.attachments import AttachmentTooLarge, store

    limit = settings.PEACEOPS_OPENROSA_ATTACHMENT_MAX_BYTES
    refused = dict(submission.refused_files)
    for upload in files:
        name = upload.name
        if upload.size > limit:
            refused[name] = _("%(name)s is %(size)s; attachments may be at most %(limit)s.") % {
                "name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            continue
        try:
            attachment = store(upload, name, user, content_type=getattr(upload, "content_type", "") or "")
        except (ValidationError, AttachmentTooLarge) as exc:
            refused[name] = _reason(exc)
            continue
        refused.pop(name, None)
        submission.attachments.add(attachment)
    if refused != submission.refused_files:
        submission.refused_files = refused
        submission.save(update_fields=["refused_files", "updated_at"])


def _attachments_by_name(submission: FieldSubmission) -> dict:
    return {a.filename: a for a in submission.attachments.all()}


def _blockers(submission: FieldSubmission, instance: Instance, form: FieldForm | None) -> list[str]:
    """Why this submission cannot be applied as it is, before any rule of its module is asked."""
    reasons = []
    if form is None:
        reasons.append(_("“%(form)s” is not a form PeaceOps ships (known: %(known)s).")
                       % {"form": instance.form_id, "known": ", ".join(sorted(forms()))})
        return reasons
    current = form.built().version
    if instance.version and instance.version != current:
        unmapped = sorted(path for path in leaf_paths(instance.data) - form.field_paths())
        if unmapped:
            reasons.append(_("Filled in an older version (%(old)s) of %(form)s; its fields %(fields)s are not in "
                             "the current version (%(new)s). Map them by hand and accept, or reject.")
                           % {"old": instance.version, "form": form.form_id, "fields": ", ".join(unmapped),
                              "new": current})
    if submission.refused_files:
        reasons.append(_("Attachments refused: %(files)s") % {"files": " ".join(submission.refused_files.values())})
    return reasons


def _record(model_label: str, pk: str):
    return apps.get_model(model_label).objects.filter(pk=pk).first()


def _make(form: FieldForm, target, instance: Instance, received: Received):
    """The record, made or edited through the module's services, all of it or nothing (its own savepoint)."""
    with audit.dropping_rolled_back(), transaction.atomic():
        if target is not None:
            if form.update is None:
                raise ValidationError(_("Edits of this form are applied by hand."))
            record = form.update(target, instance.values, received)
        else:
            record = form.save(instance.values, received)
    return record


def _apply(submission: FieldSubmission, instance: Instance, form: FieldForm, user, files: bool = True) -> None:
    """Make (or, for an edit, update) the record through the module's services; a broken rule leaves the
    submission in review with the reason. Saves the submission either way. `files=False`: it was received just
    now with no attachment (an export's row), so there are none to look up."""
    received = Received(user=submission.submitted_by or user, instance_id=instance.instance_id,
                        attachments=_attachments_by_name(submission) if files else {},
                        received_at=submission.received_at)
    target = None
    if instance.deprecated_id:
        earlier = (FieldSubmission.objects.filter(instance_id=instance.deprecated_id)
                   .exclude(pk=submission.pk).order_by("-state").first())
        accepted = FieldSubmission.objects.filter(instance_id=instance.deprecated_id, state=State.ACCEPTED) \
            .exclude(record_id="").first()
        if accepted is not None:
            target = _record(accepted.record_model, accepted.record_id)
        elif earlier is not None:
            submission.state, submission.reason = State.REVIEW, _(
                "Edits instance %(id)s, which is not accepted yet; decide that one first.") % {"id": earlier.instance_id}
            submission.save()
            return
    elif submission.state == State.CONFLICT:
        sibling = FieldSubmission.objects.filter(instance_id=instance.instance_id, state=State.ACCEPTED) \
            .exclude(pk=submission.pk).exclude(record_id="").first()
        if sibling is not None:
            target = _record(sibling.record_model, sibling.record_id)
    try:
        record = _make(form, target, instance, received)
    except (ValidationError, FieldValueError) as exc:
        submission.state, submission.reason = State.REVIEW, _reason(exc)
        submission.save()
        _log(submission, "review", {"instance_id": instance.instance_id, "reason": submission.reason[:500]})
        return
    except IntegrityError:
        submission.state, submission.reason = State.REVIEW, _(
            "Another record already holds instance id %(id)s.") % {"id": instance.instance_id}
        submission.save()
        return
    except Exception as exc:  # a fault of ours must not lose what the phone sent: keep it, say so, log it
        logger.exception("field submission %s could not be applied", instance.instance_id)
        submission.state, submission.reason = State.REVIEW, _(
            "PeaceOps could not apply this submission (%(error)s); it is kept as received.") % {
            "error": type(exc).__name__}
        submission.save()
        return
    submission.state, submission.reason = State.ACCEPTED, ""
    submission.record_model, submission.record_id = form.record_model, str(record.pk)
    submission.save()
    _log(submission, "accepted", {"instance_id": instance.instance_id, "deprecated_id": instance.deprecated_id,
                                  "record": f"{form.record_model}:{record.pk}"})


def _answer(submission: FieldSubmission, again: bool = False) -> Outcome:
    if submission.state == State.ACCEPTED:
        text = _("Already received; nothing new was stored.") if again else _("Received; thank you.")
        return Outcome(201, text, submission, again)
    if submission.state == State.CONFLICT:
        return Outcome(409, _("Instance %(id)s was already received with other content; both are kept for review. "
                              "To change a sent form, edit it (it gets a deprecatedID).")
                       % {"id": submission.instance_id}, submission, again)
    if submission.state == State.REJECTED:
        return Outcome(202, _("Received earlier and rejected by a reviewer: %(reason)s")
                       % {"reason": submission.reason}, submission, again)
    return Outcome(202, _("Received and kept for review: %(reason)s") % {"reason": submission.reason}, submission,
                   again)


def _deliver(submission: FieldSubmission, channel: str, user) -> None:
    Delivery.objects.create(submission=submission, channel=channel, by=user if getattr(user, "pk", None) else None)


def may_submit(user, form: FieldForm) -> bool:
    return can(user, form.capability)


_EMPTY: tuple[str, dict, list] = ("", {}, [])  # what a pruned value that says nothing is


def _pruned(node):
    """The values without empty leaves: Collect writes every field, an export only the filled ones. (A leaf, the
    most of them, is asked first; a dict is filled in one pass.)"""
    if isinstance(node, str):
        return node.strip()
    if isinstance(node, dict):
        kept = {}
        for key, value in node.items():
            value = _pruned(value)
            if value not in _EMPTY:
                kept[key] = value
        return kept
    if isinstance(node, list):
        return [item for item in map(_pruned, node) if item not in _EMPTY]
    return node


def content_digest(instance: Instance) -> str:
    """What the instance says, whatever the channel wrote around it (element order, empty fields, namespaces,
    the form version): the same filling delivered over OpenRosa and in a Kobo export has the same digest."""
    canonical = json.dumps([instance.form_id, instance.deprecated_id, _pruned(instance.data)], sort_keys=True,
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def receive(xml: bytes, files=(), *, user, channel: str = Channel.OPENROSA, hold: str = "") -> Outcome:
    """`hold`: a reason to keep the submission for review whatever it says (a row cut short in an export)."""
    sha256 = hashlib.sha256(xml).hexdigest()
    text = xml.decode("utf-8", errors="replace")
    now = timezone.now()
    try:
        instance = parse(xml)
    except InstanceError as exc:
        # Unreadable, yet never lost: kept under its digest so a reviewer can repair the XML and accept it.
        with transaction.atomic():
            submission, created = FieldSubmission.objects.get_or_create(
                instance_id=f"unreadable:{sha256[:40]}", sha256=sha256,
                defaults={"received_xml": text, "state": State.REVIEW, "reason": str(exc),
                          "submitted_by": user if getattr(user, "pk", None) else None, "received_at": now})
            _deliver(submission, channel, user)
            _store_files(submission, files, user)
        _log(submission, "unreadable", {"channel": channel})
        return Outcome(400, _("%(reason)s It is kept for review; correct the form on the phone or ask a reviewer.")
                       % {"reason": exc}, submission)

    sha256 = content_digest(instance)
    form = forms().get(instance.form_id)
    allowed = may_submit(user, form) if form else can(user, "fieldforms.download")
    if not allowed:
        _log(None, "refused", {"instance_id": instance.instance_id, "form": instance.form_id, "channel": channel,
                               "user": getattr(user, "username", "")})
        return Outcome(403, _("Your role may not submit the form “%(form)s”.") % {"form": instance.form_id})
    if form is not None and not form.collect and channel in (Channel.OPENROSA, Channel.BROWSER):
        _log(None, "refused", {"instance_id": instance.instance_id, "form": instance.form_id, "channel": channel,
                               "user": getattr(user, "username", "")})
        return Outcome(403, _("The form “%(form)s” is taken in from KoboToolbox or ODK Central exports only "
                              "(peaceops forms import), not from a phone.") % {"form": instance.form_id})

    with transaction.atomic():
        same = FieldSubmission.objects.select_for_update().filter(instance_id=instance.instance_id, sha256=sha256) \
            .first()
        if same is not None:
            _deliver(same, channel, user)
            _store_files(same, files, user)  # Collect sends a large instance's files over several requests
            return _answer(same, again=True)
        conflict = FieldSubmission.objects.filter(instance_id=instance.instance_id).exists()
        try:
            with transaction.atomic():
                submission = FieldSubmission.objects.create(
                    instance_id=instance.instance_id, deprecated_id=instance.deprecated_id, form_id=instance.form_id,
                    form_version=instance.version, received_xml=text, sha256=sha256,
                    state=State.CONFLICT if conflict else State.REVIEW,
                    submitted_by=user if getattr(user, "pk", None) else None, received_at=now)
        except IntegrityError:  # the same content arrived at the same moment over another request
            same = FieldSubmission.objects.get(instance_id=instance.instance_id, sha256=sha256)
            _deliver(same, channel, user)
            return _answer(same, again=True)
        _deliver(submission, channel, user)
        _store_files(submission, files, user)
        if conflict:
            submission.reason = _("Instance id %(id)s was received before with other content and no deprecatedID.") \
                % {"id": instance.instance_id}
            submission.save(update_fields=["reason", "updated_at"])
            _log(submission, "conflict", {"instance_id": instance.instance_id, "channel": channel})
            return _answer(submission)
        reasons = ([hold] if hold else []) + _blockers(submission, instance, form)
        if reasons:
            submission.reason = " ".join(reasons)
            submission.save(update_fields=["reason", "updated_at"])
            _log(submission, "review", {"instance_id": instance.instance_id, "reason": submission.reason[:500]})
            return _answer(submission)
        assert form is not None  # an unknown form is one of the blockers
        _apply(submission, instance, form, user, files=bool(files))
    return _answer(submission)


# --- review ------------------------------------------------------------------------------------------------

def accept(submission: FieldSubmission, user, corrected_xml: str | None = None) -> FieldSubmission:
    """A reviewer accepts a submission, optionally with its instance corrected; the module's rules still apply,
    so a submission that still breaks one stays in review with the new reason (ValidationError says which)."""
    if submission.state in (State.ACCEPTED, State.REJECTED):
        raise ValidationError(_("This submission is already %(state)s.") % {"state": submission.get_state_display()})
    xml = corrected_xml if corrected_xml is not None else submission.instance_xml
    try:
        instance = parse(xml.encode())
    except InstanceError as exc:
        raise ValidationError(str(exc)) from None
    form = forms().get(instance.form_id)
    if form is None:
        raise ValidationError(_("“%(form)s” is not a form PeaceOps ships; correct the form id.")
                              % {"form": instance.form_id})
    if not can(user, form.review_capability):
        raise ValidationError(_("Your role does not review this form."))
    if instance.instance_id != submission.instance_id and not submission.instance_id.startswith("unreadable:"):
        raise ValidationError(_("The instance id cannot be changed."))
    unmapped = sorted(leaf_paths(instance.data) - form.field_paths())
    if unmapped:
        raise ValidationError(_("These fields are not in the current form: %(fields)s.")
                              % {"fields": ", ".join(unmapped)})
    with transaction.atomic():
        submission.xml = "" if xml == submission.received_xml else xml  # kept once when not corrected
        submission.instance_id = instance.instance_id
        submission.form_id, submission.deprecated_id = instance.form_id, instance.deprecated_id
        submission.decided_by, submission.decided_at = user, timezone.now()
        _apply(submission, instance, form, user)
    if submission.state != State.ACCEPTED:
        raise ValidationError(submission.reason)
    return submission


def reject(submission: FieldSubmission, user, reason: str) -> FieldSubmission:
    if not reason.strip():
        raise ValidationError(_("Say why it is rejected."))
    if submission.state in (State.ACCEPTED, State.REJECTED):
        raise ValidationError(_("This submission is already %(state)s.") % {"state": submission.get_state_display()})
    submission.state, submission.reason = State.REJECTED, reason.strip()
    submission.decided_by, submission.decided_at = user, timezone.now()
    submission.save()
    _log(submission, "rejected", {"instance_id": submission.instance_id})
    return submission


# --- what arrived, one entry per instance id -----------------------------------------------------------------

STATE_NAMES = {State.ACCEPTED: "accepted", State.REVIEW: "in review", State.CONFLICT: "conflict",
               State.REJECTED: "rejected"}


def summaries(queryset=None, form_id: str = "", state: str = "") -> list[dict]:
    rows = (queryset if queryset is not None else FieldSubmission.objects.all()).order_by("received_at", "id")
    if form_id:
        rows = rows.filter(form_id=form_id)
    by_instance: dict[str, list[FieldSubmission]] = {}
    for submission in rows.prefetch_related("deliveries"):
        by_instance.setdefault(submission.instance_id, []).append(submission)
    out = []
    for instance_id, group in by_instance.items():
        states = {s.state for s in group}
        # An open conflict or review outweighs an accepted sibling: someone still has to decide.
        overall = next(s for s in (State.CONFLICT, State.REVIEW, State.ACCEPTED, State.REJECTED) if s in states)
        channels: dict[str, int] = {}
        for submission in group:
            for delivery in submission.deliveries.all():
                channels[delivery.channel] = channels.get(delivery.channel, 0) + 1
        accepted = next((s for s in reversed(group) if s.state == State.ACCEPTED and s.record_id), None)
        out.append({
            "instance_id": instance_id, "form_id": group[0].form_id, "channels": channels,
            "received": group[0].received_at.isoformat(), "state": STATE_NAMES[overall],
            "record": f"{accepted.record_model}:{accepted.record_id}" if accepted else None,
            "reason": " | ".join(s.reason for s in group if s.state != State.ACCEPTED and s.reason) or None,
            "submissions": [s.pk for s in group],
        })
    wanted = {"review": "in review", "in_review": "in review"}.get(state, state)
    return [row for row in out if not wanted or row["state"] == wanted]
