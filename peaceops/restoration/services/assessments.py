"""Damage assessments and their photos (stored once per content in the core attachment store)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peaceops.core import uploads
from peaceops.core.models import Attachment
from peaceops.restoration.models import DamageAssessment, Facility

MAX_PHOTO_BYTES = 15 * 1024 * 1024


def check_photo(upload) -> tuple[bytes, str]:
    """The photo's bytes and its image type, judged from the bytes: an SVG or a renamed page is refused."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError({"photos": _("“%(name)s” is larger than 15 MB.") % {"name": upload.name}})
    upload.seek(0)
    data = upload.read()
    try:
        return data, uploads.check_photo(upload.name, data)
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None


def store_photo(upload, user, checked: tuple[bytes, str] | None = None) -> Attachment:
    """Keep an uploaded photo under its SHA-256; the same picture uploaded twice is stored once."""
    data, content_type = checked or check_photo(upload)
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
def record_assessment(facility: Facility, date: dt.date, assessor: str, severity: int | None,
                      functionality: int | None, needs: str = "", photos=(), user=None) -> DamageAssessment:
    """A facility's damage assessment; a missing severity or functionality is refused with the reason."""
    if functionality is None or not 0 <= functionality <= 100:
        raise ValidationError({"functionality": _("Functionality is a percentage from 0 to 100.")})
    # A missing severity is refused by full_clean with Django's own message; the stubs refuse None earlier.
    assessment = DamageAssessment(facility=facility, date=date, assessor=assessor.strip(),
                                  severity=severity,  # type: ignore[misc]
                                  functionality=functionality, needs=needs.strip(),
                                  submitted_by=user if getattr(user, "is_authenticated", False) else None)
    assessment.full_clean()
    checked = [check_photo(photo) for photo in photos]  # every photo judged before anything is written
    assessment.save()
    stored = [store_photo(photo, user, result) for photo, result in zip(photos, checked)]
    if stored:
        assessment.photos.add(*stored)
    return assessment
