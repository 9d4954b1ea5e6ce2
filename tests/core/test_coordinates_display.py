"""A point reads "39.520000, 47.058800" on every page language: a Russian page printed "39,520000, 47,058800",
where the decimal commas cannot be told from the comma between latitude and longitude."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db

TAG = Template("{% load coordinates %}[{% coordinates lat lon %}]")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_point_keeps_decimal_points_in_every_language(language):
    with translation.override(language):
        assert TAG.render(Context({"lat": Decimal("39.52"), "lon": Decimal("47.0588")})) == "[39.520000, 47.058800]"
        assert TAG.render(Context({"lat": -0.5, "lon": 180})) == "[-0.500000, 180.000000]"


def test_a_missing_half_shows_nothing_rather_than_a_half_point():
    assert TAG.render(Context({"lat": Decimal("39.5"), "lon": None})) == "[]"
    assert TAG.render(Context({"lat": "", "lon": Decimal("47")})) == "[]"


def test_the_place_page_in_russian_separates_the_two_numbers(client_for, world):
    place = next(p for p in world["places"].values() if p.latitude is not None)
    client = client_for("coordinator")
    client.cookies["django_language"] = "ru"
    html = client.get(f"/places/{place.pk}/").content.decode()
    assert f"<dd>{place.latitude:.6f}, {place.longitude:.6f}</dd>" in html
    assert f"{place.latitude:.6f}".replace(".", ",") not in html
