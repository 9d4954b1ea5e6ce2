"""The resolver's index is kept per process and checked against one stamp query per resolution: whatever another
process (or this one, without calling invalidate) changes in places and aliases is seen by the next resolution."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peaceops.ceasefire.services.workflow import enclosing_region
from peaceops.core import gazetteer
from peaceops.core.models import Place, PlaceAlias
from peaceops.core.models.places import PlaceKind

pytestmark = pytest.mark.django_db


def test_a_resolution_checks_the_index_in_one_query_and_reads_the_place_with_its_parents():
    gazetteer.resolve("Hadrut")  # the index is built
    with CaptureQueriesContext(connection) as queries:
        place = gazetteer.resolve("Гадрут").place
        assert enclosing_region(place) == place.district()  # its district, from the parents read with it
    assert len(queries.captured_queries) == 2, [q["sql"] for q in queries.captured_queries]  # stamp, place


def test_the_stamp_moves_with_every_change_of_a_place_or_an_alias():
    seen = {gazetteer.stamp()}
    place = Place.objects.get(name="Hadrut")
    place.name = "Hadrut (renamed)"
    place.save()
    seen.add(gazetteer.stamp())
    alias = PlaceAlias.objects.create(place=place, name="Hadrutik", language="en")
    seen.add(gazetteer.stamp())
    alias.name = "Hadrutique"  # edited in place: same id, same count
    alias.save()
    seen.add(gazetteer.stamp())
    alias.delete()
    seen.add(gazetteer.stamp())
    assert len(seen) == 5


def test_a_renamed_place_is_resolved_by_its_new_name_at_once():
    assert gazetteer.resolve("Hadrut").place.name == "Hadrut"
    place = Place.objects.get(name="Hadrut")
    Place.objects.filter(pk=place.pk).update(name="Tsor Hadrut")  # behind the services' back: no invalidate()
    place.save(update_fields=["updated_at"])  # only the change time moves, as any save does
    assert gazetteer.resolve("Tsor Hadrut").place.pk == place.pk


def test_a_new_alias_and_an_edited_one_are_seen_at_once():
    place = Place.objects.get(name="Hadrut")
    with pytest.raises(gazetteer.PlaceNotFound):
        gazetteer.resolve("Qirmizi Bazar")
    alias = PlaceAlias.objects.create(place=place, name="Qirmizi Bazar", language="az")
    assert gazetteer.resolve("Qirmizi Bazar").place == place
    alias.name = "Zoravan Kend"  # the same row, its name changed: the old stamp (counts, highest id) missed this
    alias.save()
    assert gazetteer.resolve("Zoravan Kend").place == place
    with pytest.raises(gazetteer.PlaceNotFound):
        gazetteer.resolve("Qirmizi Bazar")


def test_the_resolved_place_is_the_one_read_plainly():
    for name in ("Hadrut", "Shushi", "Martuni", "Stepanakret"):
        resolved = gazetteer.resolve(name).place
        plain = Place.objects.get(pk=resolved.pk)
        assert [(f.attname, getattr(resolved, f.attname)) for f in Place._meta.concrete_fields] == [
            (f.attname, getattr(plain, f.attname)) for f in Place._meta.concrete_fields]


def test_the_walk_to_the_region_agrees_with_district_for_every_place():
    places = list(Place.objects.all())
    assert any(p.kind == PlaceKind.REGION for p in places)
    for place in places:
        assert enclosing_region(place) == place.district(), place
