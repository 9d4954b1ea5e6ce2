"""Time the daily sitrep (HTML and PDF) on whatever scenario data is present, against a baseline in the same run.

    python -m bench.reports.run [--scale 1.0] [--date 2020-11-21] [--repeat 5] [--stand-in] [--no-write]
    python -m bench.reports.run --persons 1000000 [--db var/bench-reports-1m.sqlite3] [--rebuild]

It uses its own SQLite database under var/bench-reports (or DATABASE_URL when set), loads the demo scenario at
`--scale` if that database is empty, and writes the figures into the `## Reports` section of bench/RESULTS.md.
With `--persons N` it instead times the sitrep on the returns benchmark's registry (bench.returns.run.build:
N persons, 3·N movements, 100,000 waiting households) with the demo world's modules on top, built once into a
cached SQLite file and reused.
The baseline is the same sitrep rendered with no module sections (the fixed cost of templates and WeasyPrint),
so the ratio shows what the modules' queries and charts add. Targets: HTML < 1 s, PDF < 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"
TARGETS = {"html": 1.0, "pdf": 5.0}


def _setup(data_dir: Path) -> None:
    os.environ.setdefault("PEACEOPS_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_or_reuse(db: Path, persons: int, rebuild: bool = False) -> dict:
    """Open the cached registry of `persons` persons in `db`, building it with the returns bench's builder first
    if it is missing (a build takes 10-20 minutes; the marker file is written only once it has finished)."""
    import json

    from bench.returns import run as returns_bench

    marker = Path(f"{db}.json")
    info = json.loads(marker.read_text()) if marker.exists() and not rebuild else None
    if info is not None and info.get("persons") != persons:
        raise SystemExit(f"{db} holds {info['persons']:,} persons; pass --rebuild or another --db")
    if info is None:
        db.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", ".json"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    returns_bench._setup(db)
    if info is not None:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a cached file may predate this branch's migrations
    if info is None:
        from peaceops.core.context import acting_as

        with acting_as("system:bench"):
            built = returns_bench.build(persons, 3 * persons, 100_000, seed=20201110)
        info = {key: built[key] for key in ("persons", "movements", "returnees", "merged", "waiting", "build_s")}
        marker.write_text(json.dumps(info))
    if not info.get("demo"):
        # The returns registry alone leaves the other sections empty; the demo world's module builders (scale 1)
        # fill every section on top of it, so the report timed is a full one.
        from django.db import transaction

        from peaceops.core.context import acting_as
        from peaceops.core.models import Person
        from peaceops.core.registry import collect
        from peaceops.exchanges.services import tracing
        from peaceops.scenario import world as scenario

        started = time.perf_counter()
        registry_end = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
        every_candidate = tracing.candidates
        # Tracing reads every returnee as a candidate (990,000 here: SQLite refuses that many ids in one query);
        # the registry's persons have no names to match anyway, so the demo's tracing sees the demo's people.
        tracing.candidates = lambda: {pk: where for pk, where in every_candidate().items() if pk > registry_end}
        world = scenario.over_loaded_core()
        try:
            with acting_as("system:scenario"), transaction.atomic():
                for build in collect("scenario", "BUILDERS"):
                    build(world)
        finally:
            tracing.candidates = every_candidate
        info.update(demo=True, demo_s=time.perf_counter() - started)
        marker.write_text(json.dumps(info))
    return info


def _time(fn, repeat: int, before_first=None) -> tuple[float, float]:
    """(first call, median of the following `repeat` calls) in seconds; `before_first` empties the caches."""
    if before_first:
        before_first()
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return first, statistics.median(runs)


def _warm_up(day: dt.date) -> None:
    """Process start-up is paid once, outside every measurement, as a running server has paid it already: the
    URLconf the figures' links import on their first reverse(), matplotlib's first figure, and WeasyPrint's fonts
    and the first layout of a table and an SVG image (cffi types parsed once, about 1 s). A synthetic one-section
    document does it, so no figure or curve of the measured report is drawn or cached beforehand."""
    from django.urls import reverse

    from peaceops.core.reporting import Figure, SitrepSection, Table
    from peaceops.reports import content
    from peaceops.reports import render as renderer

    reverse("reports:index")
    section = SitrepSection("warm_up", "Warm-up", 1, "A sentence.", [Figure("warm_up.n", "A count", 3, 2, url="/")],
                            [Table("warm_up.t", "A table", ["Name", "Count"], [["A", 1], ["B", 2]])])
    points = [[(day - dt.timedelta(days=n)).isoformat(), n] for n in range(10, 0, -1)]
    doc = {"format": content.CONTENT_FORMAT, "day": day.isoformat(), "sections": [content._section_dict(section)],
           "series": [{"key": "warm_up.curve", "title": "Warm-up", "unit": "", "points": points, "people": False}]}
    renderer.render("pdf", renderer.document_context(doc, None, public=False))


def _full_scans(day: dt.date, big: int = 100_000) -> tuple[int, list[str]]:
    """(queries, [tables with more than `big` rows that a query of the snapshot reads in full or over an index
    range]) from SQLite's query plans: the check that nothing in the sitrep reads the registry or the movements
    row by row (lookups by key on them are fine)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peaceops.reports import content

    if connection.vendor != "sqlite":
        return 0, []
    with connection.cursor() as cursor:
        tables = [name for (name,) in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        large = {t for t in tables if cursor.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] > big}
    with CaptureQueriesContext(connection) as captured:
        content.snapshot(day)
    scans = set()
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            for row in cursor.execute("EXPLAIN QUERY PLAN " + query["sql"]).fetchall():
                words = row[-1].split()
                # A full read, or an index range (an as-of on the movements would read most of them).
                if words[0] in ("SCAN", "SEARCH") and words[1] in large and (
                        words[0] == "SCAN" or "<" in row[-1] or ">" in row[-1]):
                    scans.add(f"{words[1]} ({query['sql'][:120]}…)")
    return len(captured.captured_queries), sorted(scans)


