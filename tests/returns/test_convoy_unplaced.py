"""The households a planned convoy could not take are summarised per reason below the manifest (issue 17: the
page listed 50 identical "not placed" rows above it)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_unplaced_households_are_one_line_per_reason_after_the_manifest(client_for, corridor, household):
    household(4)
    for _n in range(12):
        household(3)
    client = client_for("returns_officer")
    response = client.post("/returns/convoys/plan/", {"corridor": corridor.pk, "date": "2020-11-23",
                                                      "buses": "10", "escort": "PK"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert html.index("Manifest") < html.index('id="unplaceable"')
    block = html[html.index('id="unplaceable"'):]
    block = block[:block.index("</details>")]
    assert len(re.findall(r"<li>", block)) == 1  # one reason, not one row per household
    assert "10 households" in block
