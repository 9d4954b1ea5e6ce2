"""The demo world's open-source reports against the demo registry: the seed's "almost 7,000" as of 21 November
is consistent, 22 November's "more than 11,000" is not and contradicts 23 November's "some 9,000", the
contingent's Russian bulletin agrees with the registry, and a party's count of violations above the monitors'
is a lead. Built at scale 1, as the demo is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peaceops.ceasefire.scenario import BUILDERS as CEASEFIRE_BUILDERS
from peaceops.core.reporting import ReportingPeriod
from peaceops.returns.scenario import build_returns
from peaceops.scenario.world import over_loaded_core
from peaceops.sources.models import Claim, Verdict
from peaceops.sources.scenario import build_sources
from peaceops.sources.services.ingest import ingest
from peaceops.sources.sitrep import claims_section

D = dt.date
SEED = "seed/shoigu-2020-11-21.txt"


def _seed_path() -> Path | None:
    here = Path(__file__).resolve()
    for base in [*here.parents, Path("/work")]:
        candidate = base / "shared" / SEED
        if candidate.is_file():
            return candidate
    return None


@pytest.fixture
def demo(db):
    world = over_loaded_core()
    build_returns(world)
    for build in CEASEFIRE_BUILDERS:
        build(world)
    build_sources(world)
    return world


def _claim(kind, period, day, value):
    return Claim.objects.get(kind=kind, period=period, as_of=day, value=value)


@pytest.mark.slow
def test_demo_reports_against_the_demo_registry(demo):
    seedlike = _claim("returned", "cumulative", D(2020, 11, 21), 7000)
    assert seedlike.qualifier == "almost" and seedlike.verdict == Verdict.CONSISTENT
    more = _claim("returned", "cumulative", D(2020, 11, 22), 11000)
    assert more.verdict == Verdict.INCONSISTENT and "fewer than that" in more.verdict_reason
    some = _claim("returned", "cumulative", D(2020, 11, 23), 9000)
    assert some.verdict == Verdict.CONSISTENT
    assert set(more.contradicts.all()) == {some} and set(some.contradicts.all()) == {more}
    assert _claim("returned", "day", D(2020, 11, 22), 1300).verdict == Verdict.CONSISTENT
    assert _claim("buses", "day", D(2020, 11, 22), 32).verdict == Verdict.CONSISTENT
    assert _claim("returned", "day", D(2020, 12, 6), 879).verdict == Verdict.CONSISTENT
    violations = Claim.objects.get(kind="violations", as_of=D(2020, 12, 12))
    assert violations.party.code == "armenian-side" and violations.place.name == "Hadrut"
    assert violations.verdict == Verdict.UNVERIFIABLE and "lead for the monitors" in violations.verdict_reason
    section = claims_section(ReportingPeriod.ending_on(D(2020, 11, 22)))
    assert section.public is False and "inconsistent" in section.summary
    assert any(f"#{more.pk}" == row[0] for row in section.tables[0].rows)

    seed = _seed_path()
    if seed is not None:  # the founding document itself, where the shared folder is beside the code
        document = ingest(seed.read_bytes(), seed.name, demo.users["analyst"], grade="B2").document
        claim = document.claims.get(kind="returned")
        assert (claim.value, claim.qualifier, claim.as_of) == (7000, "almost", D(2020, 11, 21))
        assert claim.verdict == Verdict.CONSISTENT