def measure(day: dt.date, repeat: int) -> dict:
    """Each output timed four ways against the empty report: a live preview (no version stored, so the content
    is gathered from the modules on every call) first with no chart drawn yet, then warm; and an approved version
    (content frozen, charts drawn at approval) first in a process that has drawn nothing, then warm."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from peaceops.core.context import acting_as
    from peaceops.reports import charts, content, services
    from peaceops.reports import render as renderer
    from peaceops.reports.models import Sitrep, StoredChart

    def generate(fmt: str, kind: str):
        def run():
            if kind == "empty":
                doc, sitrep = {"format": content.CONTENT_FORMAT, "day": day.isoformat(), "sections": [],
                               "series": []}, None
            else:
                sitrep = services.latest(day) if kind == "approved" else None
                doc = services.content_of(sitrep, day)
            return renderer.render(fmt, renderer.document_context(doc, sitrep, public=False))
        return run

    def nothing_drawn():
        charts._svg.cache_clear()
        StoredChart.objects.all().delete()

    def new_process():
        charts._svg.cache_clear()

    _warm_up(day)
    results = {}
    # Everything below is rolled back: a cached database stays as it was built.
    with transaction.atomic(), acting_as("system:bench"):
        Sitrep.objects.filter(day=day).delete()
        for fmt in ("html", "pdf"):
            results[fmt] = {"baseline": _time(generate(fmt, "empty"), repeat),
                            "live": _time(generate(fmt, "live"), repeat, nothing_drawn)}
        results["snapshot"] = _time(lambda: content.snapshot(day), repeat)
        coordinator = User.objects.get(username="coordinator")
        nothing_drawn()
        started = time.perf_counter()
        services.approve(services.start_draft(day, coordinator), User.objects.get(username="coordinator2"))
        results["approve"] = time.perf_counter() - started
        for fmt in ("html", "pdf"):
            results[fmt]["approved"] = _time(generate(fmt, "approved"), repeat, new_process)
        results["queries"], results["scans"] = _full_scans(day)
        doc = content.snapshot(day)
        transaction.set_rollback(True)
    results["sections"] = [s["key"] for s in doc["sections"]]
    results["series"] = [s["key"] for s in doc["series"]]
    return results


def use_stand_in() -> None:
    """Replace the registry's providers with the fixed test world (tests/reports/conftest.py): a filled report
    to time the rendering while the domain modules have not landed. Reported as such, never as module data."""
    from peaceops.reports import content
    from tests.reports import conftest as fixed

    content.section_providers = lambda: fixed.SECTIONS
    content.series_providers = lambda: fixed.SERIES


def _counts() -> dict:
    from peaceops.core.models import Person
    from peaceops.returns.models import Movement

    return {"persons": Person.objects.count(), "movements": Movement.objects.count()}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def report(results: dict, args, counts: dict, load: str) -> str:
    """One `### …` block of the `## Reports` section: the data set it was measured on, and its table."""
    title = (f"{args.persons:,}-person registry (`--persons {args.persons}`)" if args.persons
             else f"demo scenario at scale {args.scale:g} (`--scale {args.scale:g}`)")
    if args.stand_in:
        title = "stand-in: the fixed test world of tests/reports, not scenario data"
    command = f"python -m bench.reports.run {'--persons ' + str(args.persons) if args.persons else '--scale ' + format(args.scale, 'g')}"
    load_average = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [f"### {title[0].upper() + title[1:]}", "",
             f"`{command}`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.python_implementation()} "
             f"{platform.python_version()}, {os.cpu_count()} cores (shared), database {results['engine']}, "
             f"load average at the end {load_average}.", "",
             f"- Data: {counts['persons']:,} persons, {counts['movements']:,} movements{load}.",
             f"- Sections: {', '.join(results['sections']) or 'none'}; {len(results['series'])} curves in the content.",
             f"- Gathering the content (all sections and curves, live): median {_ms(results['snapshot'][1])}, "
             f"{results['queries']} queries; tables over 100,000 rows read in full: "
             f"{', '.join(results['scans']) or 'none'} (SQLite query plans of every query).",
             f"- Approval (gathers and freezes the content, draws its charts in both languages, internal and "
             f"public): {_ms(results['approve'])}.", "",
             "| output | baseline (empty sitrep), median | live preview, first call (nothing drawn) | live preview, "
             "median | approved version, first call (new process) | approved version, median | target | met |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for fmt in ("html", "pdf"):
        data = results[fmt]
        worst = max(*data["live"], *data["approved"])
        lines.append(f"| {fmt.upper()} | {_ms(data['baseline'][1])} | {_ms(data['live'][0])} | "
                     f"{_ms(data['live'][1])} | {_ms(data['approved'][0])} | {_ms(data['approved'][1])} | "
                     f"< {TARGETS[fmt]:.0f} s | {'yes' if worst < TARGETS[fmt] else 'NO'} |")
    lines.append("")
    return "\n".join(lines)


INTRO = """## Reports

