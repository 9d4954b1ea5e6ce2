"""Uploads are judged by their bytes: pages, scripts and SVGs with script are refused with a clear message and
nothing is written; stored files are served as downloads, raster photos inline with nothing allowed to run."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from peaceops.ceasefire.models import Incident
from peaceops.core import attachments
from peaceops.core.models import Attachment
from peaceops.restoration.models import DamageAssessment
from tests.ceasefire.test_web_api import _form
from tests.restoration.conftest import grid, org  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SVG_WITH_SCRIPT = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/persons/")' \
                  b'</script><circle r="4"/></svg>'
SVG_WITH_HANDLER = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="x" onerror="alert(1)"/></svg>'
PLAIN_SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle r="4"/></svg>'
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _assessment(grid, photo):  # noqa: F811
    return {"facility": grid["substation"].pk, "date": "2020-12-01", "assessor": "Monitor 7", "severity": 3,
            "functionality": 20, "needs": "", "photos": photo}


@pytest.mark.parametrize("name, data, declared", [
    ("map.svg", SVG_WITH_SCRIPT, "image/svg+xml"),
    ("sketch.svg", PLAIN_SVG, "image/svg+xml"),  # not a photo, even without script
    ("photo.png", HTML, "image/png"),  # a page under an image's name and type
])
def test_a_photo_that_is_not_a_raster_image_is_refused_and_nothing_is_written(client_for, grid, name, data,  # noqa: F811
                                                                               declared):
    response = client_for("monitor").post("/restoration/assessments/new/", _assessment(
        grid, SimpleUploadedFile(name, data, content_type=declared)))
    assert response.status_code == 200
    assert "is not a photo: upload a PNG, JPEG, GIF or WebP picture" in response.content.decode()
    assert not DamageAssessment.objects.exists() and not Attachment.objects.exists()


def test_a_photo_is_shown_inline_as_an_image_with_nothing_allowed_to_run(client_for, grid):  # noqa: F811
    response = client_for("monitor").post("/restoration/assessments/new/", _assessment(
        grid, SimpleUploadedFile("damage.jpg", PNG, content_type="text/html")))  # the bytes decide, not the type
    assert response.status_code == 302
    assessment = DamageAssessment.objects.get()
    photo = assessment.photos.get()
    assert photo.content_type == "image/png"
    served = client_for("engineer").get(f"/restoration/assessments/{assessment.pk}/photos/{photo.sha256}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"] and "default-src 'none'" in served["Content-Security-Policy"]
    assert served["Content-Disposition"].startswith("inline")


def test_a_stored_svg_from_before_is_downloaded_never_shown(client_for, grid, settings):  # noqa: F811
    """Files accepted before this check (an SVG with script stored as a photo) are served as downloads only."""
    response = client_for("monitor").post("/restoration/assessments/new/", _assessment(
        grid, SimpleUploadedFile("damage.png", PNG, content_type="image/png")))
    assert response.status_code == 302
    assessment = DamageAssessment.objects.get()
    photo = assessment.photos.get()
    path = settings.ATTACHMENT_ROOT / photo.relative_path
    path.write_bytes(SVG_WITH_SCRIPT)  # as an old upload would have left it
    Attachment.objects.filter(pk=photo.pk).update(content_type="image/svg+xml")
    served = client_for("engineer").get(f"/restoration/assessments/{assessment.pk}/photos/{photo.sha256}/")
    assert served["Content-Disposition"].startswith("attachment")
    assert served["Content-Type"] == "application/octet-stream" and served["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name, data, declared, message", [
    ("report.html", HTML, "text/html", "is a web page or script"),
    ("report.txt", HTML, "text/plain", "contains scripts or links"),
    ("map.svg", SVG_WITH_SCRIPT, "image/svg+xml", "contains scripts or links"),
    ("map.svg", SVG_WITH_HANDLER, "image/svg+xml", "contains scripts or links"),
    ("tool.js", b"alert(1)", "application/javascript", "is a web page or script"),
])
def test_an_incident_attachment_with_active_content_is_refused_and_the_incident_not_filed(client_for, world, name,
                                                                                       data, declared, message):
    response = client_for("monitor").post("/ceasefire/incidents/new/", _form(
        world, attachment=SimpleUploadedFile(name, data, content_type=declared)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Incident.objects.exists() and not Attachment.objects.exists()


def test_harmless_files_are_kept_with_the_type_their_bytes_show(users):
    pdf = attachments.store(io.BytesIO(b"%PDF-1.4\n%synthetic\n"), "statement.pdf", users["monitor"],
                            content_type="application/pdf")
    assert pdf.content_type == "application/pdf"
    drawing = attachments.store(io.BytesIO(PLAIN_SVG), "sketch.svg", users["monitor"], content_type="image/svg+xml")
    assert drawing.content_type == "image/svg+xml"
    disguised = attachments.store(io.BytesIO(PNG), "notes.txt", users["monitor"], content_type="text/plain")
    assert disguised.content_type == "image/png"
    with pytest.raises(ValidationError):
        attachments.store(io.BytesIO(SVG_WITH_SCRIPT), "map.svg", users["monitor"], content_type="image/svg+xml")


def test_an_archived_original_is_kept_whatever_it_holds_and_only_ever_downloaded(users, settings):
    """A news page saved from a browser is evidence (open-source reports keep the original bytes): it is stored
    with its scripts, as opaque bytes, and served as a download that nothing can run."""
    from peaceops.core import uploads

    page = attachments.store(io.BytesIO(HTML), "bulletin.html", users["analyst"], archive=True)
    assert page.content_type == "application/octet-stream"
    assert attachments.open_attachment(page) == HTML
    served = uploads.serve(settings.ATTACHMENT_ROOT / page.relative_path, page.filename, page.content_type)
    assert served["Content-Disposition"].startswith("attachment")
    assert served["Content-Type"] == "application/octet-stream" and served["X-Content-Type-Options"] == "nosniff"
    with pytest.raises(ValidationError):  # the same bytes as an ordinary upload are still refused
        attachments.store(io.BytesIO(HTML), "bulletin.html", users["analyst"])
