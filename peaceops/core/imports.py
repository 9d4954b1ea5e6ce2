"""Gazetteer import: places with their names in each language, from CSV, XLSX or HXL."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from peaceops.core import gazetteer, services
from peaceops.core.forms import parse_coordinate
from peaceops.core.importing import Column, ImportSpec, RowProblems
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind

ALIAS_COLUMNS = {"name_hy": "hy", "name_az": "az", "name_ru": "ru", "name_en": "en"}


def _resolve_parent(name: str) -> Place | str:
    """The place, or the reason it cannot be found (cached like a place, so a bad name is looked up once)."""
    try:
        return gazetteer.resolve(name).place
    except (gazetteer.PlaceNotFound, gazetteer.PlaceAmbiguous) as exc:
        return str(exc)


def save_place_row(values: dict[str, str], context) -> Place:
    """One place with its names; a bad row is refused with every one of its problems, each under its column."""
    problems = RowProblems()
    kind = values.get("kind") or PlaceKind.SETTLEMENT
    if kind not in PlaceKind.values:
        problems.add("kind", f"“{kind}” is not one of: {', '.join(PlaceKind.values)}")
    parent = None
    if values.get("parent"):
        # Each saved place invalidates the gazetteer's index; resolving a district once per import (the cache is
        # emptied whenever a row is rolled back) keeps a long file from rebuilding the index for every row.
        parent = context.cached(("core.places.parent", values["parent"]), lambda: _resolve_parent(values["parent"]))
        if isinstance(parent, str):
            problems.add("parent", parent)
            parent = None
    lat, lon = values.get("latitude"), values.get("longitude")
    if bool(lat) != bool(lon):
        problems.add("latitude" if not lat else "longitude", "give both latitude and longitude, or neither")
    latitude = problems.check("latitude", lambda: parse_coordinate(lat, "lat")) if lat else None
    longitude = problems.check("longitude", lambda: parse_coordinate(lon, "lon")) if lon else None
    population = values.get("population") or None
    if population is not None and not population.isdigit():
        problems.add("population", f"“{population}” is not a whole number")
    problems.raise_if_any()
    place = Place.objects.filter(pcode=values["pcode"]).first() if values.get("pcode") else None
    place = place or Place()
    place.name = values["name"]
    place.kind = kind
    place.parent = parent
    place.latitude, place.longitude = latitude, longitude
    place.pcode = values.get("pcode", "")
    place.population = int(population) if population else None
    with transaction.atomic():
        services.save_place(place)
        existing = set(place.aliases.values_list("name", "language"))
        for column, language in ALIAS_COLUMNS.items():
            for name in filter(None, (n.strip() for n in values.get(column, "").split(";"))):
                if (name, language) not in existing:
                    services.add_alias(place, name, language)
    return place


IMPORTERS = [
    ImportSpec(
        key="core.places",
        label=_("Gazetteer places"),
        capability="core.edit_gazetteer",
        description=_("One row a place; several names in one cell are separated by “;”. Rows with a known "
                      "P-code update that place."),
        columns=(
            Column("name", hxl="#loc+name", required=True),
            Column("kind", hxl="#loc+type"),
            Column("parent", hxl="#adm1+name", aliases=("district",)),
            Column("latitude", hxl="#geo+lat", aliases=("lat",)),
            Column("longitude", hxl="#geo+lon", aliases=("lon", "lng")),
            Column("pcode", hxl="#loc+code", aliases=("p-code",)),
            Column("population", hxl="#population"),
            Column("name_hy", hxl="#loc+name+i_hy"),
            Column("name_az", hxl="#loc+name+i_az"),
            Column("name_ru", hxl="#loc+name+i_ru"),
            Column("name_en", hxl="#loc+name+i_en"),
        ),
        save_row=save_place_row,
    )
]
