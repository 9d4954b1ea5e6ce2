"""The audit chain anchored outside the database: signed checkpoints pin it, so whoever holds the database can no
longer delete its newest events and rewrite the chain head; records changed directly in SQL are named."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from peaceops.core import anchoring, audit, record_state
from peaceops.core.models import AuditCheckpoint, AuditEvent, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys():
    private, public, kid = anchoring.generate_key()
    return {"private": private, "public": public, "id": kid}


@pytest.fixture
def anchored(settings, tmp_path, keys):
    """Anchoring on: a fresh anchor directory and signing key."""
    settings.PEACEOPS_AUDIT_ANCHOR_DIR = str(tmp_path)
    settings.PEACEOPS_AUDIT_SIGNING_KEY = keys["private"]
    settings.PEACEOPS_AUDIT_PUBLIC_KEYS = []
    return tmp_path


def _rewrite_tail(n: int = 1) -> None:
    """What an attacker with the database does: delete the newest events and make the head agree."""
    last = list(AuditEvent.objects.order_by("-id")[: n + 1])
    survivor = last[-1]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id > %s", [survivor.pk])
        cursor.execute("UPDATE core_audithead SET last_hash = %s, count = count - %s WHERE id = 1",
                       [survivor.hash, n])


def _verify() -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def test_without_anchoring_deleting_the_tail_and_editing_the_head_passes_verify():
    """The finding, pinned: the chain alone cannot catch this rewrite; only a checkpoint can."""
    Place.objects.create(name="Unanchored hamlet", kind="settlement")
    _rewrite_tail()
    code, out = _verify()
    assert code == 0 and "anchoring is off" in out


def test_deleting_the_tail_and_editing_the_head_is_caught_by_the_checkpoint(anchored):
    Place.objects.create(name="Anchored hamlet", kind="settlement")
    checkpoint = anchoring.anchor_now()
    assert checkpoint is not None and checkpoint.count == AuditEvent.objects.count()
    assert audit.verify().intact
    _rewrite_tail()
    assert audit.verify().intact  # the chain by itself still looks whole
    code, message = _verify()
    assert code == 2
    assert checkpoint.name in message and "fewer than" in message


def test_replacing_the_tail_with_forged_events_is_caught_at_the_checkpoint(anchored):
    Place.objects.create(name="Forged hamlet", kind="settlement")
    checkpoint = anchoring.anchor_now()
    _rewrite_tail(2)
    # The attacker appends new events through the application until the count matches again.
    Place.objects.create(name="Cover story", kind="settlement")
    Place.objects.filter(name="Cover story").first().delete()
    assert AuditEvent.objects.count() == checkpoint.count and audit.verify().intact
    code, message = _verify()
    assert code == 2 and checkpoint.name in message and "differs at it" in message


def test_a_forged_or_altered_checkpoint_file_is_named(anchored):
    checkpoint = anchoring.anchor_now()
    path = anchored / checkpoint.name
    data = json.loads(path.read_text())
    data["count"] -= 1
    path.write_text(json.dumps(data))
    code, message = _verify()
    assert code == 2 and checkpoint.name in message and "signature does not verify" in message


def test_a_checkpoint_signed_by_an_unknown_key_is_refused(anchored, settings):
    checkpoint = anchoring.anchor_now()
    settings.PEACEOPS_AUDIT_SIGNING_KEY = anchoring.generate_key()[0]  # the old key is no longer trusted
    code, message = _verify()
    assert code == 2 and checkpoint.key_id in message and "not a trusted key" in message


def test_a_verifier_needs_only_the_public_key(anchored, settings, keys):
    anchoring.anchor_now()
    settings.PEACEOPS_AUDIT_SIGNING_KEY = ""
    settings.PEACEOPS_AUDIT_PUBLIC_KEYS = [keys["public"]]
    code, out = _verify()
    assert code == 0 and "1 checkpoint(s) agree" in out and keys["id"] in out


def test_every_checkpoint_is_checked_and_the_intact_chain_passes(anchored):
    first = anchoring.anchor_now()
    Place.objects.create(name="Second hamlet", kind="settlement")
    second = anchoring.anchor_now()
    assert second.count == first.count + 1
    assert anchoring.anchor_now() == second  # nothing new: no new file
    assert len(list(anchored.glob("checkpoint-*.json"))) == 2
    assert AuditCheckpoint.objects.count() == 2
    report = anchoring.verify_checkpoints()
    assert report.ok and report.checked == 2 and report.newest == second


def test_anchoring_refuses_to_sign_a_chain_that_does_not_extend_the_last_checkpoint(anchored):
    Place.objects.create(name="Refused hamlet", kind="settlement")
    anchoring.anchor_now()
    _rewrite_tail()
    Place.objects.create(name="After the rewrite", kind="settlement")
    with pytest.raises(anchoring.AnchoringError, match="not signing"):
        anchoring.anchor_now()


def test_anchoring_off_says_so_and_anchor_writes_nothing(settings):
    settings.PEACEOPS_AUDIT_ANCHOR_DIR = ""
    settings.PEACEOPS_AUDIT_SIGNING_KEY = ""
    from io import StringIO

    out = StringIO()
    call_command("audit", "anchor", stdout=out)
    assert "audit anchoring is off" in out.getvalue() and "PEACEOPS_AUDIT_SIGNING_KEY" in out.getvalue()
    assert anchoring.anchor_now() is None


def test_a_bad_key_or_directory_gets_a_clear_message(settings, tmp_path):
    settings.PEACEOPS_AUDIT_ANCHOR_DIR = str(tmp_path)
    settings.PEACEOPS_AUDIT_SIGNING_KEY = "not-a-key"
    with pytest.raises(CommandError, match="not an Ed25519 private key.*keygen") as error:
        call_command("audit", "anchor")
    assert error.value.returncode == 1
    settings.PEACEOPS_AUDIT_SIGNING_KEY = anchoring.generate_key()[0]
    settings.PEACEOPS_AUDIT_ANCHOR_DIR = str(tmp_path / "missing")
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("audit", "anchor")


def test_keygen_prints_a_working_pair_and_writes_a_private_file(tmp_path, settings):
    from io import StringIO

    out = StringIO()
    call_command("audit", "keygen", "--out", str(tmp_path / "audit.key"), stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
    key_file = tmp_path / "audit.key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    settings.PEACEOPS_AUDIT_SIGNING_KEY = key_file.read_text()
    settings.PEACEOPS_AUDIT_PUBLIC_KEYS = [lines["PEACEOPS_AUDIT_PUBLIC_KEYS"]]
    assert list(anchoring.trusted_keys()) == [anchoring.key_id(anchoring.signing_key().public_key())]
    with pytest.raises(FileExistsError):  # never overwrites a key
        call_command("audit", "keygen", "--out", str(key_file), stdout=StringIO())


def test_the_periodic_task_signs_and_books_the_next_one(anchored):
    from django_tasks_db.models import DBTaskResult

    from peaceops.core import tasks

    assert tasks.ensure_scheduled()
    assert tasks.ensure_scheduled()  # a second start books nothing more
    booked = DBTaskResult.objects.filter(task_path=tasks.anchor_checkpoint.module_path)
    assert booked.count() == 1
    outcome = tasks.anchor_checkpoint.call()
    assert outcome["count"] == AuditEvent.objects.count()
    assert booked.filter(status="READY").count() == 1 and booked.get().run_after > booked.get().enqueued_at


# ------------------------------------------------------------------------------------ records changed in SQL

def test_a_record_changed_directly_in_sql_is_named():
    place = Place.objects.create(name="Honest hamlet", kind="settlement", population=120)
    other = Place.objects.create(name="Untouched hamlet", kind="settlement", population=80)
    assert record_state.changed_records().intact
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_place SET population = 9999 WHERE id = %s", [place.pk])
    report = record_state.changed_records()
    assert [(c.model, c.object_id) for c in report.changed] == [("core.Place", str(place.pk))]
    assert str(other.pk) not in str(report)
    with pytest.raises(CommandError) as error:
        call_command("audit", "verify", "--records")
    assert error.value.returncode == 2 and "1 record(s) changed outside the application" in str(error.value)


def test_a_record_deleted_or_resurrected_in_sql_is_named():
    gone = Place.objects.create(name="Vanishing hamlet", kind="settlement")
    back = Place.objects.create(name="Returning hamlet", kind="settlement")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_place WHERE id = %s", [back.pk])
        columns, row = [c[0] for c in cursor.description], cursor.fetchone()
    back_pk = back.pk
    back.delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_place WHERE id = %s", [gone.pk])
        cursor.execute(f"INSERT INTO core_place ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(row))})",
                       list(row))
    reasons = {c.object_id: c.reason for c in record_state.changed_records().changed}
    assert "missing from the database" in reasons[str(gone.pk)]
    assert "present in the database" in reasons[str(back_pk)]


def test_digests_survive_a_reload_for_every_kind_of_field():
    """A digest taken when the application saves equals one taken from the row read back: no false alarms."""
    from decimal import Decimal

    place = Place.objects.create(name="Typed hamlet", kind="settlement", latitude=Decimal("39.8"),
                                 longitude=46.75, population=5)
    event = AuditEvent.objects.filter(model="core.Place", object_id=str(place.pk)).order_by("-id").first()
    assert record_state.digest(Place.objects.get(pk=place.pk)) == event.detail["state"]

