"""Imports survive being killed, refuse what is too large row by row, keep the valid part of a birth date with a
warning, and write registrations in bulk by the same rules as one at a time (issue 16, issue 15 item 4)."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from peaceops.core import audit
from peaceops.core.models import Person, PersonName
from peaceops.intake import tabular
from peaceops.intake.models import BatchStatus, ImportBatch
from peaceops.returns.imports import REGISTRATION_SPEC
from peaceops.returns.models import Household, HouseholdMember

HEADER = "household,name,sex,birth_date,relationship,destination,vulnerabilities,registered_on\n"
MESSY = HEADER + (
    "R-1,Անահիտ Սարգսյան,F,1945-04-93,head,Stepanakert,elderly,2020-11-12\n"  # day 93: keeps 1945-04
    "R-1,Арам Саргсян,M,1985-00-12,son,Ստեփանակերտ,disabled,2020-11-12\n"  # month 0: keeps 1985
    "R-1,Арам Саргсян,M,1985,son,Stepanakert,,2020-11-12\n"  # the same person again: skipped
    "R-2,---,F,1990,head,Martakert,,\n"  # no usable name: refused
    "R-3,Mariam Grigoryan,X,1990,head,Martakert,,\n"  # bad sex: refused
    "R-4,Gohar Avetisyan,F,1990-05-02,head,Atlantis,,\n"  # unknown place: refused
    "R-1,Lilit Sargsyan,F,1999,daughter,Martakert,,\n"  # the household goes to Stepanakert: refused
    "R-5,Hasmik Petrosyan,F,3020,head,Askeran,pregnant,\n"  # impossible year: kept without a birth date
    "R-5,Vardan Petrosyan,M,1970-02-30,husband,Askeran,,\n"  # 30 February: keeps 1970-02
)


def _outcome(batch):
    return {
        "counts": (batch.rows_read, batch.rows_saved, batch.rows_skipped, batch.rows_quarantined, batch.rows_warned),
        "refused": {row.line: row.errors for row in batch.quarantined_rows.order_by("line")},
        "warnings": [(w.line, w.column) for w in batch.warnings.order_by("line", "id")],
        "people": sorted((m.household.reference, str(m.person), m.person.birth_date_display, m.household.size,
                          tuple(m.household.vulnerabilities))
                         for m in HouseholdMember.objects.filter(household__reference__startswith="R-")
                         .select_related("household", "person").prefetch_related("person__names")),
    }


@pytest.mark.django_db
def test_bulk_registration_follows_the_row_by_row_rules_exactly(users, monkeypatch):
    bulk = _outcome(tabular.run_import(REGISTRATION_SPEC, MESSY.encode(), "reg.csv", users["returns_officer"]))
    HouseholdMember.objects.filter(household__reference__startswith="R-").delete()
    Household.objects.filter(reference__startswith="R-").delete()
    one_by_one = tabular.ImportSpec(**{**REGISTRATION_SPEC.__dict__, "save_rows": None})
    monkeypatch.setattr("peaceops.intake.registry.importers", lambda: {REGISTRATION_SPEC.key: one_by_one})
    single = _outcome(tabular.run_import(one_by_one, MESSY.encode(), "reg.csv", users["returns_officer"]))
    assert bulk == single
    assert bulk["counts"] == (9, 4, 1, 4, 4)
    assert set(bulk["refused"]) == {5, 6, 7, 8} and "name" in " ".join(bulk["refused"][5])
    assert bulk["warnings"] == [(2, "birth_date"), (3, "birth_date"), (9, "birth_date"), (10, "birth_date")]
    born = {name: birth for _ref, name, birth, _size, _needs in bulk["people"]}
    assert born["Անահիտ Սարգսյան"] == "1945-04" and born["Арам Саргсян"] == "1985"
    assert born["Hasmik Petrosyan"] == "" and born["Vardan Petrosyan"] == "1970-02"
    sizes = {ref: (size, needs) for ref, _n, _b, size, needs in bulk["people"]}
    assert sizes["R-1"] == (2, ("disabled", "elderly")) and sizes["R-5"] == (2, ("pregnant",))


@pytest.mark.django_db
def test_bulk_rows_are_versioned_and_audited_by_id(users):
    from peaceops.core.models import AuditEvent

    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    batch = tabular.run_import(REGISTRATION_SPEC, MESSY.encode(), "reg.csv", users["returns_officer"])
    people = Person.objects.filter(names__written_by="import", names__full_name__in=[
        "Անահիտ Սարգսյան", "Арам Саргсян", "Hasmik Petrosyan", "Vardan Petrosyan"])
    assert people.count() == 4 and all(p.history.count() == 1 for p in people)
    assert all(p.history.first().history_user == users["returns_officer"] for p in people)
    events = AuditEvent.objects.filter(id__gt=last, action="bulk", model="core.Person")
    assert sorted(int(i) for e in events for i in e.detail["create"]) == sorted(p.pk for p in people)
    grown = AuditEvent.objects.filter(id__gt=last, action="bulk", model="returns.Household")
    assert grown.exists() and batch.rows_saved == 4 and audit.verify().intact


@pytest.mark.django_db
def test_a_five_megabyte_cell_sends_its_row_to_the_quarantine_not_the_import_to_a_traceback(users, client_for,
                                                                                            settings):
    settings.PEACEOPS_IMPORT_INLINE_BYTES = 10 * 1024 * 1024  # imported while the page waits
    huge = "A" * (5 * 1024 * 1024)
    text = HEADER + f"B-1,{huge},F,1990,head,Martakert,,\nB-2,Nare Hakobyan,F,1991,head,Martakert,,\n"
    batch = tabular.run_import(REGISTRATION_SPEC, text.encode(), "big.csv", users["returns_officer"])
    assert (batch.rows_saved, batch.rows_quarantined, batch.status) == (1, 1, BatchStatus.DONE)
    row = batch.quarantined_rows.get()
    assert row.line == 2 and "“name” holds 5,242,880 characters" in row.errors[0]
    assert len(row.values["name"]) < 300  # the quarantine keeps a stub, not five megabytes
    upload = io.BytesIO(text.encode())
    upload.name = "big.csv"
    response = client_for("returns_officer").post("/intake/new/returns.registrations/", {"file": upload})
    assert response.status_code == 302
    page = client_for("returns_officer").get(response["Location"])
    assert page.status_code == 200 and "5,242,880 characters" in page.content.decode()


@pytest.mark.django_db
def test_a_large_upload_is_left_to_the_worker_and_its_page_shows_progress(client_for, settings):
    from django_tasks_db.models import DBTaskResult

    settings.PEACEOPS_IMPORT_INLINE_BYTES = 10
    upload = io.BytesIO(MESSY.encode())
    upload.name = "reg.csv"
    response = client_for("returns_officer").post("/intake/new/returns.registrations/", {"file": upload})
    batch = ImportBatch.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert batch.status == BatchStatus.QUEUED and batch.rows_read == 0
    task = DBTaskResult.objects.get(task_path="peaceops.intake.tasks.run_import_batch")
    assert task.args_kwargs["args"][0] == batch.pk
    from peaceops.intake.tasks import run_import_batch

    run_import_batch.call(batch.pk)  # what the worker does
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.rows_saved == 4


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_with_the_limit(users, client_for, settings):
    settings.PEACEOPS_IMPORT_MAX_BYTES = 1000
    batch = tabular.run_import(REGISTRATION_SPEC, (HEADER + "x" * 2000).encode(), "big.csv", None)
    assert batch.status == BatchStatus.FAILED and "at most 1000\xa0bytes" in batch.file_error
    assert "can be imported at once" in batch.file_error and batch.rows_read == 0
    upload = io.BytesIO((HEADER + "x" * 2000).encode())
    upload.name = "big.csv"
    page = client_for("returns_officer").post("/intake/new/returns.registrations/", {"file": upload})
    assert page.status_code == 200 and "can be imported at once" in page.content.decode()


def _registrations(rows: int, seed: int = 16) -> tuple[str, set[tuple[str, str]]]:
    rng = random.Random(seed)
    places = ["Stepanakert", "Martakert", "Askeran", "Martuni", "Shushi"]
    lines, expected = [HEADER.strip()], set()
    for n in range(rows):
        household = f"K-{n // 3}"
        name = f"Person {n} {rng.choice(['Sargsyan', 'Petrosyan', 'Avetisyan', 'Hakobyan'])}"
        lines.append(f"{household},{name},{rng.choice('FM')},{rng.randint(1930, 2015)},,"
                     f"{places[(n // 3) % len(places)]},,2020-11-15")
        expected.add((household, name))
    return "\n".join(lines) + "\n", expected


@pytest.mark.django_db
def test_a_crash_between_chunks_leaves_whole_chunks_and_resume_finishes_without_repeating(users, monkeypatch):
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 50)
    text, expected = _registrations(400)
    calls = {"n": 0}
    original = tabular._save_chunk

    def crash_on_the_fourth_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # the operator's Ctrl-C, or a worker stopped mid-import
        return original(*args, **kwargs)

    monkeypatch.setattr(tabular, "_save_chunk", crash_on_the_fourth_chunk)
    with pytest.raises(KeyboardInterrupt):
        tabular.run_import(REGISTRATION_SPEC, text.encode(), "reg.csv", users["returns_officer"])
    batch = ImportBatch.objects.get(filename="reg.csv")
    assert (batch.rows_read, batch.rows_saved, batch.status) == (150, 150, BatchStatus.QUEUED)
    assert PersonName.objects.filter(full_name__startswith="Person ").count() == 150
    monkeypatch.setattr(tabular, "_save_chunk", original)
    tabular.resume(batch)
    batch.refresh_from_db()
    assert (batch.rows_read, batch.rows_saved, batch.status, batch.stored_file) == (400, 400, BatchStatus.DONE, "")
    stored = set(HouseholdMember.objects.filter(household__reference__startswith="K-").values_list(
        "household__reference", "person__names__full_name"))
    assert stored == expected and len(stored) == HouseholdMember.objects.filter(
        household__reference__startswith="K-").count()
    with pytest.raises(tabular.ImportNotResumable, match="finished"):
        tabular.resume(batch)


@pytest.mark.django_db
def test_the_batch_page_shows_warnings_and_resumes_an_interrupted_import(users, client_for, monkeypatch):
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 3)
    batch = tabular.start_batch(REGISTRATION_SPEC, MESSY.encode(), "reg.csv", users["returns_officer"])
    original = tabular._save_chunk
    monkeypatch.setattr(tabular, "_save_chunk", lambda *a, **k: (original(*a, **k), (_ for _ in ()).throw(
        SystemExit(1))))
    with pytest.raises(SystemExit):
        tabular.run_batch(batch, users["returns_officer"])
    monkeypatch.setattr(tabular, "_save_chunk", original)
    client = client_for("returns_officer")
    page = client.get(f"/intake/batches/{batch.pk}/").content.decode()
    assert 'id="resume"' in page and "resuming goes on from row 4" in page
    assert "1945-04" in page and 'id="warnings"' in page
    response = client.post(f"/intake/batches/{batch.pk}/", {"action": "resume"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.rows_read == 9
    page = client.get(f"/intake/batches/{batch.pk}/").content.decode()
    assert 'id="resume"' not in page and "Line 5" in page
    assert client_for("engineer").post(f"/intake/batches/{batch.pk}/", {"action": "resume"}).status_code == 404


def _wait_for(predicate, timeout: float = 300.0, step: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(step)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_with_sigkill_resumes_to_exactly_the_rows_of_the_file(shared_db, tmp_path):
    rows = 30000
    text, expected = _registrations(rows)
    path = tmp_path / "registrations.csv"
    path.write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "peaceops", "intake", "run", "returns.registrations", str(path),
               "--user", "returns_officer"]
    process = subprocess.Popen(command, env=shared_db.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def committed():
        if process.poll() is not None:
            raise AssertionError(f"the import ended before it was killed: {process.communicate()}")
        found = shared_db.sql("SELECT id, rows_read FROM intake_importbatch ORDER BY id DESC LIMIT 1")
        return found[0] if found and found[0][1] >= 2 * tabular.CHUNK_ROWS else None

    batch_id, _read = _wait_for(committed)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    read, saved, status = shared_db.sql("SELECT rows_read, rows_saved, status FROM intake_importbatch WHERE id = ?",
                                        (batch_id,))[0]
    imported = shared_db.value("SELECT count(*) FROM core_personname WHERE full_name LIKE 'Person %'")
    assert status == "running" and 0 < read < rows and read % tabular.CHUNK_ROWS == 0
    assert saved == read == imported  # whole chunks, and a batch that counts exactly them

    resumed = subprocess.run([sys.executable, "-m", "peaceops", "intake", "resume", str(batch_id)],
                             env=shared_db.env, capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr
    assert f"after row {read}" in resumed.stderr and f"{rows} rows (import {batch_id})" in resumed.stdout
    stored = shared_db.sql(
        "SELECT h.reference, n.full_name FROM returns_householdmember m JOIN returns_household h "
        "ON h.id = m.household_id JOIN core_personname n ON n.person_id = m.person_id "
        "WHERE h.reference LIKE 'K-%'")
    assert len(stored) == rows and set(stored) == expected  # every row of the file, none twice
    assert shared_db.sql("SELECT rows_read, rows_saved, status FROM intake_importbatch WHERE id = ?",
                         (batch_id,))[0] == (rows, rows, "done")
    verify = subprocess.run([sys.executable, "-m", "peaceops", "audit", "verify"], env=shared_db.env,
                            capture_output=True, text=True, timeout=600)
    assert verify.returncode == 0 and "intact" in verify.stdout + verify.stderr
