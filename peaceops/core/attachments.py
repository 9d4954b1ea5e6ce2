"""Content-addressed attachment storage: a file is stored once under its SHA-256, whoever uploads it again."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from peaceops.core import uploads
from peaceops.core.models import Attachment

MAX_BYTES = 50 * 1024 * 1024


class AttachmentTooLarge(ValueError):
    pass


def _path(sha256: str) -> Path:
    return Path(settings.ATTACHMENT_ROOT) / sha256[:2] / sha256[2:4] / sha256


@transaction.atomic
def store(stream, filename: str, user=None, sensitive: bool = False, content_type: str = "",
          archive: bool = False) -> Attachment:
    """Hash while copying to a temporary file, then move it into place atomically (a crash leaves no half file).

    `archive` keeps an original as evidence whatever it holds (a news page saved from a browser, scripts and
    all): it is typed as opaque bytes, so it is only ever served as a download, never rendered."""
    root = Path(settings.ATTACHMENT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    with tempfile.NamedTemporaryFile(dir=root, delete=False) as tmp:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            head = head or chunk[:8192]
            size += len(chunk)
            if size > MAX_BYTES:
                tmp.close()
                os.unlink(tmp.name)
                raise AttachmentTooLarge(f"{filename} is larger than {MAX_BYTES // (1024 * 1024)} MB")
            digest.update(chunk)
            tmp.write(chunk)
    try:  # judged by its bytes: active content (a page, a script, an SVG with script) is never stored
        declared = content_type or mimetypes.guess_type(filename)[0] or ""
        content_type = "application/octet-stream" if archive else uploads.check(
            filename, declared, head, lambda: Path(tmp.name).read_bytes())
    except ValidationError:
        os.unlink(tmp.name)
        raise
    sha256 = digest.hexdigest()
    existing = Attachment.objects.filter(sha256=sha256).first()
    target = _path(sha256)
    if target.exists():
        os.unlink(tmp.name)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp.name, target)
    if existing is not None:
        if sensitive and not existing.sensitive:
            existing.sensitive = True
            existing.save(update_fields=["sensitive"])
        return existing
    return Attachment.objects.create(
        sha256=sha256, filename=Path(filename).name[:255], size=size, sensitive=sensitive,
        content_type=content_type,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )


def open_attachment(attachment: Attachment):
    """The stored bytes, after checking they still hash to the recorded digest (tampering shows)."""
    data = _path(attachment.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != attachment.sha256:
        raise ValueError(f"attachment {attachment.pk} does not match its recorded SHA-256")
    return data
