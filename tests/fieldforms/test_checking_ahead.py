"""The next chunk of an export built and checked in a second thread while the importing thread writes the one
before (`exports._CheckingAhead`, issue 14): the same answers, messages and stored rows as one chunk at a time;
no query ever runs in that thread; a failure there surfaces in the importing thread with nothing half-written;
the pause between chunks (`priority.pace`) never overlaps a check."""

from __future__ import annotations

import threading

import pytest
from django.db.backends import utils as db_utils
from django.utils import translation

from peaceops.core import audit, priority
from peaceops.fieldforms import exports
from peaceops.fieldforms.catalogue import base, forms
from peaceops.fieldforms.models import FieldSubmission
from tests.fieldforms.test_exports_bulk import FORM, _export, _import, _outcome, _taken_reference

pytestmark = pytest.mark.django_db
CHECKING = "peaceops-check"


def _in_checking_thread() -> bool:
    return threading.current_thread().name.startswith(CHECKING)


@pytest.fixture
def queries_by_thread(monkeypatch):
    """The thread of every statement that reached the database (below Django's execute wrappers)."""
    seen: list[str] = []
    execute, executemany = db_utils.CursorWrapper._execute, db_utils.CursorWrapper._executemany

    def counted(real):
        def run(self, *args, **kwargs):
            seen.append(threading.current_thread().name)
            return real(self, *args, **kwargs)
        return run

    monkeypatch.setattr(db_utils.CursorWrapper, "_execute", counted(execute))
    monkeypatch.setattr(db_utils.CursorWrapper, "_executemany", counted(executemany))
    return seen


@pytest.fixture
def checks_by_thread():
    """The thread each row's household was checked in, and how many checks run at this moment."""
    threads: list[str] = []
    running = [0]
    form = forms()[FORM]
    bulk = form.bulk
    assert bulk is not None

    def prepared(values, received, cache):
        threads.append(threading.current_thread().name)
        running[0] += 1
        try:
            return bulk.prepare(values, received, cache)
        finally:
            running[0] -= 1

    object.__setattr__(form, "bulk", base.BulkSave(prepared, bulk.write, bulk.unique, bulk.taken, bulk.taken_error))
    try:
        yield threads, running
    finally:
        object.__setattr__(form, "bulk", bulk)


def test_chunks_checked_ahead_answer_and_store_as_one_chunk_does_in_the_users_language(
        tmp_path, place_key, world, monkeypatch, queries_by_thread, checks_by_thread):
    _taken_reference(world)
    place, other = place_key("stepanakert"), place_key("martakert")
    with translation.override("ru"):
        whole_out, whole_err = _import(tmp_path, _export("whole", place, other), "whole.csv.zip")
        threads = checks_by_thread[0]
        monkeypatch.setattr(exports, "CHUNK_ROWS", 2)  # seven chunks: six checked ahead
        out, err = _import(tmp_path, _export("ahead", place, other), "ahead.csv.zip")
    assert any(name.startswith(CHECKING) for name in threads), "no chunk was checked in the second thread"
    assert not [name for name in queries_by_thread if name.startswith(CHECKING)], "a query in the checking thread"
    assert out == whole_out
    assert err.replace("ahead", "P") == whole_err.replace("whole", "P")
    assert "не целое число" in err  # the birth year's refusal, checked in the second thread, in Russian
    assert _outcome("ahead") == _outcome("whole")
    assert audit.verify().intact


def test_a_failure_in_the_checking_thread_surfaces_after_the_chunks_before_and_writes_nothing_of_its_chunk(
        tmp_path, place_key, world, monkeypatch):
    to_instance = exports.to_instance
    failed: list[str] = []

    def failing(form, row, *args, **kwargs):
        if row.values.get("meta-instanceID") == "uuid:broken-5":
            failed.append(threading.current_thread().name)
            raise RuntimeError("a bug of ours while building row 5")
        return to_instance(form, row, *args, **kwargs)

    monkeypatch.setattr(exports, "to_instance", failing)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    with pytest.raises(RuntimeError, match="a bug of ours while building row 5"):
        _import(tmp_path, _export("broken", place_key("stepanakert"), place_key("martakert")))
    assert failed and all(name.startswith(CHECKING) for name in failed)
    # Rows 1, 2, 2 again and 3 (two chunks) were written and committed; the chunk of rows 4 and 5 not at all.
    stored = set(FieldSubmission.objects.filter(instance_id__startswith="uuid:broken-")
                 .values_list("instance_id", flat=True))
    assert stored == {"uuid:broken-1", "uuid:broken-2", "uuid:broken-3"}
    assert audit.verify().intact


def test_the_pause_between_chunks_waits_for_the_check_ahead_to_end(tmp_path, place_key, world, monkeypatch,
                                                                   checks_by_thread):
    threads, running = checks_by_thread
    seen_while_pausing: list[int] = []
    monkeypatch.setattr(priority, "pace", lambda worked: seen_while_pausing.append(running[0]) or 0.0)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    _import(tmp_path, _export("paced", place_key("stepanakert"), place_key("martakert")))
    assert any(name.startswith(CHECKING) for name in threads)
    assert len(seen_while_pausing) == 7 and set(seen_while_pausing) == {0}


def test_a_check_that_needs_the_database_is_done_again_in_the_importing_thread(tmp_path, place_key, world,
                                                                             monkeypatch):
    """A settlement first met in a chunk checked ahead is not in the import's cache: that thread's query is
    refused and the importing thread checks the chunk itself (and the look-up is remembered for the rest)."""
    refused: list[str] = []
    refuse = exports._refuse_queries

    def counted(*args):
        refused.append(threading.current_thread().name)
        return refuse(*args)

    monkeypatch.setattr(exports, "_refuse_queries", counted)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    _taken_reference(world)
    place, other = place_key("stepanakert"), place_key("martakert")
    out, _err = _import(tmp_path, _export("redo", place, other))
    assert refused and all(name.startswith(CHECKING) for name in refused)
    monkeypatch.setattr(exports, "CHUNK_ROWS", 500)
    whole_out, _whole_err = _import(tmp_path, _export("once", place, other), "once.csv.zip")
    assert out == whole_out and _outcome("redo") == _outcome("once")
