"""A field export imported through the user's path: `peaceops forms import FILE --form returnee_registration
--user returns_officer --from odk-central`, the command a returns officer runs on the ODK Central "CSV (zip)"
of the shipped registration form (the main CSV and its `member` repeat file joined by PARENT_KEY, as Central
writes it; KoboToolbox's XLSX with a repeat sheet goes through the same rows after its reader).

    python -m bench.intake.kobo [--rows 100000] [--database sqlite|postgres|both]

The export is generated, not cleaned: values padded with spaces, optional fields empty, names in two scripts,
one to five members a household, and bad rows at fixed places in every hundred (a row with no instance id, a
registration date in the future, an unknown destination, a birth year that is not a number, a value in a
column the form does not have, the same instance re-exported, the same instance id with other content, and one
row in a thousand cut short). Checked after the run: every bad row is named on stderr with its line and reason,
a household exists for each accepted row and none for any other (nothing half-written), every person of an
accepted household and no other was registered, and the audit chain is intact.

Baseline, measured in the same run on the same file: reading the zip and joining each row's repeat rows
(`exports._central_zip_rows`), no database: what every importer of this file must do. (Until 2026-12-03 23:20
UTC the baseline also built each row's instance XML; the import no longer parses that XML back, so building it
is part of what is measured, shown beside the baseline as "read + build each instance".) Target: 5,000
validated rows/s on SQLite, ours (issue 14 sets none), carried over from issue 16's registrations import, which
counts people; a row here is a submission, a household of 1–5 people. Figures go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import random
import re
import sys
import tempfile
import time
import zipfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = 5000
FORM = "returnee_registration"
SYSTEM = "SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits"
GIVEN = {"F": ["Анна", "Лусине", "Mariam", "Gayane", "Айгюн", "Nune"], "M": ["Арам", "Armen", "Вагиф", "Tigran",
                                                                         "Самвел", "Rauf"]}
FAMILY = ["Петросян", "Avetisyan", "Гасанов", "Hovhannisyan", "Мамедова", "Sargsyan", "Тестян"]
RELATIONS = ["spouse", "child", "child", "parent", "sibling", "grandchild", "other"]
VULNERABLE = ["", "", "", "elderly", "disabled medical", "pregnant", " elderly  disabled "]
# Where the bad rows are in every hundred, and what the import must say of each.
BAD = {3: "no instance id", 17: "future date", 29: "unknown destination", 41: "birth year not a number",
       53: "column not in the form", 79: "same instance id, other content"}
REEXPORT = 67  # the row before it, exported again: "already received", not a problem
CUT = 999  # in every thousand: a row cut short (fewer cells than the header)


def build(rows: int, places: list[str], seed: int = 2020) -> tuple[bytes, dict]:
    """The Central zip, and what the import must report: {line: kind} for each bad row, and the counts."""
    rng = random.Random(seed)
    header = (f"SubmissionDate,reference,registered_on,origin,destination,vulnerabilities,remarks,meta-instanceID,"
              f"{SYSTEM},KEY,FormVersion").split(",")
    main = [",".join(header)]
    members = ["name,sex,birth_year,birth_month,birth_day,relationship,PARENT_KEY,KEY"]
    bad: dict[int, str] = {}
    expected = {"accepted": 0, "already received": 0, "persons": 0}
    previous: str | None = None
    for n in range(rows):
        line = len(main) + 1
        slot = n % 100
        if slot == REEXPORT and previous is not None:
            main.append(previous)  # the very same row again (a second export): nothing new stored
            expected["already received"] += 1
            previous = None
            continue
        key = instance = f"uuid:bench-{seed}-{n:07d}"  # Central's KEY (joins the repeats), and meta-instanceID
        if slot == 79:
            instance = f"uuid:bench-{seed}-{n - 2:07d}"  # row n-2's instance id, other content, no deprecatedID
        size = rng.choice((1, 2, 2, 3, 3, 4, 5))
        registered = f"2020-{rng.randrange(11, 13)}-{rng.randrange(1, 29):02d}"
        destination = f"  {rng.choice(places)} " if n % 7 == 0 else rng.choice(places)
        origin = rng.choice(places) if n % 3 else ""
        remarks = ""
        kind = BAD.get(slot, "")
        if kind == "future date":
            registered = "2099-01-01"
        elif kind == "unknown destination":
            destination = "Nowhere-on-the-map"
        elif kind == "column not in the form":
            remarks = "seen by the clerk at the gate"
        if n % 1000 == CUT:
            kind = "cut short"
        family = rng.choice(FAMILY)
        for index in range(1, size + 1):
            sex = rng.choice("FM")
            year = str(rng.randrange(1935, 2020))
            if kind == "birth year not a number" and index == 1:
                year = "19x0"
            month, day = (str(rng.randrange(1, 13)), str(rng.randrange(1, 29))) if rng.random() < 0.6 else ("", "")
            relation = "head" if index == 1 else rng.choice(RELATIONS)
            name = f"{rng.choice(GIVEN[sex])} {family}" + (" " if rng.random() < 0.1 else "")
            members.append(f"{name},{sex},{year},{month},{day},{relation},{key},{key}/member[{index}]")
        cells = [f"2020-11-21T09:{n % 60:02d}:00.000Z", f"R-{n:07d}" if n % 2 else "", registered, origin,
                 destination, rng.choice(VULNERABLE), remarks, "" if kind == "no instance id" else instance,
                 "5", "clerk", "0", "0", "", "", "collect:bench", "0", "" if kind == "no instance id" else key, "v1"]
        text = ",".join(cells)
        if kind == "cut short":
            text = ",".join(cells[:9])  # the instance id kept, the rest lost
        main.append(text)
        if kind:
            bad[line] = kind
        else:
            expected["accepted"] += 1
            expected["persons"] += size
            previous = text
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{FORM}.csv", "\n".join(main) + "\n")
        archive.writestr(f"{FORM}-member.csv", "\n".join(members) + "\n")
    expected["bad_count"] = len(bad)
    expected["read"] = len(main) - 1
    return buffer.getvalue(), {**expected, "bad": bad}


def _setup(database: str, tmp: str, postgres_url: str) -> None:
    os.environ.update({"PEACEOPS_DATA_DIR": tmp, "DJANGO_SETTINGS_MODULE": "peaceops.settings",
                       "PEACEOPS_2FA_ROLES": "", "AXES_ENABLED": "no"})
    os.environ.pop("DATABASE_URL", None)
    if database == "postgres":
        from bench.intake.openrosa import _fresh_postgres

        _fresh_postgres(postgres_url)
        os.environ["DATABASE_URL"] = postgres_url
    import django

    django.setup()


@contextmanager
def as_before():
    """The import as it was before this bench: the whole file in one transaction, and every save appending its
    own chained audit event (no bulk event per chunk)."""
    from peaceops.core import audit
    from peaceops.fieldforms import exports

    chunk, collect = exports.CHUNK_ROWS, audit.collect
    exports.CHUNK_ROWS, audit.collect = 10**9, lambda *a, **k: False
    try:
        yield
    finally:
        exports.CHUNK_ROWS, audit.collect = chunk, collect


@contextmanager
def timed_writes(figures: dict):
    """How long the import holds the database's write lock (SQLite: from `BEGIN IMMEDIATE` to the end of the
    COMMIT, each outermost transaction) and where its SQL time goes: `core.bulkrows`' statements by table, and
    the COMMITs. Web users wait on that lock, so its longest hold a chunk is what a bigger or slower chunk costs
    them. Only measured when asked (`--sql-times`): the wrappers add a little time of their own."""
    from django.db import connection

    from peaceops.core import bulkrows

    holds: list[float] = []
    commits: list[float] = []
    statements: dict[str, list[float]] = {}
    began: list[float] = []
    start, commit = connection._start_transaction_under_autocommit, connection._commit

    def timed_start():
        began[:] = [time.perf_counter()]
        return start()

    def timed_commit():
        before = time.perf_counter()
        try:
            return commit()
        finally:
            after = time.perf_counter()
            commits.append(after - before)
            if began:
                holds.append(after - began.pop())

    def wrap(name):
        original = getattr(bulkrows._Statements, name)

        def timed(self, text, params):
            before = time.perf_counter()
            try:
                return original(self, text, params)
            finally:
                found = re.match(r'\s*INSERT INTO "?(\w+)"?(.*?(SELECT|VALUES))?', text)
                key = f"{name} {found.group(1)}{' SELECT' if found and found.group(3) == 'SELECT' else ''}" if found \
                    else f"{name} {text[:30]}"
                statements.setdefault(key, []).append(time.perf_counter() - before)

        return original, timed

    wrapped = {name: wrap(name) for name in ("execute", "run", "executemany")}
    connection._start_transaction_under_autocommit, connection._commit = timed_start, timed_commit
    for name, (_original, timed) in wrapped.items():
        setattr(bulkrows._Statements, name, timed)
    try:
        yield
    finally:
        del connection._start_transaction_under_autocommit, connection._commit
        for name, (original, _timed) in wrapped.items():
            setattr(bulkrows._Statements, name, original)
        figures["locks"] = sorted(holds)
        figures["commits"] = commits
        figures["statements"] = statements


def measure(database: str, rows: int, postgres_url: str, profile: str = "", before_rows: int = 0,
            sql_times: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        _setup(database, tmp, postgres_url)
        from django.core.management import call_command
        from django.db import connection

        from peaceops.core import audit
        from peaceops.core.models import Place
        from peaceops.core.models.places import PlaceKind
        from peaceops.fieldforms import exports
        from peaceops.fieldforms.catalogue import forms, place_key
        from peaceops.fieldforms.models import FieldSubmission, State
        from peaceops.returns.models import Household
        from peaceops.scenario import world

        call_command("migrate", interactive=False, verbosity=0)
        world.load_core()
        places = [place_key(p) for p in Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("pk")[:40]]
        data, expected = build(rows, places)
        path = Path(tmp) / f"{FORM}.csv.zip"
        path.write_bytes(data)
        form = forms()[FORM]
        form.built()  # the form is built once per process whatever happens next; not what is measured
        figures: dict = {"database": connection.vendor, "rows": expected["read"], "load_before": os.getloadavg(),
                         "bytes": len(data)}

        started = time.perf_counter()
        count = sum(1 for row in exports._central_zip_rows(data))
        figures["read"] = count / (time.perf_counter() - started)
        paths = form.field_paths()
        started = time.perf_counter()
        count = sum(1 for row in exports._central_zip_rows(data) if exports.to_instance(form, row, paths))
        figures["build"] = count / (time.perf_counter() - started)

        households_before = Household.objects.count()
        out, err = io.StringIO(), io.StringIO()
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        with timed_writes(figures) if sql_times else contextlib.nullcontext():
            started, cpu = time.perf_counter(), time.process_time()
            call_command("forms", "import", str(path), "--form", FORM, "--user", "returns_officer", "--from",
                         "odk-central", stdout=out, stderr=err)
            seconds = time.perf_counter() - started
            figures["cpu"] = time.process_time() - cpu  # this process's CPU: less swayed than wall time by neighbours
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        figures.update(seconds=seconds, imported=expected["read"] / seconds, summary=out.getvalue().strip(),
                       load_after=os.getloadavg())

        # Every bad row named with its line; nothing else named; nothing half-written.
        named = {}
        for message in err.getvalue().splitlines():
            found = re.match(rf"{re.escape(path.name)}:(\d+): (.*)", message)
            if found:
                named[int(found.group(1))] = found.group(2)
        missing = sorted(set(expected["bad"]) - set(named))
        extra = sorted(set(named) - set(expected["bad"]))
        households = Household.objects.count() - households_before
        accepted = FieldSubmission.objects.filter(state=State.ACCEPTED).exclude(record_id="")
        persons = sum(h.members.count() for h in Household.objects.filter(
            pk__in=[int(pk) for pk in accepted.values_list("record_id", flat=True)])) if rows <= 20000 else None
        held_with_record = FieldSubmission.objects.exclude(state=State.ACCEPTED).exclude(record_id="").count()
        figures["checks"] = {
            "bad rows expected": expected["bad_count"], "bad rows named with line and reason": len(named),
            "bad rows not named": missing[:5], "good rows named as bad": [(n, named[n]) for n in extra[:5]],
            "households made": households, "accepted rows expected": expected["accepted"],
            "re-exported rows (already received)": expected["already received"],
            "persons in accepted households": persons, "persons expected": expected["persons"],
            "held submissions with a record": held_with_record,
            "audit chain": str(audit.verify()),
        }
        figures["reasons"] = {kind: next((named[line] for line, k in expected["bad"].items()
                                          if k == kind and line in named), "") for kind in
                              sorted(set(expected["bad"].values()))}
        figures["ok"] = (not missing and not extra and households == expected["accepted"]
                         and held_with_record == 0 and "intact" in figures["checks"]["audit chain"]
                         and (persons is None or persons == expected["persons"]))
        if before_rows:
            sample, _expected = build(before_rows, places, seed=1994)  # other instance ids: all new again
            before = Path(tmp) / f"before-{FORM}.csv.zip"
            before.write_bytes(sample)
            started = time.perf_counter()
            with as_before():
                call_command("forms", "import", str(before), "--form", FORM, "--user", "returns_officer", "--from",
                             "odk-central", stdout=io.StringIO(), stderr=io.StringIO())
            figures["before"] = (_expected["read"], _expected["read"] / (time.perf_counter() - started))
        return figures


def report(figures: dict, command: str) -> str:
    lines = [f"`{command}`, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, CPython "
             f"{platform.python_version()}, {os.cpu_count()} cores (shared), {figures['database']}, load average "
             f"{figures['load_before'][0]:.1f} before, {figures['load_after'][0]:.1f} after.", "",
             f"ODK Central CSV (zip) of `{FORM}`: {figures['rows']:,} rows ({figures['bytes'] / 1e6:.1f} MB zipped).",
             "", "| what | rows/s | × baseline | vs. target 5,000 rows/s |", "|---|---:|---:|---:|",
             f"| read the zip, join repeats (baseline, no database) | {figures['read']:,.0f} "
             f"| 1 | {figures['read'] / TARGET:.2f} |",
             f"| read + build each instance (`exports.to_instance`, no database) | {figures['build']:,.0f} "
             f"| {figures['build'] / figures['read']:.3f} | {figures['build'] / TARGET:.2f} |",
             f"| **`peaceops forms import`**, every row validated and written ({figures['seconds']:.1f} s) | "
             f"**{figures['imported']:,.1f}** | {figures['imported'] / figures['read']:.4f} | "
             f"{figures['imported'] / TARGET:.4f} |",
             f"| the import per CPU second of this process ({figures['cpu']:.1f} s CPU) | "
             f"{figures['rows'] / figures['cpu']:,.1f} | {figures['rows'] / figures['cpu'] / figures['read']:.4f} | "
             f"{figures['rows'] / figures['cpu'] / TARGET:.4f} |"]
    if "before" in figures:
        count, rate = figures["before"]
        lines.append(f"| before: one transaction for the file, a chained audit event per save ({count:,} rows, "
                     f"measured after) | {rate:,.1f} | {rate / figures['read']:.4f} | {rate / TARGET:.4f} |")
    lines += ["",
             f"Command's summary: {figures['summary']}", "",
             f"Speed-up over the machinery as it was, same run: {figures['imported'] / figures['before'][1]:.2f}×"
             if "before" in figures else "", "",
             "Checks: " + "; ".join(f"{k}: {v}" for k, v in figures["checks"].items()) + ".",
             "", "What the import said of each kind of bad row (first one):", ""]
    lines += [f"- {kind}: {reason}" for kind, reason in figures["reasons"].items()]
    if "locks" in figures:
        locks, commits = figures["locks"], figures["commits"]
        lines += ["", f"Write lock held ({len(locks)} transactions): longest {max(locks) * 1000:.0f} ms, median "
                      f"{locks[len(locks) // 2] * 1000:.0f} ms, total {sum(locks):.2f} s; COMMITs {len(commits)}, "
                      f"{sum(commits):.2f} s (longest {max(commits) * 1000:.0f} ms).", "",
                  "| `core.bulkrows` statement | calls | seconds |", "|---|---:|---:|"]
        lines += [f"| {key} | {len(times)} | {sum(times):.2f} |" for key, times in
                  sorted(figures["statements"].items(), key=lambda item: -sum(item[1]))]
    lines.append(f"\nAll checks passed: {'yes' if figures['ok'] else 'NO'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/peaceops_intake_bench")
    parser.add_argument("--profile", default="", help="Write cProfile stats of the import to this file.")
    parser.add_argument("--sql-times", action="store_true",
                        help="Time the write lock's holds, the COMMITs and core.bulkrows' statements.")
    parser.add_argument("--before-rows", type=int, default=500,
                        help="Rows of another export imported the old way afterwards (0: not measured).")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    command = "python -m bench.intake.kobo " + " ".join(sys.argv[1:])
    if args.database == "both":  # one process per database: Django is set up once per process
        import subprocess

        for database in ("sqlite", "postgres"):
            argv = list(sys.argv[1:])
            index = argv.index("--database")
            argv[index + 1] = database
            subprocess.run([sys.executable, "-m", "bench.intake.kobo", *argv], cwd=ROOT, check=True)
        return
    print(report(measure(args.database, args.rows, args.postgres_url, args.profile, args.before_rows,
                         args.sql_times),
                 command))


if __name__ == "__main__":
    main()
