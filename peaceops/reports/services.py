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
from peaceops.core.reporting import narrative_capability
from peaceops.core.roles import can
from peaceops.reports import content as sitrep_content
from peaceops.reports import render as sitrep_render
from peaceops.reports.models import Classification, SectionNarrative, Sitrep, SitrepStatus

NARRATIVE_MAX_CHARS = 4000


def latest(day: dt.date, user=None) -> Sitrep | None:
    """The newest version for `day` that `user` may see (any version when user is None)."""
    versions = Sitrep.objects.filter(day=day)
    if user is not None:
        versions = versions.visible_to(user)
    return versions.order_by("-version").first()


def latest_published(day: dt.date) -> Sitrep | None:
    return Sitrep.objects.published().filter(day=day).order_by("-version").first()


def content_of(sitrep: Sitrep | None, day: dt.date) -> dict:
    """Frozen content for an approved or published version; live data for a draft or when none exists, with a
    draft's narratives and marking as they stand now."""
    if sitrep is not None and sitrep.is_frozen:
        return sitrep.content
    return with_draft_parts(sitrep_content.snapshot(day), sitrep)


def with_draft_parts(content: dict, sitrep: Sitrep | None) -> dict:
    """The parts of a report people write, added to its generated content: each section's narrative (text, who
    wrote it, when) and the report's classification and distribution. Approval freezes the result."""
    if sitrep is None:
        content["marking"] = {"classification": Classification.RESTRICTED, "distribution": ""}
        return content
    content["marking"] = {"classification": sitrep.classification, "distribution": sitrep.distribution}
    narratives = {n.section: n for n in sitrep.narratives.select_related("written_by")}
    for section in content.get("sections", []):
        narrative = narratives.get(section["key"])
        if narrative is not None:
            section["narrative"] = {"text": narrative.text, "by": narrative.written_by.get_username(),
                                    "at": narrative.written_at.isoformat()}
    return content


def drafters(sitrep: Sitrep) -> set[int]:
    """Who wrote this version: the coordinator who opened it and everyone who wrote or changed a narrative in
    it. None of them may approve or publish it (four eyes)."""
    writers = set(SectionNarrative.history.filter(sitrep_id=sitrep.pk).values_list("written_by_id", flat=True))
    return {pk for pk in ({sitrep.created_by_id} | writers) if pk is not None}


def may_sign(sitrep: Sitrep, user) -> bool:
    """True when `user` is a coordinator who did not draft this version."""
    return (can(user, "reports.approve") and user.pk is not None
            and user.pk not in drafters(sitrep))


def _require_second_pair_of_eyes(sitrep: Sitrep, user) -> None:
    if user.pk in drafters(sitrep):
        raise PermissionDenied(_("Four eyes: you drafted this version (opened it or wrote a narrative in it), "
                                 "so another coordinator must approve and publish it."))


def _require(user, capability: str) -> None:
    if not can(user, capability):
        raise PermissionDenied(_("Only a coordinator may do this."))


@transaction.atomic
def start_draft(day: dt.date, user, note: str = "", classification: str | None = None,
                distribution: str | None = None) -> Sitrep:
    """Open a draft for `day` (or return the open one). When a version is already published, the draft is a
    correction of it and must say why. The coordinator who opens it is its drafter: another approves it."""
    _require(user, "reports.approve")
    versions = Sitrep.objects.select_for_update().filter(day=day)
    open_version = versions.exclude(status=SitrepStatus.PUBLISHED).order_by("-version").first()
    if open_version is not None:
        return open_version
    published = versions.filter(status=SitrepStatus.PUBLISHED).order_by("-version").first()
    if published is not None and not note.strip():
        raise ValidationError(_("A correction of a published sitrep must say what changed and why."))
    number = (versions.aggregate(top=Max("version"))["top"] or 0) + 1
    # A correction keeps the marking of what it corrects unless told otherwise.
    marking = _clean_marking(
        classification if classification is not None else (published.classification if published else None),
        distribution if distribution is not None else (published.distribution if published else ""))
    return Sitrep.objects.create(day=day, version=number, status=SitrepStatus.DRAFT, corrects=published,
                                 change_note=note.strip(), created_by=user, **marking)


def _clean_marking(classification: str | None, distribution: str | None) -> dict:
    classification = classification or Classification.RESTRICTED
    if classification not in Classification.values:
        raise ValidationError(_("Choose a classification: %(choices)s.") % {
            "choices": ", ".join(str(label) for label in Classification.labels)})
    distribution = " ".join((distribution or "").split())  # one line
    if len(distribution) > 300:
        raise ValidationError(_("The distribution line is longer than 300 characters."))
    return {"classification": classification, "distribution": distribution}


def set_marking(sitrep: Sitrep, user, classification: str, distribution: str) -> Sitrep:
    """Set the classification and distribution line of a draft (frozen with its content at approval)."""
    _require(user, "reports.approve")
    marking = _clean_marking(classification, distribution)
    with transaction.atomic():
        sitrep = Sitrep.objects.select_for_update().get(pk=sitrep.pk)
        if sitrep.status != SitrepStatus.DRAFT:
            raise ValidationError(_("Only a draft's classification and distribution can be changed."))
        sitrep.classification, sitrep.distribution = marking["classification"], marking["distribution"]
        sitrep.save()
    return sitrep


