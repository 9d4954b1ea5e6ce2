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
