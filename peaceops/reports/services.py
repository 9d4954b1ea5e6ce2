"""The sitrep workflow: draft → approved (by a coordinator) → published; corrections are new versions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction, AuditEvent
from peaceops.core.roles import can
from peaceops.reports import content as sitrep_content
from peaceops.reports import render as sitrep_render
from peaceops.reports.models import Sitrep, SitrepStatus


def latest(day: dt.date, user=None) -> Sitrep | None:
    """The newest version for `day` that `user` may see (any version when user is None)."""
    versions = Sitrep.objects.filter(day=day)
    if user is not None:
        versions = versions.visible_to(user)
    return versions.order_by("-version").first()


def latest_published(day: dt.date) -> Sitrep | None:
    return Sitrep.objects.published().filter(day=day).order_by("-version").first()


def content_of(sitrep: Sitrep | None, day: dt.date) -> dict:
    """Frozen content for an approved or published version; live data for a draft or when none exists."""
    if sitrep is not None and sitrep.is_frozen:
        return sitrep.content
    return sitrep_content.snapshot(day)


def _require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied(_("Only a coordinator may do this."))


@transaction.atomic
def start_draft(day: dt.date, user, note: str = "") -> Sitrep:
    """Open a draft for `day` (or return the open one). When a version is already published, the draft is a
    correction of it and must say why."""
    _require(user, "reports.approve")
    versions = Sitrep.objects.select_for_update().filter(day=day)
    open_version = versions.exclude(status=SitrepStatus.PUBLISHED).order_by("-version").first()
    if open_version is not None:
        return open_version
    published = versions.filter(status=SitrepStatus.PUBLISHED).order_by("-version").first()
    if published is not None and not note.strip():
        raise ValidationError(_("A correction of a published sitrep must say what changed and why."))
    number = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
    return Sitrep.objects.create(day=day, version=number, status=SitrepStatus.DRAFT, corrects=published,
                                 change_note=note.strip(), created_by=user)


def approve(sitrep: Sitrep, user) -> Sitrep:
    """Freeze the draft's content as it stands now and record who approved it.

    The content is gathered and its charts drawn outside the write transaction: on SQLite a transaction holds
    the database's only write lock, and gathering a report takes seconds that every other writer would wait."""
    _require(user, "reports.approve")
    if sitrep.status != SitrepStatus.DRAFT:
        raise ValidationError(_("Only a draft can be approved."))
    content = sitrep_content.snapshot(sitrep.day)
    with transaction.atomic():
        sitrep = Sitrep.objects.select_for_update().get(pk=sitrep.pk)
        if sitrep.status != SitrepStatus.DRAFT:  # approved by someone else meanwhile
            raise ValidationError(_("Only a draft can be approved."))
        sitrep.content = content
        if sitrep.corrects_id:
            sitrep.changes = sitrep_content.diff(sitrep.corrects.content, sitrep.content)
        sitrep.status = SitrepStatus.APPROVED
        sitrep.approved_by = user
        sitrep.approved_at = timezone.now()
        sitrep.save()
    # The content is frozen from here on, so its charts are too: draw them now, not on the first reading.
    sitrep_render.draw_charts(sitrep.content)
    return sitrep


@transaction.atomic
def publish(sitrep: Sitrep, user) -> Sitrep:
    """Release an approved version: from now on it never changes, and its hash is in the audit chain."""
    _require(user, "reports.publish")
    sitrep = Sitrep.objects.select_for_update().get(pk=sitrep.pk)
    if sitrep.status != SitrepStatus.APPROVED:
        raise ValidationError(_("Only an approved sitrep can be published."))
    sitrep.content_sha256 = sitrep_content.digest(sitrep.content)
    sitrep.status = SitrepStatus.PUBLISHED
    sitrep.published_by = user
    sitrep.published_at = timezone.now()
    sitrep.save()
    audit.append(AuditAction.PUBLISH, Sitrep._meta.label, sitrep.pk, str(sitrep),
                 {"sha256": sitrep.content_sha256, "day": sitrep.day.isoformat(), "version": sitrep.version,
                  "corrects": sitrep.corrects_id}, actor=user.get_username())
    # A checkpoint signed right after the commit covers the publication; the report prints it. Only committed
    # events may be signed: a checkpoint of a rolled-back event would later read as a removed one.
    transaction.on_commit(_anchor_publication)
    return sitrep


def _anchor_publication() -> None:
    import logging

    from peaceops.core import anchoring

    try:
        anchoring.anchor_now()
    except (anchoring.AnchoringError, OSError) as exc:  # the periodic checkpoint will cover it
        logging.getLogger(__name__).error("no audit checkpoint at publication: %s", exc)


def verify_published(sitrep: Sitrep) -> bool:
    """True when the stored content still hashes to what the audit chain recorded at publication."""
    event = (AuditEvent.objects.filter(action=AuditAction.PUBLISH, model=Sitrep._meta.label,
                                             object_id=str(sitrep.pk)).order_by("-id").first())
    if event is None:
        return False
    return event.detail.get("sha256") == sitrep.content_sha256 == sitrep_content.digest(sitrep.content)


def latest_public_view(day: dt.date | None = None) -> tuple[Sitrep | None, dict | None]:
    """What the public may know on `day` (any day when None): the newest published version of the newest
    published day up to it, through the public view. Live figures never reach the public; they move only when
    the next report is published."""
    versions = Sitrep.objects.published()
    if day is not None:
        versions = versions.filter(day__lte=day)
    sitrep = versions.order_by("-day", "-version").first()
    if sitrep is None:
        return None, None
    return sitrep, sitrep_content.public_view(sitrep.content)


def public_section(view: dict | None, key: str) -> dict | None:
    return next((s for s in (view or {}).get("sections", []) if s["key"] == key), None)
