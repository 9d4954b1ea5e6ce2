"""Batch work gives way to the web server: `peaceops intake run` / `resume`, `peaceops forms import` and the worker
lower their own scheduling priority (peaceops.core.priority) before they start, so pages stay quick during an
import."""

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from peaceops.core import priority
from peaceops.core.management.commands import worker as worker_command
from peaceops.intake import tabular
from peaceops.intake.models import ImportBatch

PLACES = "name,kind,parent,latitude,longitude,population\nKarmir Shuka / Qirmizi Bazar,settlement,Martuni,39.73,46.98,1500\n"


def _in_a_child(code: str) -> list[int]:
    """Run `code` in a fresh interpreter (a lowered priority cannot be raised again) and read the numbers it prints."""
    done = subprocess.run([sys.executable, "-c", "from peaceops.core import priority as p\n" + code],
                          capture_output=True, text=True, check=True)
    return [int(word) for word in done.stdout.split()]


def test_lower_to_lowers_the_priority_and_never_raises_it():
    start, lowered, again, clamped = _in_a_child(
        "print(p.niceness()); print(p.lower_to(p.niceness() + 3)); print(p.lower_to(0)); print(p.lower_to(40))")
    assert lowered == min(19, start + 3)
    assert again == lowered  # asking for a higher priority changes nothing
    assert clamped == 19


@pytest.fixture
def recorded(monkeypatch):
    """The values `lower_to` is asked for, with whether an import had started by then."""
    calls = []
    monkeypatch.setattr(priority, "lower_to", lambda value: calls.append((value, ImportBatch.objects.count())) or value)
    return calls


def _run_places(tmp_path, *extra):
    path = tmp_path / "places.csv"
    path.write_text(PLACES, encoding="utf-8")
    call_command("intake", "run", "core.places", str(path), "--user", "analyst", *extra,
                 stdout=io.StringIO(), stderr=io.StringIO())


def test_an_import_from_the_command_line_runs_at_the_lower_priority_before_it_starts(world, users, tmp_path,
                                                                                       recorded, settings):
    _run_places(tmp_path)
    assert recorded == [(10, 0)]  # the default, asked for before the batch existed
    _run_places(tmp_path, "--nice", "0")
    assert recorded[-1] == (0, 1)
    assert ImportBatch.objects.filter(rows_saved=1).count() == 2


def test_the_import_priority_is_bounded(world, users, tmp_path, recorded):
    with pytest.raises(CommandError, match="--nice"):
        _run_places(tmp_path, "--nice", "25")
    assert recorded == [] and not ImportBatch.objects.exists()


def test_the_worker_lowers_its_priority_before_its_heartbeat_thread_starts(monkeypatch, settings, tmp_path):
    settings.PEACEOPS_WORKER_NICE = 7
    settings.PEACEOPS_RUN_DIR = tmp_path
    order = []
    monkeypatch.setattr(priority, "lower_to", lambda value: order.append(("priority", value)) or value)
    monkeypatch.setattr(worker_command.Heartbeat, "start", lambda self: order.append(("heartbeat",)) or self)
    monkeypatch.setattr(worker_command.HeartbeatWorker, "run", lambda self: order.append(("run",)))
    call_command("worker", "--no-reload")
    assert order == [("priority", 7), ("heartbeat",), ("run",)]


def test_a_field_export_import_runs_at_the_lower_priority_too(world, users, tmp_path, recorded):
    path = tmp_path / "export.csv"
    path.write_text("meta/instanceID\n", encoding="utf-8")
    call_command("forms", "import", str(path), "--form", "incident_report", "--user", "monitor", "--dry-run",
                 stdout=io.StringIO(), stderr=io.StringIO())
    call_command("forms", "import", str(path), "--form", "incident_report", "--user", "monitor", "--nice", "3",
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert [value for value, _batches in recorded] == [10, 3]


@pytest.mark.parametrize(("batch", "pressure", "worked", "waited"), [
    (False, 0.9, 0.5, 0.0),  # the web server's threads never pace
    (True, None, 0.5, 0.0),  # the kernel does not say: no pause
    (True, 0.05, 0.5, 0.0),  # a quiet machine: the import gets every cycle
    (True, 0.20, 0.5, 1.0),  # twice the threshold: twice the chunk's time
    (True, 0.90, 0.5, 2.0),  # saturated: four times at most
    (True, 0.90, 3.0, 5.0),  # and never more than five seconds
])
def test_a_batch_process_pauses_between_chunks_while_the_processors_are_contended(monkeypatch, batch, pressure,
                                                                                   worked, waited):
    slept = []
    monkeypatch.setattr(priority, "_batch", batch)
    assert priority.pace(worked, pressure=lambda: pressure, sleep=slept.append) == pytest.approx(waited)
    assert slept == ([pytest.approx(waited)] if waited else [])


@pytest.mark.django_db
def test_no_pause_inside_a_transaction(monkeypatch):
    monkeypatch.setattr(priority, "_batch", True)
    slept = []
    with transaction.atomic():
        assert priority.pace(1.0, pressure=lambda: 0.9, sleep=slept.append) == 0.0
    assert slept == []


def test_cpu_pressure_reads_the_kernels_ten_second_share(tmp_path, monkeypatch):
    sample = tmp_path / "cpu"
    sample.write_text("some avg10=16.14 avg60=49.97 avg300=63.85 total=2918094622\n"
                      "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
    monkeypatch.setattr(priority, "PRESSURE", sample)
    assert priority.cpu_pressure() == pytest.approx(0.1614)
    monkeypatch.setattr(priority, "PRESSURE", tmp_path / "absent")
    assert priority.cpu_pressure() is None


def test_an_import_paces_after_each_committed_chunk(world, users, tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 1)
    calls, outer = [], len(connection.atomic_blocks)  # the test's own transaction
    monkeypatch.setattr(priority, "pace", lambda worked: calls.append(
        (worked > 0, len(connection.atomic_blocks) > outer,
         ImportBatch.objects.values_list("rows_read", flat=True).first())))
    path = tmp_path / "places.csv"
    path.write_text(PLACES + "Nerkin Sus / Ashaghy Sus,settlement,Martuni,39.7,46.9,300\n", encoding="utf-8")
    call_command("intake", "run", "core.places", str(path), "--user", "analyst", "--nice", "0",
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert calls == [(True, False, 1), (True, False, 2)]  # after each chunk's commit, outside any transaction
