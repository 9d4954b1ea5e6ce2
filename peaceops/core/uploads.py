"""What an uploaded file is, judged from its bytes (never from the name or the browser's declared type), and
how it is served back.

Active content — HTML, scripts, SVG or XML that can run script — is refused at upload: opened from our address
it would run as the signed-in user. Everything else is served as a download (`Content-Disposition: attachment`,
`X-Content-Type-Options: nosniff`); only raster images whose bytes say so (PNG, JPEG, GIF, WebP) are shown
inline, with a policy that lets nothing run.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

RASTER_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
# Types a browser would run or render as a document: refused whatever the bytes say.
ACTIVE_TYPES = {"text/html", "application/xhtml+xml", "application/javascript", "text/javascript",
                "application/ecmascript", "text/xml-stylesheet", "application/x-shockwave-flash",
                "application/hta", "text/x-component"}
ACTIVE_SUFFIXES = {".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".hta", ".swf", ".xsl", ".xslt",
                   ".svgz", ".mht", ".mhtml"}
# In markup, what can run script or pull in something that does.
_ACTIVE_MARKUP = re.compile(
    rb"<\s*(script|iframe|frame|object|embed|foreignobject|handler|listener|meta|link|base|form|applet)\b"
    rb"|\son[a-z]+\s*=|javascript\s*:|vbscript\s*:|data\s*:\s*text/html|<!entity|<\?xml-stylesheet"
    rb"|<\s*(html|body|head)\b|<!doctype\s+html|(xlink:)?href\s*=\s*[\"']?\s*(https?:|//|data:)"
    rb"|<\s*(set|animate)\b[^>]*attributename\s*=\s*[\"']?\s*(xlink:)?href",
    re.IGNORECASE)


def sniff_raster(head: bytes) -> str | None:
    """The image type these first bytes belong to, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf\xfe\xff\x00 \t\r\n")
    return text.startswith(b"<") or b"<svg" in head.lower() or b"<html" in head.lower()


def check(filename: str, declared_type: str, head: bytes, read_all) -> str:
    """The content type to store for an upload, or ValidationError naming why it is refused.

    `head` is the file's first bytes; `read_all` returns the whole file (called for markup only, to look for
    script anywhere in it)."""
    name = Path(filename or "").name
    declared = (declared_type or "").split(";")[0].strip().lower()
    raster = sniff_raster(head)
    if raster:
        return raster
    if declared in ACTIVE_TYPES or Path(name).suffix.lower() in ACTIVE_SUFFIXES:
        raise ValidationError(_("“%(name)s” is a web page or script, which could run in PeaceOps when opened; "
                                "upload a PDF, an image or a document instead.") % {"name": name})
    if _looks_like_markup(head):
        if _ACTIVE_MARKUP.search(read_all()):
            raise ValidationError(_("“%(name)s” contains scripts or links that could run when opened (HTML, or "
                                    "an SVG with script); save it as PNG or PDF and upload that.")
                                  % {"name": name})
        return "image/svg+xml" if b"<svg" in head.lower() else "text/plain"
    if declared.startswith("image/") and declared not in RASTER_TYPES:
        return "application/octet-stream"  # an image type we cannot vouch for is only ever downloaded
    return declared or "application/octet-stream"


def check_photo(filename: str, data: bytes) -> str:
    """A photo must be a raster image by its bytes (an SVG or a renamed page is refused)."""
    kind = sniff_raster(data[:16])
    if kind is None:
        raise ValidationError(_("“%(name)s” is not a photo: upload a PNG, JPEG, GIF or WebP picture.")
                              % {"name": Path(filename or "").name})
    return kind


def serve(path: Path, filename: str, content_type: str) -> FileResponse:
    """A stored file: raster images whose bytes confirm it are shown inline, everything else is a download."""
    with path.open("rb") as handle:
        head = handle.read(16)
    raster = sniff_raster(head)
    inline = raster is not None and content_type in RASTER_TYPES
    response = FileResponse(path.open("rb"), as_attachment=not inline, filename=filename,
                            content_type=raster if inline else "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were to render it, nothing in it may run or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'none'; sandbox"
    return response
