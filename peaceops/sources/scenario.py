"""The open-source part of the demo world: a handful of reports in the styles of a wire agency, the
contingent's bulletin (in Russian) and a party's statement, whose claims the cross-check holds against the
demo registry — including the conflict of 22 and 23 November ("more than 11,000" against "some 9,000")."""

from __future__ import annotations

from pathlib import Path

from peaceops.scenario.builders import Labelled
from peaceops.sources.extraction import PlaceIndex
from peaceops.sources.services.ingest import ingest

DEMO_DIR = Path(__file__).parent / "data" / "demo"
GRADES = {"2020-11-21-minister-returns.txt": "C3", "2020-11-22-wire-returns.txt": "B3",
          "2020-11-23-wire-returns.txt": "B2", "2020-12-07-bulletin-ru.txt": "A2",
          "2020-12-13-party-statement.txt": "C3"}


def build_sources(world) -> None:
    analyst = world.users.get("analyst")
    places = PlaceIndex.from_gazetteer()
    for path in sorted(DEMO_DIR.glob("*.txt")):
        done = ingest(path.read_bytes(), path.name, analyst, grade=GRADES.get(path.name), places=places)
        world.summary["open-source documents"] = world.summary.get("open-source documents", 0) + int(done.created)


BUILDERS = [Labelled("open-source reports", build_sources)]
