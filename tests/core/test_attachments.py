import io

import pytest

from peaceops.core import attachments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _root(settings, tmp_path):
    settings.ATTACHMENT_ROOT = tmp_path / "attachments"


def test_same_content_is_stored_once(users):
    first = attachments.store(io.BytesIO(b"photo bytes"), "crater.jpg", users["monitor"])
    second = attachments.store(io.BytesIO(b"photo bytes"), "crater-copy.jpg", users["analyst"])
    assert first.pk == second.pk and first.content_type == "image/jpeg" and first.size == 11
    assert attachments.open_attachment(first) == b"photo bytes"


def test_altered_file_is_detected(users, settings):
    stored = attachments.store(io.BytesIO(b"original"), "note.txt", users["monitor"])
    path = settings.ATTACHMENT_ROOT / stored.relative_path
    path.write_bytes(b"altered")
    with pytest.raises(ValueError):
        attachments.open_attachment(stored)


def test_oversized_upload_is_refused_and_leaves_nothing(users, settings, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 10)
    with pytest.raises(attachments.AttachmentTooLarge):
        attachments.store(io.BytesIO(b"x" * 11), "big.bin", users["monitor"])
    assert not any(p.is_file() for p in settings.ATTACHMENT_ROOT.rglob("*"))
