"""An export's chunk written as plain rows (fieldforms.chunks, issue 14): a submission, its version and its
deliveries as the one-at-a-time door (`services.receive`) stores them; the form's look-ups asked once an import;
the household read off the instance as `Values` reads it; the heap set aside for the import only."""

from __future__ import annotations

import gc

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from peaceops.fieldforms import exports
from peaceops.fieldforms.catalogue import base, forms
from peaceops.fieldforms.catalogue.registration import _household
from peaceops.fieldforms.instances import Values
from peaceops.fieldforms.models import Delivery, FieldSubmission, State
from tests.fieldforms.test_exports_bulk import FORM, _export, _import, _taken_reference

pytestmark = pytest.mark.django_db
SET_WHEN_SAVED = {"id", "uuid", "created_at", "updated_at", "received_at"}


def _stored(prefix: str) -> dict:
    """Each submission as stored (its row, its versions, its deliveries), the prefix and ids taken out."""
    out = {}
    for s in FieldSubmission.objects.filter(instance_id__startswith=f"uuid:{prefix}-"):
        row = {k: (v.replace(prefix, "P") if isinstance(v, str) else v) for k, v in model_to_dict(s).items()
               if k not in SET_WHEN_SAVED | {"record_id", "attachments", "sha256"}}  # sha256: of the prefix too
        row["has_record"] = bool(s.record_id)
        row["revision"] = s.revision
        row["versions"] = [(v.history_type, v.history_user_id) for v in s.history.all()]
        row["deliveries"] = [(d.channel, d.by_id) for d in s.deliveries.all()]
        out[(s.instance_id.replace(prefix, "P"), s.state)] = row  # a conflict is a second one of an instance id
    return out


def test_a_chunk_stores_submissions_versions_and_deliveries_as_one_at_a_time_does(tmp_path, place_key, world):
    officer = _officer()
    _taken_reference(world)
    place, other = place_key("stepanakert"), place_key("martakert")
    _import(tmp_path, _export("rows", place, other))
    form = forms()[FORM]
    bulk = form.bulk
    object.__setattr__(form, "bulk", None)  # the one-at-a-time door
    try:
        _import(tmp_path, _export("single", place, other), "single.csv.zip")
    finally:
        object.__setattr__(form, "bulk", bulk)
    rows, single = _stored("rows"), _stored("single")
    assert rows and set(rows) == set(single)
    for instance_id, stored in rows.items():
        expected = single[instance_id]
        # One version, naming the importing officer (as the records' versions do), written as decided (the chunk
        # commits the decided state); the one door saves the submission again with its decision, a version a save.
        assert stored.pop("versions") == [("+", officer.pk)] and expected.pop("versions")
        assert stored.pop("revision") == 1 and expected.pop("revision") >= 1  # written once
        assert stored == expected, instance_id
    assert FieldSubmission.objects.filter(instance_id__startswith="uuid:rows-", xml="").count() == len(rows)
    assert len(set(FieldSubmission.objects.values_list("uuid", flat=True))) == FieldSubmission.objects.count()
    accepted = FieldSubmission.objects.filter(instance_id__startswith="uuid:rows-", state=State.ACCEPTED).first()
    version = accepted.history.get()
    assert (version.state, version.record_model, version.record_id, version.history_type) == (
        State.ACCEPTED, "returns.Household", accepted.record_id, "+")
    assert Delivery.objects.filter(submission__instance_id="uuid:rows-2", submission__state=State.ACCEPTED
                                   ).count() == 2  # exported twice


def test_a_settlement_is_looked_up_once_an_import_not_once_a_chunk(tmp_path, place_key, world, monkeypatch):
    from peaceops.fieldforms.catalogue import registration

    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    asked: list[str] = []
    resolve = registration.resolve_place
    monkeypatch.setattr(registration, "resolve_place", lambda key, kinds=None: asked.append(key) or
                        resolve(key, kinds))
    out, _err = _import(tmp_path, _export("once", place_key("stepanakert"), place_key("martakert")))
    assert "4 accepted" in out or "3 accepted" in out
    # Three names in six chunks: the destination, the origin, and the unknown one (its refusal remembered too).
    assert sorted(asked) == sorted({*asked}) and len(asked) == 3


def test_the_household_is_read_off_the_instance_as_values_reads_it(world, place_key):
    received = base.Received(user=None, instance_id="uuid:x", attachments={}, received_at=None)
    data = {"registered_on": " 2020-11-20 ", "destination": [place_key("stepanakert"), "ignored"],
            "vulnerabilities": " elderly  disabled ", "reference": "R" * 70,
            "member": [{"name": " Анна Петросян ", "sex": "F", "birth_year": "1950", "birth_month": ""},
                       {"name": "Armen", "birth_year": " 1980 ", "relationship": ["child", "x"]}, "stray text"]}
    cache: dict = {}
    assert _household(Values(data), received, cache) == _household(Values(data), received)
    single = _household(Values(data), received)
    assert [m.name for m in single["members"]] == ["Анна Петросян", "Armen"]
    assert [m.sex for m in single["members"]] == ["F", "U"] and single["members"][1].relationship == "child"
    assert single["members"][1].birth_year == 1980 and single["reference"] == "R" * 60
    assert single["vulnerabilities"] == ["disabled", "elderly"]
    cached = _household(Values(data), received, cache)["vulnerabilities"]
    cached.append("changed")  # each household gets its own list, not the cache's
    assert _household(Values(data), received, cache)["vulnerabilities"] == ["disabled", "elderly"]

    bad = {**data, "registered_on": "2099-01-01", "vulnerabilities": "flying",
           "member": {"name": "Арам", "birth_year": "19x0", "birth_month": "13x"}}
    with pytest.raises(ValidationError) as bulk_refusal:
        _household(Values(bad), received, {})
    with pytest.raises(ValidationError) as single_refusal:
        _household(Values(bad), received)
    assert bulk_refusal.value.message_dict == single_refusal.value.message_dict
    assert bulk_refusal.value.message_dict["birth_year"] == ["“19x0” is not a whole number."]
    assert set(bulk_refusal.value.message_dict) == {"registered_on", "vulnerabilities", "birth_year",
                                                   "birth_month"}


