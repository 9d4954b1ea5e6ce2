"""Draft → approved → published; who may do what; immutability; the hash in the audit chain; corrections."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction, AuditEvent
from peaceops.reports import content, services
from peaceops.reports.models import ImmutableSitrep, Sitrep
from tests.reports import conftest as world

DAY = dt.date(2020, 11, 21)


@pytest.fixture
def published(fixed_world, users):
    sitrep = services.start_draft(DAY, users["coordinator"])
    services.approve(sitrep, users["coordinator2"])
    return services.publish(sitrep, users["coordinator2"], confirmed=True)


def test_coordinators_take_a_report_from_draft_to_published(fixed_world, users):
    coordinator, second = users["coordinator"], users["coordinator2"]
    sitrep = services.start_draft(DAY, coordinator)
    assert (sitrep.status, sitrep.version, sitrep.content) == ("draft", 1, {})
    sitrep = services.approve(sitrep, second)
    assert sitrep.status == "approved" and sitrep.approved_by == second
    assert sitrep.content["sections"][1]["figures"][1]["value"] == 6950
    sitrep = services.publish(sitrep, second, confirmed=True)
    assert sitrep.status == "published" and sitrep.content_sha256 == content.digest(sitrep.content)
    assert services.verify_published(sitrep)


@pytest.mark.parametrize("role", ["analyst", "monitor", "returns_officer", "exchange_officer", "engineer",
                                  "public", "admin"])
def test_only_a_coordinator_opens_approves_or_publishes(fixed_world, users, role):
    with pytest.raises(PermissionDenied):
        services.start_draft(DAY, users[role])
    draft = services.start_draft(DAY, users["coordinator"])
    with pytest.raises(PermissionDenied):
        services.approve(draft, users[role])
    services.approve(draft, users["coordinator2"])
    with pytest.raises(PermissionDenied):
        services.publish(draft, users[role], confirmed=True)
    assert Sitrep.objects.get(pk=draft.pk).status == "approved"


def test_steps_cannot_be_skipped(fixed_world, users):
    second = users["coordinator2"]
    draft = services.start_draft(DAY, users["coordinator"])
    with pytest.raises(ValidationError):
        services.publish(draft, second, confirmed=True)
    services.approve(draft, second)
    with pytest.raises(ValidationError):
        services.approve(draft, second)


def test_approval_freezes_the_content(fixed_world, users, monkeypatch):
    coordinator = users["coordinator"]
    sitrep = services.approve(services.start_draft(DAY, coordinator), users["coordinator2"])
    monkeypatch.setitem(world.ARRIVALS, DAY, 1308)  # a late arrival recorded after approval
    assert services.content_of(sitrep, DAY)["sections"][1]["figures"][1]["value"] == 6950
    sitrep.content["sections"][1]["figures"][1]["value"] = 6958
    with pytest.raises(ImmutableSitrep):
        sitrep.save()


def test_a_published_report_never_changes(published):
    published.change_note = "edited afterwards"
    with pytest.raises(ImmutableSitrep):
        published.save()
    with pytest.raises(ImmutableSitrep):
        Sitrep.objects.filter(pk=published.pk).update(change_note="sneaky")
    with pytest.raises(ImmutableSitrep):
        published.delete()
    with pytest.raises(ImmutableSitrep):
        Sitrep.objects.filter(pk=published.pk).delete()
    assert Sitrep.objects.get(pk=published.pk).change_note == ""


def test_the_published_hash_is_in_the_audit_chain(published):
    event = AuditEvent.objects.filter(action=AuditAction.PUBLISH, object_id=str(published.pk)).get()
    assert event.detail["sha256"] == published.content_sha256
    assert event.actor == "coordinator2"  # the second coordinator, who did not draft it
    assert audit.verify().intact


def test_tampering_with_published_content_is_detected(published):
    # Bypassing the model (raw SQL-level update through the base manager) must still be caught by the hash.
    from django.db import models

    models.QuerySet(Sitrep).filter(pk=published.pk).update(content={"day": "2020-11-21", "sections": []})
    assert not services.verify_published(Sitrep.objects.get(pk=published.pk))


def test_a_correction_is_a_new_version_that_says_what_changed(published, users, monkeypatch):
    coordinator = users["coordinator"]
    with pytest.raises(ValidationError):
        services.start_draft(DAY, coordinator)  # a correction without a reason
    monkeypatch.setitem(world.ARRIVALS, DAY, 1308)
    correction = services.start_draft(DAY, coordinator, "Eight late arrivals at Stepanakert added.")
    assert correction.version == 2 and correction.corrects == published
    second = users["coordinator2"]
    correction = services.publish(services.approve(correction, second), second, confirmed=True)
    changed = {(c["section"], c["key"]): (c["old"], c["new"]) for c in correction.changes}
    assert changed[("returns", "returned_total")] == (6950, 6958)
    assert changed[("returns", "returned_period")] == (1300, 1308)
    assert ("ceasefire", "violations") not in changed
    assert Sitrep.objects.get(pk=published.pk).content_sha256 == published.content_sha256
    assert services.latest_published(DAY) == correction


def test_opening_a_draft_twice_returns_the_open_one(fixed_world, users):
    first = services.start_draft(DAY, users["coordinator"])
    assert services.start_draft(DAY, users["coordinator"]) == first


def test_visibility_by_role(published, users):
    draft_day = DAY + dt.timedelta(days=1)
    services.start_draft(draft_day, users["coordinator"])
    for role in ["analyst", "monitor", "engineer", "coordinator"]:
        assert Sitrep.objects.visible_to(users[role]).filter(day=draft_day).exists(), role
    for who in [AnonymousUser(), users["public"], users["admin"]]:
        visible = Sitrep.objects.visible_to(who)
        assert list(visible) == [published]
