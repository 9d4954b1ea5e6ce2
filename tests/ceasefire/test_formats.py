"""ACLED and HXL exports (columns checked, HXL validated with libhxl), imports with line errors, round trips."""

from __future__ import annotations

import csv
import io

import hxl
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from peaceops.ceasefire import formats, imports
from peaceops.ceasefire.models import Incident
from peaceops.intake import tabular
from tests.ceasefire.conftest import local

pytestmark = pytest.mark.django_db

# ACLED's 31 columns, in ACLED's order, as in its codebook (written out here independently of the exporter).
ACLED_CODEBOOK = ("event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 "
                  "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country "
                  "admin1 admin2 admin3 location latitude longitude geo_precision source source_scale notes "
                  "fatalities tags timestamp").split()


def _import(text: str, fmt: str, user):
    return imports.import_file(text.encode(), f"incidents-{fmt}.csv", fmt, user)


def _errors(batch) -> dict[int, str]:
    return {row.line: "; ".join(row.errors) for row in batch.quarantined_rows.all()}


def _export(fmt, qs=None) -> str:
    out = io.StringIO()
    formats.EXPORTERS[fmt](qs if qs is not None else Incident.objects.all(), out)
    return out.getvalue()


@pytest.fixture
def sample(file, world):
    a = file("hadrut", local(2020, 12, 12, 9, 30), source="armenian-side", killed_military=1, injured_civilian=2,
             alleged_party=world["parties"]["azerbaijani-side"], alleged_by=world["sources"]["armenian-side"],
             weapons="82 mm mortar", notes="Rounds landed near the road.")
    b = file("martuni", local(2020, 12, 20, 15), incident_type="small_arms", sub_type="automatic",
             bearing="NE", distance_km=2)
    return [a, b]


def test_acled_export_has_acleds_31_columns_and_taxonomy(sample):
    rows = list(csv.DictReader(io.StringIO(_export("acled"))))
    assert len(ACLED_CODEBOOK) == 31
    assert list(rows[0].keys()) == ACLED_CODEBOOK
    first = rows[0]
    assert (first["event_type"], first["sub_event_type"]) == ("Explosions/Remote violence",
                                                             "Shelling/artillery/missile attack")
    assert first["disorder_type"] == "Political violence"
    assert (first["actor1"], first["inter1"], first["actor2"], first["inter2"], first["interaction"]) == (
        "Azerbaijani side", "1", "Civilians", "7", "17")
    assert "as alleged by Armenian side, official statements" in first["notes"]
    assert first["fatalities"] == "1" and first["event_date"] == "2020-12-12" and first["admin2"].startswith("Hadrut")
    assert first["country"] == ""  # the peacekeeping area's status is not settled by an export
    assert (rows[1]["event_type"], rows[1]["sub_event_type"], rows[1]["inter1"], rows[1]["interaction"]) == (
        "Battles", "Armed clash", "3", "30")


def test_hxl_export_is_valid_for_libhxl(sample):
    text = _export("hxl")
    dataset = hxl.data(list(csv.reader(io.StringIO(text))))
    assert "#date+start" in dataset.display_tags and "#affected+killed+military" in dataset.display_tags
    report = hxl.validate(dataset, hxl.data(formats.HXL_SCHEMA))
    assert report["is_valid"], report
    assert formats.validate_hxl(text) == []


def test_libhxl_catches_a_bad_hxl_file(sample, users):
    text = _export("hxl")
    rows = list(csv.reader(io.StringIO(text)))
    tags = [t for _h, t, _k in formats.HXL_COLUMNS]
    rows[2][tags.index("#affected+killed+military")] = "-3"
    for number, row in enumerate(rows[2:], start=1):  # ids the system does not know yet
        row[tags.index("#event+id")] = f"X-{number}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    problems = formats.validate_hxl(out.getvalue())
    assert any(p.startswith("line 3: #affected") and "military" in p and "killed" in p for p in problems), problems
    # The import's own row rules refuse the same row, with its line, and keep the good one.
    batch = _import(out.getvalue(), "hxl", users["analyst"])
    assert (batch.rows_saved, batch.rows_quarantined) == (1, 1)
    assert "killed_military" in _errors(batch)[3]
    assert Incident.objects.filter(external_id="X-2").exists() and not Incident.objects.filter(external_id="X-1")