def test_the_heap_is_set_aside_for_the_import_only(tmp_path, place_key, world, monkeypatch):
    frozen: list[int] = []
    monkeypatch.setattr(exports, "CHUNK_ROWS", 5)
    form = forms()[FORM]
    data = _export("gc", place_key("stepanakert"), place_key("martakert"))
    report = exports.import_export(form, data, f"{FORM}.csv.zip", _officer(), channel="odk-central",
                                   progress=lambda read: frozen.append(gc.get_freeze_count()))
    assert report.read == 14 and frozen and min(frozen) > 0
    assert gc.get_freeze_count() == 0


def _officer():
    from django.contrib.auth.models import User

    return User.objects.get(username="returns_officer")


def test_a_chunk_is_built_and_checked_before_its_transaction_takes_the_write_lock(tmp_path, place_key, world,
                                                                                  monkeypatch):
    """On SQLite a chunk's transaction takes the write lock web users wait on (BEGIN IMMEDIATE): building each
    row's instance and checking its household happen before it; the look-ups and writes inside it."""
    from django.db import connection

    from peaceops.fieldforms import chunks

    outside = len(connection.atomic_blocks)  # the test's own transaction, if any
    depths: dict[str, list[int]] = {"build": [], "check": [], "write": []}
    form = forms()[FORM]
    bulk = form.bulk
    to_instance, write_many = exports.to_instance, chunks.write_many

    def built(*args, **kwargs):
        depths["build"].append(len(connection.atomic_blocks))
        return to_instance(*args, **kwargs)

    def prepared(values, received, cache):
        depths["check"].append(len(connection.atomic_blocks))
        return bulk.prepare(values, received, cache)

    def written(*args, **kwargs):
        depths["write"].append(len(connection.atomic_blocks))
        return write_many(*args, **kwargs)

    monkeypatch.setattr(exports, "to_instance", built)
    monkeypatch.setattr(chunks, "write_many", written)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 5)
    object.__setattr__(form, "bulk", base.BulkSave(prepared, bulk.write, bulk.unique, bulk.taken, bulk.taken_error))
    try:
        out, _err = _import(tmp_path, _export("lock", place_key("stepanakert"), place_key("martakert")))
    finally:
        object.__setattr__(form, "bulk", bulk)
    assert "accepted" in out
    assert depths["build"] and set(depths["build"]) == {outside}
    assert depths["check"] and set(depths["check"]) == {outside}
    assert len(depths["write"]) == 3 and set(depths["write"]) == {outside + 1}  # in the chunk's transaction


def test_a_fault_of_ours_checking_a_row_is_logged_and_kept_only_when_the_row_is_applied(tmp_path, place_key, world,
                                                                                         caplog):
    form = forms()[FORM]
    bulk = form.bulk

    def faulty(values, received, cache):
        if received.instance_id == "uuid:fault-2":  # row 2, and row 7 under its id (a conflict: never applied)
            raise KeyError("ours")
        return bulk.prepare(values, received, cache)

    object.__setattr__(form, "bulk", base.BulkSave(faulty, bulk.write, bulk.unique, bulk.taken, bulk.taken_error))
    try:
        _import(tmp_path, _export("fault", place_key("stepanakert"), place_key("martakert")))
    finally:
        object.__setattr__(form, "bulk", bulk)
    kept = FieldSubmission.objects.get(instance_id="uuid:fault-2", state=State.REVIEW)
    assert "could not apply this submission (KeyError)" in kept.reason and not kept.record_id
    assert FieldSubmission.objects.filter(instance_id="uuid:fault-2", state=State.CONFLICT).count() == 1
    logged = [r for r in caplog.records if "could not be applied" in r.getMessage()]
    assert [r.getMessage() for r in logged] == ["field submission uuid:fault-2 could not be applied"]
    assert logged[0].exc_info is not None


def test_sqlite_checkpoints_its_log_every_few_chunks_during_an_import_not_after_each(tmp_path, place_key, world,
                                                                                     monkeypatch):
    """Each chunk's COMMIT used to checkpoint the log (a chunk writes more pages than SQLite's default 1,000):
    during an import the threshold is IMPORT_CHECKPOINT_PAGES, and it is put back after."""
    from django.db import connection

    from peaceops.fieldforms import chunks

    def threshold() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return int(cursor.fetchone()[0])

    if connection.vendor != "sqlite":
        pytest.skip("a setting of SQLite's")
    before = threshold()
    assert 0 < before < exports.IMPORT_CHECKPOINT_PAGES
    during: list[int] = []
    write_many = chunks.write_many
    monkeypatch.setattr(chunks, "write_many", lambda *a, **k: during.append(threshold()) or write_many(*a, **k))
    out, _err = _import(tmp_path, _export("wal", place_key("stepanakert"), place_key("martakert")))
    assert "accepted" in out
    assert during == [exports.IMPORT_CHECKPOINT_PAGES]
    assert threshold() == before