def may_write_narrative(user, section_key: str) -> bool:
    return (can(user, "reports.view_sitrep") and can(user, "reports.narrate")
            and can(user, narrative_capability(section_key)))


def write_narrative(sitrep: Sitrep, section_key: str, text: str, user, based_on: str | None = None):
    """Write (or replace, or with empty text remove) the narrative paragraph of one section of a draft.

    `based_on` is the `written_at` (ISO) of the paragraph the writer started from ("" for none): when someone
    else changed it meanwhile the write is refused rather than overwriting their words. Every change is kept in
    the narrative's history (who, when, what)."""
    if not may_write_narrative(user, section_key):
        raise PermissionDenied(_("Your role does not write the narrative of this section."))
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > NARRATIVE_MAX_CHARS:
        raise ValidationError(_("A narrative is at most %(n)s characters.") % {"n": NARRATIVE_MAX_CHARS})
    if sitrep.status != SitrepStatus.DRAFT:
        raise ValidationError(_("Narratives are written in a draft; this version is %(status)s.") % {
            "status": sitrep.get_status_display()})
    keys = [s.key for s in sitrep_content.build_sections(sitrep.day)]
    if section_key not in keys:
        raise ValidationError(_("This report has no section %(key)s.") % {"key": section_key})
    with transaction.atomic():
        sitrep = Sitrep.objects.select_for_update().get(pk=sitrep.pk)
        if sitrep.status != SitrepStatus.DRAFT:  # approved meanwhile
            raise ValidationError(_("Narratives are written in a draft; this version is %(status)s.") % {
                "status": sitrep.get_status_display()})
        current = SectionNarrative.objects.filter(sitrep=sitrep, section=section_key).first()
        if based_on is not None and based_on != (current.written_at.isoformat() if current else ""):
            raise ValidationError(_("Someone else changed this narrative meanwhile; read theirs and write again."))
        if not text:
            if current is not None:
                current.delete()
            return None
        if current is None:
            current = SectionNarrative(sitrep=sitrep, section=section_key)
        elif current.text == text:
            return current
        current.text, current.written_by, current.written_at = text, user, timezone.now()
        current.save()
        return current


def narrative_history(sitrep: Sitrep, section_key: str) -> list[dict]:
    """Every text a section's narrative had in this version, newest first: who wrote it and when."""
    rows = (SectionNarrative.history.filter(sitrep_id=sitrep.pk, section=section_key)
            .select_related("written_by").order_by("-history_date", "-history_id"))
    return [{"text": row.text, "by": row.written_by.get_username() if row.written_by else "",
             "at": row.written_at, "change": row.history_type} for row in rows]


def approve(sitrep: Sitrep, user) -> Sitrep:
    """Freeze the draft's content as it stands now and record who approved it.

    The content is gathered and its charts drawn outside the write transaction: on SQLite a transaction holds
    the database's only write lock, and gathering a report takes seconds that every other writer would wait."""
    _require(user, "reports.approve")
    if sitrep.status != SitrepStatus.DRAFT:
        raise ValidationError(_("Only a draft can be approved."))
    _require_second_pair_of_eyes(sitrep, user)
    content = sitrep_content.snapshot(sitrep.day)
    with transaction.atomic():
        sitrep = Sitrep.objects.select_for_update().get(pk=sitrep.pk)
        if sitrep.status != SitrepStatus.DRAFT:  # approved by someone else meanwhile
            raise ValidationError(_("Only a draft can be approved."))
        _require_second_pair_of_eyes(sitrep, user)  # a narrative written meanwhile makes its writer a drafter
        sitrep.content = with_draft_parts(content, sitrep)
        if sitrep.corrects:
            sitrep.changes = sitrep_content.diff(sitrep.corrects.content, sitrep.content)
        sitrep.status = SitrepStatus.APPROVED
        sitrep.approved_by = user
        sitrep.approved_at = timezone.now()
        sitrep.save()
    # The content is frozen from here on, so its charts are too: draw them now, not on the first reading.
    sitrep_render.draw_charts(sitrep.content)
    return sitrep


@transaction.atomic
def publish(sitrep: Sitrep, user, confirmed: bool = False) -> Sitrep:
    """Release an approved version: from now on it never changes, and its hash is in the audit chain.

    Nothing goes public by accident: the caller must have shown the publisher what the public will see and
    pass `confirmed=True`; and the publisher, like the approver, is not one of the version's drafters."""
    _require(user, "reports.publish")
    sitrep = Sitrep.objects.select_for_update().get(pk=sitrep.pk)
    if sitrep.status != SitrepStatus.APPROVED:
        raise ValidationError(_("Only an approved sitrep can be published."))
    _require_second_pair_of_eyes(sitrep, user)
    if confirmed is not True:
        raise ValidationError(_("Publishing needs a confirmation: check what the public will see, then "
                                "confirm."))
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