@pytest.mark.parametrize("fmt", ["acled", "hxl"])
def test_round_trip(sample, users, fmt):
    text = _export(fmt)
    before = {i.pk: i for i in Incident.objects.all()}
    # Re-importing our own export is idempotent.
    again = _import(text, fmt, users["analyst"])
    assert (again.rows_skipped, again.rows_saved, Incident.objects.count()) == (2, 0, 2)
    # Into a system that does not know them yet: every field that the format carries comes back.
    with transaction.atomic():
        sid = transaction.savepoint()
        for incident in before.values():
            incident.steps.all().delete()
        Incident.objects.all().delete()
        result = _import(text, fmt, users["analyst"])
        assert (result.rows_quarantined, result.rows_saved) == (0, 2), _errors(result)
        back = list(Incident.objects.order_by("occurred_from"))
        transaction.savepoint_rollback(sid)
    for old, new in zip(sorted(before.values(), key=lambda i: i.occurred_from), back, strict=True):
        for name in ("occurred_from", "occurred_to", "time_precision", "incident_type", "sub_type", "place_id",
                     "latitude", "longitude", "killed_military", "injured_civilian", "alleged_party_id",
                     "alleged_by_id", "district_id"):
            assert getattr(new, name) == getattr(old, name), name


def test_import_of_a_foreign_acled_file_with_line_numbered_errors(users):
    header = ",".join(ACLED_CODEBOOK)
    good = {c: "" for c in ACLED_CODEBOOK} | {
        "event_id_cnty": "AZE123", "event_date": "2020-12-14", "time_precision": "1",
        "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "Unidentified", "location": "Xocavənd", "latitude": "39.795", "longitude": "47.113",
        "geo_precision": "2", "source": "Media reports", "fatalities": "0"}
    bad = dict(good, event_id_cnty="AZE124", sub_event_type="Peaceful protest", location="Atlantis", latitude="")
    text = header + "\n" + "\n".join(",".join(row[c] for c in ACLED_CODEBOOK) for row in (good, bad)) + "\n"
    batch = _import(text, "acled", users["analyst"])
    # The good row is kept; the bad one waits in the quarantine with its line and every reason.
    assert (batch.rows_saved, batch.rows_quarantined) == (1, 1)
    reasons = _errors(batch)[3]
    assert "Peaceful protest" in reasons
    incident = Incident.objects.get()
    assert incident.external_id == "AZE123" and incident.place.name == "Martuni / Khojavend"
    row = batch.quarantined_rows.get()
    fixed = dict(row.values, sub_event_type="Shelling/artillery/missile attack", location="Hadrut",
                 latitude="39.520")
    assert tabular.resubmit(row, fixed, users["analyst"]) == []
    assert Incident.objects.get(external_id="AZE124").place.name.startswith("Hadrut")
    # The source's own ids make a second import a no-op.
    again = _import(text, "acled", users["analyst"])
    assert (again.rows_skipped, again.rows_saved, Incident.objects.count()) == (2, 0, 2)


