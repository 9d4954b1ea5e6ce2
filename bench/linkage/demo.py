"""`python -m bench.linkage.demo [--scale 1] [--db PATH]`: the demo world's planted answers, found or not.

Builds the whole demo scenario (`peaceops.scenario.world.load`) in its own SQLite database, then runs the
registry's duplicate search (`returns.services.duplicates.find_duplicates`, the background job's service) and
reads the tracing matches the scenario made, against the known answers it planted (`world.truth`). Prints
the figures and writes the `### Demo world` subsection of bench/RESULTS.md's Linkage section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--db", help="SQLite file to build (default: a temporary one)")
    args = ap.parse_args()
    db = Path(args.db or Path(tempfile.mkdtemp()) / "demo.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peaceops.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from peaceops.exchanges.models import TracingMatch
    from peaceops.returns.models import DuplicateProposal
    from peaceops.returns.services import returned_as_of
    from peaceops.returns.services.duplicates import find_duplicates
    from peaceops.scenario.world import load

    t = time.perf_counter()
    world = load(args.scale)
    built = time.perf_counter() - t
    t = time.perf_counter()
    result = find_duplicates(None)
    searched = time.perf_counter() - t
    planted = {tuple(sorted(p)) for p in world.truth["duplicate registrations"]}
    proposed = set(DuplicateProposal.objects.values_list("left_id", "right_id"))
    tracing = dict(world.truth["tracing requests"])
    right = wrong = missed = 0
    for request_id, person_id in tracing.items():
        found = set(TracingMatch.objects.filter(request_id=request_id).values_list("person_id", flat=True))
        right += person_id in found
        wrong += len(found - {person_id})
        missed += bool(person_id) and person_id not in found
    as_of = returned_as_of(dt.date(2020, 11, 21)).total
    lines = [
        "### Demo world (planted answers)", "",
        f"Command: `python -m bench.linkage.demo --scale {args.scale:g}`: the demo scenario built ({built:.0f} s), "
        f"then the registry's duplicate search and the scenario's tracing matches checked against the answers it "
        f"planted.", "",
        "| check | figure |", "|---|---|",
        f"| registry searched | {result.people:,} people, {result.records:,} names, {searched:.1f} s |",
        f"| planted duplicate registrations found (p ≥ {result.threshold:.1f}) | {len(planted & proposed)} of "
        f"{len(planted)} |",
        f"| other proposals (false) | {len(proposed - planted)} |",
        f"| tracing requests answered right | {right} of {sum(1 for p in tracing.values() if p)} with an answer |",
        f"| tracing: requests with the person missed / false matches | {missed} / {wrong} "
        f"({sum(1 for p in tracing.values() if not p)} requests about nobody on file) |",
        f"| returned as of 2020-11-21 | {as_of:,} |", "",
        "Search summary: " + result.summary(), ""]
    text = "\n".join(lines)
    print(text)
    from bench.linkage.run import write_results

    write_results(text, subsection="Demo world")


if __name__ == "__main__":
    main()
