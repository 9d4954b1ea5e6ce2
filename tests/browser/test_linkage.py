"""The matching quality page in a real browser, wide and narrow: the figures read, nothing runs off the screen,
and a coordinator's click on "Learn from the decisions" puts a model version in use. Screenshots go to
PEACEOPS_SCREENSHOTS when it is set (for a human to look at)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture
def decided(live_world, settings):
    from peaceops.linkage.models import JobStatus, LinkageJob
    from tests.linkage.decisions import LEVELS, registry_decision, tracing_decision

    settings.PEACEOPS_LINKAGE_MIN_LABELS = 10
    for i in range(14):
        registry_decision(0.995 if i < 9 else 0.93, "confirmed", LEVELS["transposed"] if i % 3 == 0 else
                          LEVELS["exact_date"])
    for p, status in [(0.92, "rejected"), (0.95, "proposed"), (0.62, "confirmed"), (0.58, "rejected"),
                      (0.55, "rejected")]:
        registry_decision(p, status)
    for p, status in [(0.97, "confirmed"), (0.81, "confirmed"), (0.74, "rejected"), (0.52, "rejected")]:
        tracing_decision(p, status)
    LinkageJob.objects.create(kind="registry", backend="duckdb", status=JobStatus.DONE,
                              summary="3,412 people compared (3,518 names): 12 new proposals, 4 still open, "
                                      "20 already decided, threshold 0.90.")
    LinkageJob.objects.create(kind="tracing", backend="duckdb", status=JobStatus.RUNNING,
                              progress="scoring candidate pairs")


def _shot(page, name: str) -> None:
    folder = os.environ.get("PEACEOPS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_quality_page_reads_at_any_width(browser_page, decided, width):
    from peaceops.linkage.models import ModelVersion

    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "coordinator")
    page.goto("/linkage/quality/")
    assert page.locator("#quality-registry").is_visible() and page.locator("#quality-tracing").is_visible()
    assert "scoring candidate pairs" in page.text_content("#job-list")
    # Nothing wider than the screen: the tables stack on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    _shot(page, f"linkage-quality-{width}.png")
    if width == 1366:
        page.click("text=Learn from the decisions")
        page.wait_for_load_state()
        version = ModelVersion.objects.get(active=True)
        assert f"version {version.pk}" in page.text_content("#model")
        _shot(page, f"linkage-quality-learnt-{width}.png")