def test_cli_export_import_counts(sample, tmp_path, capsys, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    out = io.StringIO()
    call_command("ceasefire", "export", "--format", "acled", "--from", "2020-12-12", "--to", "2020-12-12", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1 and rows[0]["location"] == "Hadrut"
    path = tmp_path / "export.csv"
    path.write_text(out.getvalue())
    out = io.StringIO()
    call_command("ceasefire", "import", "--format", "acled", str(path), stdout=out)
    assert "0 imported, 1 already known, 0 quarantined of 1 rows" in out.getvalue()
    bad = path.read_text().splitlines()
    bad.append(bad[1].replace(rows[0]["event_id_cnty"], "AZE999").replace("Hadrut", "Atlantis")
               .replace(rows[0]["latitude"], ""))
    path.write_text("\n".join(bad) + "\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("ceasefire", "import", "--format", "acled", str(path), stdout=out, stderr=err)
    assert failure.value.returncode == 3 and "/intake/batches/" in str(failure.value)
    assert err.getvalue().startswith("export.csv:3: ") and "Atlantis" in err.getvalue()
    assert "0 imported, 1 already known, 1 quarantined of 2 rows" in out.getvalue()
    out = io.StringIO()
    call_command("ceasefire", "counts", "--from", "2020-12-11", "--to", "2020-12-13", stdout=out)
    assert out.getvalue().splitlines() == ["day,violations_at_least,change,running_total",
                                           "2020-12-11,0,+0,0", "2020-12-12,1,+1,1", "2020-12-13,0,-1,1"]


def test_web_and_api_exports(client_for, api_for, sample):
    web = client_for("coordinator").get("/ceasefire/incidents/export/?format=hxl")
    assert web.status_code == 200 and formats.validate_hxl(web.content.decode()) == []
    api = api_for("analyst").get("/api/ceasefire/incidents/export/acled/?from=2020-12-20")
    assert [r["event_date"] for r in csv.DictReader(io.StringIO(api.content.decode()))] == ["2020-12-20"]
    assert client_for("monitor").get("/ceasefire/incidents/export/?format=acled").status_code == 404


def test_generic_intake_imports_our_hxl_and_quarantines_bad_rows(sample, users):
    from peaceops.intake.registry import importers
    from peaceops.intake.tabular import run_import

    text = _export("hxl")
    lines = text.splitlines()
    fresh = lines[2].replace("PO-", "XX-", 1)  # an id this system has not seen
    broken = lines[3].replace("small_arms", "shelling", 1).replace("PO-", "YY-", 1)  # sub-type not of its type
    data = "\n".join([lines[0], lines[1], lines[2], fresh, broken]).encode()
    before = Incident.objects.count()
    batch = run_import(importers()["ceasefire.incidents"], data, "incidents.csv", users["analyst"])
    assert Incident.objects.count() == before + 1
    reasons = {row.line: " ".join(row.errors) for row in batch.quarantined_rows.all()}
    # Line 3 is already known: skipped, not quarantined (re-importing a file is harmless).
    assert set(reasons) == {5} and "sub_type" in reasons[5], reasons
    assert (batch.rows_saved, batch.rows_skipped, batch.rows_quarantined) == (1, 1, 1)


def test_page_api_and_command_export_through_one_window_and_one_audit_event(client_for, api_for, sample, settings):
    """Issue 18: the export's reporting-day window and its audit event are written once
    (`peaceops.ceasefire.services.exports`); the three ways in differ only in how they name themselves."""
    from peaceops.core.models import AuditEvent

    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    web = client_for("coordinator").get("/ceasefire/incidents/export/?format=acled&from=2020-12-12&to=2020-12-12")
    api = api_for("analyst").get("/api/ceasefire/incidents/export/acled/?from=2020-12-12&to=2020-12-12")
    out = io.StringIO()
    call_command("ceasefire", "export", "--format", "acled", "--from", "2020-12-12", "--to", "2020-12-12", stdout=out)
    rows = [list(csv.DictReader(io.StringIO(text))) for text in (web.content.decode(), api.content.decode(),
                                                                out.getvalue())]
    assert [[r["location"] for r in found] for found in rows] == [["Hadrut"]] * 3
    events = list(AuditEvent.objects.filter(action="export", model="ceasefire.Incident").order_by("-id")[:3])
    assert [(e.object_repr, e.actor, e.detail["count"]) for e in reversed(events)] == [
        ("acled export", "coordinator", 1), ("acled export (API)", "analyst", 1), ("acled export (CLI)", "system:cli", 1)]
