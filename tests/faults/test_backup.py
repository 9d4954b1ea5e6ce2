"""`peaceops backup` / `peaceops restore`: encrypted with a key from the environment, a wrong key or a tampered
file refused with a clear message and nothing changed, and the audit chain verifies after a restore."""

from __future__ import annotations

import subprocess
import sys

import pytest

from peaceops.core import backup


def _peaceops(shared_db, *args, key: str | None = None):
    env = dict(shared_db.env)
    if key is not None:
        env["PEACEOPS_BACKUP_KEY"] = key
    return subprocess.run([sys.executable, "-m", "peaceops", *args], env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip_and_refuse_a_wrong_key_or_a_tampered_file(shared_db, tmp_path):
    key, other = backup.new_key(), backup.new_key()
    places = shared_db.value("SELECT count(*) FROM core_place")
    target = tmp_path / "peaceops.backup"
    made = _peaceops(shared_db, "backup", str(target), key=key)
    assert made.returncode == 0, made.stderr
    assert target.read_bytes().startswith(backup.MAGIC)
    assert b"Stepanakert" not in target.read_bytes()  # encrypted, not merely packed

    shared_db.sql("DELETE FROM core_placealias")  # the damage a restore repairs
    assert shared_db.value("SELECT count(*) FROM core_placealias") == 0

    wrong = _peaceops(shared_db, "restore", str(target), "--yes", key=other)
    assert wrong.returncode != 0 and "made with another key" in wrong.stderr
    tampered = tmp_path / "tampered.backup"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    altered = _peaceops(shared_db, "restore", str(tampered), "--yes", key=key)
    assert altered.returncode != 0 and "altered or damaged" in altered.stderr
    cut = tmp_path / "cut.backup"
    cut.write_bytes(target.read_bytes()[:-100])
    assert "altered or damaged" in _peaceops(shared_db, "restore", str(cut), "--yes", key=key).stderr
    assert shared_db.value("SELECT count(*) FROM core_placealias") == 0  # refused restores changed nothing
    missing = _peaceops(shared_db, "restore", str(target), "--yes", key="")
    assert missing.returncode != 0 and "PEACEOPS_BACKUP_KEY" in missing.stderr

    restored = _peaceops(shared_db, "restore", str(target), "--yes", key=key)
    assert restored.returncode == 0, restored.stderr
    assert "chain intact" in restored.stdout
    assert shared_db.value("SELECT count(*) FROM core_placealias") > 0
    assert shared_db.value("SELECT count(*) FROM core_place") == places
    verify = _peaceops(shared_db, "audit", "verify")
    assert verify.returncode == 0 and "intact" in verify.stdout + verify.stderr


def test_a_key_of_the_wrong_size_is_refused(monkeypatch):
    monkeypatch.setenv("PEACEOPS_BACKUP_KEY", "c2hvcnQ=")
    with pytest.raises(backup.BackupError, match="32 bytes"):
        backup.key_from_environment()
