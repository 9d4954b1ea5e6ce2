"""A published report prints the signed audit checkpoint that covers its publication."""

import datetime as dt

import pytest

from peaceops.core import anchoring
from peaceops.core.models import AuditCheckpoint, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored(settings, tmp_path):
    settings.PEACEOPS_AUDIT_ANCHOR_DIR = str(tmp_path)
    settings.PEACEOPS_AUDIT_SIGNING_KEY = anchoring.generate_key()[0]
    return tmp_path


def test_publication_signs_a_checkpoint_that_the_published_report_prints(anchored, fixed_world, users, client,
                                                                         django_capture_on_commit_callbacks):
    from peaceops.reports import render, services

    day = dt.date(2020, 11, 21)
    coordinator = users["coordinator"]
    sitrep = services.approve(services.start_draft(day, coordinator), users["coordinator2"])
    with django_capture_on_commit_callbacks(execute=True):
        sitrep = services.publish(sitrep, users["coordinator2"], confirmed=True)
    stored = AuditCheckpoint.objects.order_by("-count").first()
    publication = AuditEvent.objects.filter(action="publish", object_id=str(sitrep.pk)).get()
    assert stored is not None and stored.last_event_id >= publication.pk
    assert stored.file_name in {p.name for p in anchored.glob("checkpoint-*.json")}
    page = client.get(f"/reports/public/{day.isoformat()}/").content.decode()
    assert f"Audit checkpoint: {stored.count:,} events, head {stored.head[:16]}" in page
    assert stored.key_id in page
    markdown = render.to_markdown(render.document_context(sitrep.content, sitrep, public=True))
    assert f"key {stored.key_id}" in markdown


def test_a_report_published_with_anchoring_off_says_no_checkpoint_covers_it(fixed_world, users, settings,
                                                                          django_capture_on_commit_callbacks):
    from peaceops.reports import render, services

    settings.PEACEOPS_AUDIT_ANCHOR_DIR = ""
    coordinator = users["coordinator"]
    sitrep = services.approve(services.start_draft(dt.date(2020, 11, 21), coordinator),
                              users["coordinator2"])
    with django_capture_on_commit_callbacks(execute=True):
        sitrep = services.publish(sitrep, users["coordinator2"], confirmed=True)
    context = render.document_context(sitrep.content, sitrep, public=True)
    assert "none covers this publication yet" in context["checkpoint_text"]
