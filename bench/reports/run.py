"""Time the daily sitrep (HTML and PDF) on whatever scenario data is present, against a baseline in the same run.

    python -m bench.reports.run [--scale 1.0] [--date 2020-11-21] [--repeat 5] [--stand-in] [--no-write]

It uses its own SQLite database under var/bench-reports (or DATABASE_URL when set), loads the demo scenario at
`--scale` if that database is empty, and writes the figures into the `## Reports` section of bench/RESULTS.md.
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


def _time(fn, repeat: int) -> tuple[float, float]:
    """(first call, median of the following `repeat` calls) in seconds."""
    started = time.perf_counter()
    fn()
    first = time.perf_counter() - started
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return first, statistics.median(runs)


def measure(day: dt.date, repeat: int) -> dict:
    from peaceops.reports import charts, content, services
    from peaceops.reports import render as renderer

    def generate(fmt: str, empty: bool):
        def run():
            if empty:
                doc = {"format": content.CONTENT_FORMAT, "day": day.isoformat(), "sections": [], "series": []}
            else:
                doc = services.content_of(services.latest(day), day)
            return renderer.render(fmt, renderer.document_context(doc, None, public=False))
        return run

    results = {}
    # Process start-up (WeasyPrint's fonts, matplotlib's first figure, the URLconf that the figures' links import
    # on their first reverse()) is paid once, outside every measurement; a running server has paid it already.
    from django.urls import reverse

    reverse("reports:index")
    generate("pdf", True)()
    charts.series_svg("warm-up", "", [(day, 1)])
    for fmt in ("html", "pdf"):
        charts._svg.cache_clear()  # the first sitrep call draws every curve afresh ("cold")
        results[fmt] = {"baseline": _time(generate(fmt, True), repeat), "sitrep": _time(generate(fmt, False), repeat)}
    doc = content.snapshot(day)
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


def _people() -> int:
    from peaceops.core.models import Person

    return Person.objects.count()


def report(results: dict, args, people: int, load_seconds: float | None) -> str:
    loaded = f" (loaded in {load_seconds:.0f} s)" if load_seconds else ""
    sections = ", ".join(results["sections"]) or "none (no module has landed a sitrep.py)"
    header = ("| data | output | baseline (empty sitrep), median | sitrep, median | sitrep, first call (cold) "
              "| ratio | target | met |")
    run = (f"Sitrep generation for {args.date} (`python -m bench.reports.run --scale {args.scale}`), "
           f"{time.strftime('%Y-%m-%d')}, {platform.python_implementation()} {platform.python_version()}, "
           f"{os.cpu_count()} cores, database {results['engine']}.")
    lines = ["## Reports", "", run, "",
             f"- Scenario: scale {args.scale}, {people:,} persons in the registry{loaded}.",
             f"- Sections present: {sections}; curves: {', '.join(results['series']) or 'none'}.", "",
             header, "|---|---|---:|---:|---:|---:|---:|---|"]
    for label, data in [("scenario", results)] + ([("stand-in", results["stand_in"])] if "stand_in" in results
                                                  else []):
        for fmt in ("html", "pdf"):
            (_bf, base), (first, median) = data[fmt]["baseline"], data[fmt]["sitrep"]
            met = "yes" if max(first, median) < TARGETS[fmt] else "NO"
            lines.append(f"| {label} | {fmt.upper()} | {base * 1000:.0f} ms | {median * 1000:.0f} ms | "
                         f"{first * 1000:.0f} ms | {median / base:.2f}× | < {TARGETS[fmt]:.0f} s | {met} |")
    note = (f"Median of {args.repeat} runs; \"first call\" draws every chart afresh (curves are cached per "
            "process afterwards). The baseline renders the same templates with no module sections.")
    lines += ["", note]
    if "stand_in" in results:
        stand_in = results["stand_in"]
        note = ("\"stand-in\" is the fixed test world of tests/reports (sections "
                f"{', '.join(stand_in['sections'])}; curves {', '.join(stand_in['series'])}), timed so the "
                "rendering cost of a filled report is known before the modules land; it is not scenario data.")
        lines.append(note)
    lines.append("")
    return "\n".join(lines)


def write_section(text: str) -> None:
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    pattern = re.compile(r"^## Reports\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    updated = pattern.sub(lambda _m: text + "\n", current) if pattern.search(current) else (
        current.rstrip("\n") + "\n\n" + text + "\n")
    RESULTS.write_text(updated, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="scenario scale to load into an empty database")
    parser.add_argument("--date", default="2020-11-21")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-reports"))
    parser.add_argument("--stand-in", action="store_true",
                        help="also time the fixed test world's filled report (rendering cost without modules)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args(argv)
    _setup(Path(args.data_dir))

    from django.db import connection

    from peaceops.scenario import world as scenario

    load_seconds = None
    if not scenario.is_loaded():
        started = time.perf_counter()
        scenario.load(scale=args.scale, progress=lambda label: print(f"loading {label}…", file=sys.stderr))
        load_seconds = time.perf_counter() - started
    results = measure(dt.date.fromisoformat(args.date), args.repeat)
    results["engine"] = connection.vendor
    if args.stand_in:
        sys.path.insert(0, str(ROOT))
        use_stand_in()
        results["stand_in"] = measure(dt.date.fromisoformat(args.date), args.repeat)
    text = report(results, args, _people(), load_seconds)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0 if all(max(results[f]["sitrep"]) < TARGETS[f] for f in TARGETS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
