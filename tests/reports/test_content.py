"""Each section's figures on the fixed world, the change from D−1, and the public view's suppression."""

from __future__ import annotations

import datetime as dt

from peaceops.reports import content

DAY = dt.date(2020, 11, 21)


def _figures(doc):
    return {(s["key"], f["key"]): f for s in doc["sections"] for f in s["figures"]}


def test_sections_in_module_order_with_change_from_previous_day(db, fixed_world):
    doc = content.snapshot(DAY)
    assert [s["key"] for s in doc["sections"]] == ["ceasefire", "returns", "exchanges", "internal"]
    figures = _figures(doc)
    total = figures[("returns", "returned_total")]
    assert (total["value"], total["previous"], total["change"]) == (6950, 5650, 1300)
    period = figures[("returns", "returned_period")]
    assert (period["value"], period["previous"], period["change"]) == (1300, 1500, -200)
    assert figures[("returns", "convoys")]["value"] == 26
    assert figures[("ceasefire", "violations")]["value"] == 0
    assert figures[("exchanges", "remains_total")]["value"] == 3
    assert figures[("exchanges", "remains_total")]["change"] == 1
    assert "6,950 people have returned" in doc["sections"][1]["summary"]


def test_each_figure_keeps_its_link_to_the_records_behind_it(db, fixed_world):
    figures = _figures(content.snapshot(DAY))
    assert figures[("returns", "returned_period")]["url"] == "/returns/movements/?arrived=2020-11-21"
    assert figures[("ceasefire", "violations")]["url"] == "/ceasefire/incidents/?day=2020-11-21"


def test_a_previous_value_given_by_the_module_is_kept(db, fixed_world):
    figures = _figures(content.snapshot(dt.date(2020, 12, 13)))
    violations = figures[("ceasefire", "violations")]
    assert (violations["value"], violations["previous"], violations["change"]) == (0, 1, -1)


def test_a_module_with_nothing_to_report_is_absent(db, fixed_world):
    doc = content.snapshot(dt.date(2020, 11, 12))
    assert "returns" not in [s["key"] for s in doc["sections"]]


def test_modules_that_have_not_landed_are_absent_not_faked(db, no_modules):
    doc = content.snapshot(DAY)
    assert doc["sections"] == [] and doc["series"] == []


def test_series_run_from_the_ceasefire_to_the_day(db, fixed_world):
    doc = content.snapshot(DAY)
    cumulative = next(s for s in doc["series"] if s["key"] == "returns.cumulative")
    assert cumulative["points"][0] == ["2020-11-10", 0]
    assert cumulative["points"][-1] == ["2020-11-21", 6950]


def test_public_view_suppresses_small_counts_of_people(db, fixed_world):
    doc = content.snapshot(DAY)
    view = content.public_view(doc)
    figures = _figures(view)
    remains = figures[("exchanges", "remains_total")]
    assert remains["value"] == "<5" and remains["previous"] == "<5" and remains["change"] is None
    assert figures[("exchanges", "released")]["value"] == 0  # zero discloses nobody
    assert figures[("returns", "returned_total")]["value"] == 6950
    assert figures[("returns", "convoys")]["value"] == 26  # not a count of people
    table = next(s for s in view["sections"] if s["key"] == "returns")["tables"][0]
    assert table["rows"][1] == ["Shushi / Shusha", "<5"]
    # The report publishes the total (6,950): 6,947 shown would give the hidden 3 back by subtraction.
    assert table["rows"][0][1] == "x"
    district = next(s for s in view["sections"] if s["key"] == "ceasefire")["tables"][0]
    assert district["rows"][0] == ["Hadrut", 0, 0, 0]


def test_public_view_drops_internal_sections_links_and_small_points(db, fixed_world):
    doc = content.snapshot(DAY)
    view = content.public_view(doc)
    assert "internal" not in [s["key"] for s in view["sections"]]
    assert all(not f["url"] for s in view["sections"] for f in s["figures"])
    remains = next(s for s in view["series"] if s["key"] == "exchanges.remains")
    assert all(not content.is_small(v) for _d, v in remains["points"])
    assert ["2020-11-19", 2] not in remains["points"]
    # The staff content is untouched.
    assert _figures(doc)[("exchanges", "remains_total")]["value"] == 3


def test_diff_names_the_figures_that_changed(db, fixed_world):
    old = content.snapshot(DAY)
    new = content.snapshot(DAY)
    new["sections"][1]["figures"][1]["value"] = 6958
    changes = content.diff(old, new)
    assert changes == [{"section": "returns", "key": "returned_total", "label": "People returned in total",
                        "old": 6950, "new": 6958, "people": True}]


def test_digest_is_stable_and_sensitive(db, fixed_world):
    doc = content.snapshot(DAY)
    again = content.snapshot(DAY)
    assert content.digest(doc) == content.digest(again)
    again["sections"][0]["summary"] += " "
    assert content.digest(doc) != content.digest(again)
