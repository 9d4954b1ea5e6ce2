"""Gazetteers in the field's formats (GeoNames dumps, OCHA COD tables) merged into the demo gazetteer: the same
place is merged by P-code or by name and distance, namesakes far apart stay apart, doubtful rows are reported,
and the resolver knows the new names at once."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from peaceops.core import gazetteer
from peaceops.core.gazetteer_import import GazetteerFileError, import_gazetteer, parse_bbox
from peaceops.core.models import AuditEvent, Place, PlaceAlias

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
GEONAMES, COD = DATA / "geonames_sample.txt", DATA / "cod_adm2_sample.csv"
REGION = "45.5,39.0,47.5,41.0"


def test_geonames_merges_the_known_town_and_adds_the_villages_the_reports_name(world):
    town = world["places"]["stepanakert"]
    before = Place.objects.count()
    report = import_gazetteer(GEONAMES, "geonames", bbox=parse_bbox(REGION))
    assert ("Stepanakert", town.name) in report.merged  # 0.3 km from the demo's point: the same town
    assert Place.objects.filter(name__in=["Stepanakert", "Khankendi"]).count() == 0
    assert not town.aliases.filter(name="LWN").exists()  # an airport code is not a name
    assert {"Hin Taghlar", "Khtsaberd", "Mets Shen"} <= set(report.created)
    assert Place.objects.count() == before + len(report.created)
    village = Place.objects.get(name="Hin Taghlar")
    assert {(a.name, a.language) for a in village.aliases.all()} >= {("Khin Taher", "en"), ("Хин Тагер", "ru"),
                                                                     ("Հին Թաղլար", "hy")}
    assert gazetteer.resolve("Хин Тагер").place == village  # the resolver uses it at once, in any script
    assert gazetteer.resolve("Khtsaberd").place.latitude is not None


def test_namesakes_far_apart_stay_two_places_and_are_reported(world):
    report = import_gazetteer(GEONAMES, "geonames", bbox=parse_bbox(REGION))
    assert Place.objects.filter(name="Sur").count() == 2
    assert any(new == "Sur" and other == "Sur" and km > 100 for new, other, km in report.namesakes)
    with pytest.raises(gazetteer.PlaceAmbiguous):
        gazetteer.resolve("Sur")


def test_left_out_rows_are_counted_and_bad_rows_named_with_their_line(world):
    report = import_gazetteer(GEONAMES, "geonames", bbox=parse_bbox(REGION))
    assert report.outside == 1 and "Baku" not in {name for name, _place in report.merged} | set(report.created)
    assert report.other_features == 1  # a stream is not a place people live in
    assert report.bad_rows == [(8, "coordinates “abc, 46.7” are not a point on Earth")]


def test_a_row_that_could_be_two_places_is_a_conflict_not_a_guess(world):
    Place.objects.create(name="Twin hamlet", kind="settlement", latitude=39.701, longitude=46.901)
    Place.objects.create(name="Twin hamlet", kind="settlement", latitude=39.699, longitude=46.899)
    report = import_gazetteer(GEONAMES, "geonames", bbox=parse_bbox(REGION))
    ((line, name, reason),) = report.conflicts
    assert (line, name) == (10, "Twin hamlet") and "could be any of" in reason
    assert Place.objects.filter(name="Twin hamlet").count() == 2


def test_a_second_import_of_the_same_file_changes_nothing(world):
    import_gazetteer(GEONAMES, "geonames", bbox=parse_bbox(REGION))
    places, aliases = Place.objects.count(), PlaceAlias.objects.count()
    again = import_gazetteer(GEONAMES, "geonames", bbox=parse_bbox(REGION))
    assert again.created == [] and again.aliases_added == 0
    assert (Place.objects.count(), PlaceAlias.objects.count()) == (places, aliases)


def test_a_dry_run_reports_the_same_and_writes_nothing(world):
    places, aliases, events = Place.objects.count(), PlaceAlias.objects.count(), AuditEvent.objects.count()
    report = import_gazetteer(GEONAMES, "geonames", bbox=parse_bbox(REGION), dry_run=True)
    assert "Hin Taghlar" in report.created
    assert (Place.objects.count(), PlaceAlias.objects.count(), AuditEvent.objects.count()) == (places, aliases, events)


def test_imported_places_are_in_the_audit_chain(world):
    before = AuditEvent.objects.count()
    import_gazetteer(GEONAMES, "geonames", bbox=parse_bbox(REGION))
    village = Place.objects.get(name="Mets Shen")
    event = AuditEvent.objects.filter(pk__gt=0).order_by("-pk").filter(object_id=str(village.pk)).first()
    assert AuditEvent.objects.count() > before and event is not None and event.actor.startswith("system:cli")


def test_cod_units_join_by_name_take_the_pcode_and_new_units_hang_under_their_parent(world):
    report = import_gazetteer(COD, "cod")
    # The demo's P-codes are PeaceOps' own (PO-…): the official ones replace them.
    assert Place.objects.get(name="Azerbaijan").pcode == "AZ"
    district = Place.objects.get(pcode="AZ0701")
    assert district.name == "Hadrut district" and district.parent == world["places"]["nk"]  # nothing overwritten
    assert district.aliases.filter(name="Гадрут", language="ru").exists()
    khojavend = Place.objects.get(pcode="AZ07")
    assert khojavend.name == "Martuni / Khojavend district"  # a half of a neutral name is a name of the place
    new = Place.objects.get(pcode="AZ0702")
    assert new.parent == khojavend and new.kind == "region"
    assert new.aliases.filter(name="Nümunə sahəsi", language="az").exists()
    assert report.bad_rows == [(4, "unit AZ0801 has no name")]
    again = import_gazetteer(COD, "cod")
    assert again.created == [] and again.aliases_added == 0


def test_the_command_reports_and_exits_3_when_rows_were_held_back(world, tmp_path):
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("places", "import", str(GEONAMES), "--format", "geonames", "--bbox", REGION, "--dry-run",
                     stdout=out)
    assert error.value.returncode == 3 and "1 bad row(s)" in str(error.value)
    text = out.getvalue()
    assert "would be written" in text and "line 8" in text and "namesake\tSur" in text
    assert not Place.objects.filter(name="Hin Taghlar").exists()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("places", "import", str(GEONAMES), "--format", "geonames", "--bbox", REGION, "--output", "json",
                     stdout=out)
    assert "Hin Taghlar" in json.loads(out.getvalue())["created"]


def test_files_that_are_not_the_format_say_so(world, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(GazetteerFileError, match="UTF-8"):
        import_gazetteer(junk, "geonames")
    table = tmp_path / "table.csv"
    table.write_text("name,lat\nX,1\n")
    with pytest.raises(GazetteerFileError, match="ADMn_PCODE"):
        import_gazetteer(table, "cod")
    with pytest.raises(CommandError) as error:
        call_command("places", "import", str(GEONAMES), "--format", "geonames", "--bbox", "47,41,45,39")
    assert error.value.returncode == 2 and "west must be less than east" in str(error.value)


def test_an_official_pcode_is_not_replaced_by_another(world):
    Place.objects.filter(name="Azerbaijan").update(pcode="AZE")
    report = import_gazetteer(COD, "cod")
    assert (2, "Azerbaijan", "its name is Azerbaijan's, whose P-code is AZE, not AZ") in report.conflicts
    assert Place.objects.get(name="Azerbaijan").pcode == "AZE"
