"""bench.load.run's capacity step-up: the highest rate served within the p95 target, not the 50-user figure."""

from pathlib import Path

from bench.load import run


def test_capacity_reports_the_highest_step_within_the_target_and_stops_past_twice_it(monkeypatch, tmp_path):
    p95 = {5: 120, 10: 180, 15: 290, 20: 310, 25: 280, 30: 700, 40: 900}
    asked = []

    def fake_locust(env, port, users, seconds, prefix: Path):
        asked.append((users, env["PEACEOPS_BENCH_MARK"]))
        failures = 1 if users == 25 else 0  # under the target in time, but a failure disqualifies it
        return {"Aggregated": {"requests": users * 2 * seconds, "failures": failures, "p50": 1, "p95": p95[users],
                               "p99": 1}}

    monkeypatch.setattr(run, "_locust", fake_locust)
    found = run.capacity({}, 1, 10, tmp_path / "c")
    assert [u for u, _mark in asked] == [5, 10, 15, 20, 25, 30]  # stops after 30 users' p95 > 600 ms
    assert asked[0][1] == "capacity-5"
    assert found["within_target"] == {"users": 15, "rps": 30.0, "p95": 290, "failures": 0}
    assert [s["users"] for s in found["steps"]] == [5, 10, 15, 20, 25, 30]


def test_a_new_run_replaces_its_tables_and_keeps_the_subsections_written_by_hand(monkeypatch, tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Load\n\nold intro\n\n### postgres (2 server processes; old)\n\n"
                       "| old table |\n\nold notes under the table\n\n### Where the server waits\n\nfindings\n\n"
                       "### Per-request cost\n\ncosts\n\n## Intake\n\nintake text\n")
    monkeypatch.setattr(run, "RESULTS", results)
    row = {"requests": 10, "failures": 0, "p50": 100.0, "p95": 200.0, "p99": 250.0}
    figures = {"database": "postgres", "users": 50, "seconds": 30, "processes": 2, "load_before": (0.5, 0, 0),
               "load_after": (1.0, 0, 0), "steady": {"Aggregated": row}, "during_import": {"Aggregated": row},
               "steady_writes_ok": 5, "steady_writes_stored": 5, "during_import_writes_ok": 4,
               "during_import_writes_stored": 4, "import_summary": "done", "import_s": 3.0,
               "capacity": {"seconds": 15, "within_target": {"users": 15, "rps": 30.0, "p95": 250, "failures": 0},
                            "steps": [{"users": 15, "rps": 30.0, "p95": 250, "failures": 0}]}}
    run.write_results([figures])
    text = results.read_text()
    assert "old table" not in text and "old notes" not in text and "old intro" not in text
    assert "### Where the server waits\n\nfindings\n\n### Per-request cost\n\ncosts\n\n## Intake\n\nintake text" in text
    assert text.index("### postgres (2 server processes; load average 0.5") < text.index("### Where the server")
    assert "Within p95 < 300 ms: **30 requests/s (15 users)**" in text


def test_the_probe_counts_waitress_threads_by_their_innermost_peaceops_frame():
    from bench.load.probe import _where

    dump = ("Process 1: python -m peaceops serve\n\nThread 1 (idle): \"MainThread\"\n    poll (waitress/wasyncore.py:167)\n"
            "Thread 2 (idle): \"waitress-0\"\n    Connection.wait (psycopg/connection.py:495)\n"
            "    _advance (peaceops/core/audit.py:67)\n    write_events (peaceops/core/audit.py:98)\n"
            "Thread 3 (active): \"waitress-1\"\n    Plan.row (peaceops/api/rows.py:44)\n"
            "Thread 4 (idle): \"waitress-2\"\n    Connection.wait (psycopg/connection.py:495)\n"
            "    _advance (peaceops/core/audit.py:67)\n")
    assert _where(dump) == {"idle Connection.wait | _advance (peaceops/core/audit.py:67)": 2,
                            "active Plan.row | Plan.row (peaceops/api/rows.py:44)": 1}