Sitrep generation for 2020-11-21, `python -m bench.reports.run` (each data set below is one run; the numbers
to compare are those within one run). Targets: HTML < 1 s, PDF < 5 s, met only when every column is under target.
Medians of 5 calls after the first. \"Live preview\": no version stored, so each call gathers every section and
curve from the modules (what a draft shows); its first call comes after every stored chart and the process's
chart cache were emptied, so it draws every chart. \"Approved version\": the content and charts frozen at approval;
its first call comes after the process's chart cache was emptied (a new server process). Process start-up
(URLconf, matplotlib, WeasyPrint's fonts) is paid once before any measurement.
"""


def write_section(text: str) -> None:
    """Replace this data set's `### …` block in `## Reports` (added when missing), leaving the others."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    section = re.compile(r"^## Reports\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    found = section.search(current)
    body = found.group(0) if found and "\n### " in found.group(0) else INTRO
    heading = text.splitlines()[0]
    block = re.compile(rf"^{re.escape(heading)}\n.*?(?=^### |\Z)", re.DOTALL | re.MULTILINE)
    body = block.sub(lambda _m: text + "\n", body) if block.search(body) else body.rstrip("\n") + "\n\n" + text + "\n"
    body = body.rstrip("\n") + "\n\n"
    updated = section.sub(lambda _m: body, current) if found else current.rstrip("\n") + "\n\n" + body
    RESULTS.write_text(updated, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="scenario scale to load into an empty database")
    parser.add_argument("--date", default="2020-11-21")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-reports"))
    parser.add_argument("--stand-in", action="store_true",
                        help="time the fixed test world's report instead (printed, never written to RESULTS.md)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--persons", type=int, default=0,
                        help="time on the returns bench's registry of this many persons instead of the scenario")
    parser.add_argument("--db", default=str(ROOT / "var" / "bench-reports-1m.sqlite3"),
                        help="with --persons: the cached SQLite file (built when missing)")
    parser.add_argument("--rebuild", action="store_true", help="with --persons: rebuild the cached file")
    args = parser.parse_args(argv)
    built: dict = {}
    if args.persons:
        sys.path.insert(0, str(ROOT))
        built = build_or_reuse(Path(args.db), args.persons, args.rebuild)
    else:
        _setup(Path(args.data_dir))

    from django.db import connection

    from peaceops.scenario import world as scenario

    load = ""
    if args.persons:
        load = (f" (registry built in {built['build_s']:.0f} s by bench.returns.run.build, demo modules added in "
                f"{built['demo_s']:.0f} s)")
    elif not scenario.is_loaded():
        started = time.perf_counter()
        scenario.load(scale=args.scale, progress=lambda label: print(f"loading {label}…", file=sys.stderr))
        load = f" (loaded in {time.perf_counter() - started:.0f} s)"
    if args.stand_in:
        sys.path.insert(0, str(ROOT))
        use_stand_in()
    results = measure(dt.date.fromisoformat(args.date), args.repeat)
    results["engine"] = connection.vendor
    text = report(results, args, _counts(), load)
    print(text)
    if not args.no_write and not args.stand_in:
        write_section(text)
    return 0 if all(max(*results[f]["live"], *results[f]["approved"]) < TARGETS[f] for f in TARGETS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
