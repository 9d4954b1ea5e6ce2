"""Damage assessments and their photos (stored once per content in the core attachment store)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peaceops.core.models import Attachment
from peaceops.restoration.models import DamageAssessment, Facility

MAX_PHOTO_BYTES = 15 * 1024 * 1024


def store_photo(upload, user) -> Attachment:
    """Keep an uploaded photo under its SHA-256; the same picture uploaded twice is stored once."""
    content_type = getattr(upload, "content_type", "") or ""
    if not content_type.startswith("image/"):
        raise ValidationError({"photos": _("“%(name)s” is not an image.") % {"name": upload.name}})
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"photos": _("“%(name)s” is larger than 15 MB.") % {"name": upload.name}})
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    existing = Attachment.objects.filter(sha256=digest).first()
    if existing:
        return existing
    attachment = Attachment(sha256=digest, filename=upload.name[:255], content_type=content_type, size=len(data),
                            uploaded_by=user if getattr(user, "is_authenticated", False) else None)
    path = settings.ATTACHMENT_ROOT / attachment.relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    attachment.save()
    return attachment


@transaction.atomic
def record_assessment(facility: Facility, date: dt.date, assessor: str, severity: int, functionality: int,
                      needs: str = "", photos=(), user=None) -> DamageAssessment:
    assessment = DamageAssessment(facility=facility, date=date, assessor=assessor.strip(), severity=severity,
                                  functionality=functionality, needs=needs.strip(),
                                  submitted_by=user if getattr(user, "is_authenticated", False) else None)
    if functionality is None or not 0 <= functionality <= 100:
        raise ValidationError({"functionality": _("Functionality is a percentage from 0 to 100.")})
    assessment.full_clean()
    assessment.save()
    stored = [store_photo(photo, user) for photo in photos]
    if stored:
        assessment.photos.add(*stored)
    return assessment
