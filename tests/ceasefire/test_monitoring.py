"""Issue 19, part 3: decisions reopened on new evidence, sources attached without a merge and corroboration by
their reliability, OSCE-style explosions and bursts, report types that are not violations, ACLED's whole codebook."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from peaceops.ceasefire import counts, formats, imports, services, sitrep
from peaceops.ceasefire.models import Incident, Status
from peaceops.ceasefire.taxonomy import ACLED_EVENT_TYPES, SUBTYPES, VIOLATION_TYPES, acled_pair, from_acled
from peaceops.core.models import AuditEvent, Source, SourceReport
from peaceops.core.reporting import ReportingPeriod
from tests.ceasefire.conftest import local

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def _verified(file, users, **fields):
    analyst = users["analyst"]
    incident = services.claim(file(**fields), analyst)
    return services.verify(incident, analyst, "Post log and patrol findings agree.")


# --- 1. reopening a decision -------------------------------------------------------------------------------------

def test_a_verified_incident_is_reopened_on_new_evidence_and_the_decision_is_kept(file, users, world):
    incident = _verified(file, users)
    audited = AuditEvent.objects.filter(model="ceasefire.VerificationStep").count()
    reopened = services.reopen(incident, users["analyst"], "A patrol found no impact craters at the point.",
                               (world["sources"]["patrol"], "No craters at the reported point."))
    assert reopened.status == Status.REPORTED and reopened.claimed_by is None
    actions = list(reopened.steps.values_list("action", "from_status", "to_status"))
    # The earlier decision stays; the new evidence and the reopening follow it.
    assert actions[-3:] == [("verified", "under_review", "verified"), ("source_added", "verified", "verified"),
                            ("reopened", "verified", "reported")]
    assert reopened.steps.last().rationale == "A patrol found no impact craters at the point."
    assert reopened.sources.count() == 2
    assert AuditEvent.objects.filter(model="ceasefire.VerificationStep").count() == audited + 2
    # Open for review again: claim and decide afresh.
    again = services.refute(services.claim(reopened, users["analyst"]), users["analyst"], "No trace found.")
    assert again.status == Status.REFUTED


def test_a_refuted_incident_reopened_counts_again(file, users, world):
    incident = file(when=local(2020, 12, 20, 10))
    services.refute(services.claim(incident, users["analyst"]), users["analyst"], "Exercise, announced.")
    day = dt.date(2020, 12, 20)
    assert counts.daily_totals(day, day)[day] == 0
    services.reopen(incident, users["analyst"], "Footage shows impacts in the village.",
                    [(world["sources"]["intermediary"], "Impacts seen in the village.")])
    assert counts.daily_totals(day, day)[day] == 1


@pytest.mark.parametrize("reason, evidence, field", [
    ("", "patrol", "reason"),
    ("New footage.", None, "evidence"),
])
def test_reopening_needs_a_reason_and_evidence(file, users, world, reason, evidence, field):
    incident = _verified(file, users)
    steps = incident.steps.count()
    item = (world["sources"][evidence], "New report.") if evidence else None
    with pytest.raises(ValidationError) as exc:
        services.reopen(incident, users["analyst"], reason, item)
    assert field in exc.value.message_dict
    incident.refresh_from_db()
    assert incident.status == Status.VERIFIED and incident.steps.count() == steps


@pytest.mark.parametrize("status", [Status.REPORTED, Status.UNCONFIRMED])
def test_only_verified_or_refuted_decisions_are_reopened(file, users, world, status):
    incident = file()
    if status == Status.UNCONFIRMED:
        incident = services.mark_unconfirmed(services.claim(incident, users["analyst"]), users["analyst"], "thin")
    with pytest.raises(ValidationError) as exc:
        services.reopen(incident, users["analyst"], "why", (world["sources"]["patrol"], "new"))
    assert "status" in exc.value.message_dict
    assert SourceReport.objects.count() == 1  # nothing attached either


def test_reopen_on_the_page_shows_the_decision_history(client_for, file, users, world):
    incident = _verified(file, users)
    page = client_for("analyst").get(f"/ceasefire/incidents/{incident.pk}/")
    assert b'name="reopen"' in page.content
    assert b'name="reopen"' not in client_for("coordinator").get(f"/ceasefire/incidents/{incident.pk}/").content
    # Reopening is a write: read-only roles and monitors are refused.
    form = {"reason": "New footage.", "source": world["sources"]["media"].pk, "summary": "Footage of impacts."}
    assert client_for("coordinator").post(f"/ceasefire/incidents/{incident.pk}/reopen/", form).status_code == 403
    assert client_for("monitor").post(f"/ceasefire/incidents/{incident.pk}/reopen/", form).status_code == 403
    response = client_for("analyst").post(f"/ceasefire/incidents/{incident.pk}/reopen/", form)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Status.REPORTED
    page = client_for("coordinator").get(f"/ceasefire/incidents/{incident.pk}/")
    decisions = [s.action for s in page.context["decisions"]]
    assert decisions == ["verified", "reopened"]
    assert "Decision history" in page.content.decode()
    # Without a reason the form says so and nothing changes.
    refused = client_for("analyst").post(f"/ceasefire/incidents/{incident.pk}/reopen/", dict(form, reason=""))
    assert refused.status_code == 400


def test_reopen_through_the_api(api_for, file, users, world):
    incident = _verified(file, users)
    url = f"/api/ceasefire/incidents/{incident.pk}/reopen/"
    body = {"reason": "Statement withdrawn.", "evidence": [
        {"source": world["sources"]["azerbaijani-side"].pk, "summary": "Statement withdrawn."}]}
    assert api_for("coordinator").post(url, body, format="json").status_code == 403
    response = api_for("analyst").post(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "reported"
    assert [s["action"] for s in response.json()["steps"]][-1] == "reopened"
    again = api_for("analyst").post(url, body, format="json")
    assert again.status_code == 400 and "status" in again.json()


# --- 2. sources attached without a merge; corroboration follows reliability --------------------------------------

def test_two_unreliable_sources_do_not_confirm(file, users, world):
    incident = file(source="media")  # D
    services.attach_source(incident, users["analyst"], world["sources"]["hotline"], "Caller heard explosions.")  # F
    incident.refresh_from_db()
    c = services.corroboration(incident)
    assert (c.origins, c.reliable, c.confirmed) == (2, 0, False)
    assert incident.credibility == 6
    assert incident.steps.last().action == "source_added"


def test_one_reliable_source_among_two_confirms(file, users, world):
    incident = file(source="media")  # D
    services.attach_source(incident, users["analyst"], world["sources"]["intermediary"], "Delegation confirms.")  # B
    incident.refresh_from_db()
    c = services.corroboration(incident)
    assert (c.origins, c.reliable, c.confirmed) == (2, 1, True)
    assert c.sentence == "corroborated by 2 sources, of which 1 reliable"
    assert incident.credibility == 1
    assert Incident.objects.count() == 1  # no merge, no second record


def test_two_statements_of_one_party_are_one_origin(file, users, world):
    incident = file(source="armenian-side")  # C
    services.attach_source(incident, users["analyst"], world["sources"]["armenian-side"], "Second statement.")
    c = services.corroboration(incident)
    assert (c.origins, c.confirmed) == (1, False)


def test_the_items_own_grade_counts_not_the_sources(file, users, world):
    # The patrol is an A source, but this item of it is graded E: it corroborates without confirming.
    incident = file(source="media")
    services.attach_source(incident, users["analyst"], world["sources"]["patrol"], "Hearsay at a checkpoint.",
                           reliability="E")
    incident.refresh_from_db()
    assert services.corroboration(incident).reliable == 0 and incident.credibility == 6
    # An origin is as reliable as its best item on the incident.
    services.attach_source(incident, users["analyst"], world["sources"]["patrol"], "Craters found.", reliability="A")
    incident.refresh_from_db()
    c = services.corroboration(incident)
    assert (c.origins, c.reliable, c.confirmed) == (2, 1, True) and incident.credibility == 1


def test_merging_two_unreliable_reports_does_not_confirm(file, users):
    a = file("martuni", local(2020, 12, 20, 14, 0), source="media")
    b = file("martuni", local(2020, 12, 20, 14, 30), source="hotline")
    assert services.merge(a, [b], users["analyst"], "Same event.").credibility == 6


def test_attaching_is_refused_on_a_merged_incident_and_twice(file, users, world):
    a = file("martuni", local(2020, 12, 20, 14, 0))
    b = file("martuni", local(2020, 12, 20, 14, 30), source="media")
    services.merge(a, [b], users["analyst"], "Same event.")
    with pytest.raises(ValidationError):
        services.attach_source(b, users["analyst"], world["sources"]["patrol"], "x")
    with pytest.raises(ValidationError):
        services.attach_source(a, users["analyst"], a.sources.first())
    with pytest.raises(ValidationError) as exc:
        services.attach_source(a, users["analyst"], world["sources"]["patrol"], "  ")
    assert "summary" in exc.value.message_dict


def test_sources_on_the_page_and_through_the_api(client_for, api_for, file, world):
    incident = file(source="media")
    page = client_for("analyst").get(f"/ceasefire/incidents/{incident.pk}/")
    assert b'name="add_source"' in page.content
    response = client_for("analyst").post(f"/ceasefire/incidents/{incident.pk}/sources/add/", {
        "source": world["sources"]["hotline"].pk, "summary": "Caller heard it too."})
    assert response.status_code == 302
    page = client_for("coordinator").get(f"/ceasefire/incidents/{incident.pk}/")
    assert "corroborated by 2 sources, of which 0 reliable" in page.content.decode()
    assert client_for("coordinator").post(f"/ceasefire/incidents/{incident.pk}/sources/add/", {
        "source": world["sources"]["patrol"].pk, "summary": "x"}).status_code == 403
    api = api_for("analyst").post(f"/api/ceasefire/incidents/{incident.pk}/sources/", {
        "source": world["sources"]["patrol"].pk, "summary": "Craters found.", "reliability": "B"}, format="json")
    assert api.status_code == 200, api.json()
    assert api.json()["corroboration"] == {"sources": 3, "reliable": 1, "confirmed": True,
                                           "text": "corroborated by 3 sources, of which 1 reliable"}
    assert api.json()["credibility"] == 1


# --- 3. explosions and bursts ------------------------------------------------------------------------------------

def test_explosions_in_the_sitrep_sentence_and_figure(file, users, settings):
    settings.PEACEOPS_DAY_CUTOFF = "24:00"
    file(when=local(2020, 12, 20, 10), explosions=4, rounds=4)
    file(when=local(2020, 12, 20, 11), incident_type="small_arms", sub_type="automatic", bursts=3)
    file(when=local(2020, 12, 20, 12), explosions=2)
    file(when=local(2020, 12, 20, 13), incident_type="movement_restriction", sub_type="delayed", explosions=9)
    section = sitrep.ceasefire_section(ReportingPeriod.ending_on(dt.date(2020, 12, 20)))
    assert "At least 3 ceasefire violations were recorded (Martuni / Khojavend district), including 6 explosions"\
        in section.summary, section.summary
    assert "3 bursts of fire were counted." in section.summary
    assert "Also recorded: 1 restriction on the monitors' freedom of movement." in section.summary
    figures = {f.key: f for f in section.figures}
    assert figures["ceasefire.explosions"].value == 6 and figures["ceasefire.violations"].value == 3


def test_unit_counts_on_the_form_and_api_and_refused_below_zero(client_for, api_for, world):
    from tests.ceasefire.test_web_api import _form

    blank = client_for("monitor").get("/ceasefire/incidents/new/").content.decode()
    assert all(f'name="{name}"' in blank for name in ("explosions", "bursts", "rounds"))
    response = client_for("monitor").post("/ceasefire/incidents/new/", _form(world, explosions=5, rounds=7))
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.explosions, incident.bursts, incident.rounds) == (5, None, 7)
    page = client_for("monitor").get(f"/ceasefire/incidents/{incident.pk}/")
    assert "5 explosions" in page.content.decode()
    refused = client_for("monitor").post("/ceasefire/incidents/new/", _form(world, explosions=-1))
    assert refused.status_code == 200 and refused.context["form"].errors.get("explosions")
    body = {"occurred_from": "2020-12-12T10:00:00+04:00", "place_name": "Martuni", "incident_type": "small_arms",
            "sub_type": "automatic", "bursts": 4, "sources_in": [{"source": world["sources"]["patrol"].pk}]}
    created = api_for("monitor").post("/api/ceasefire/incidents/", body, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["bursts"], created.json()["explosions"]) == (4, None)
    assert api_for("monitor").post("/api/ceasefire/incidents/", dict(body, bursts=-2),
                                   format="json").status_code == 400


def test_merge_keeps_the_highest_unit_count(file, users):
    a = file("martuni", local(2020, 12, 20, 14, 0), explosions=3)
    b = file("martuni", local(2020, 12, 20, 14, 30), source="media", explosions=5, rounds=6)
    merged = services.merge(a, [b], users["analyst"], "Same event.")
    assert (merged.explosions, merged.rounds) == (5, 6)


# --- 4. report types of their own --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, sub", [("movement_restriction", "denied_access"),
                                       ("weapons_violation", "beyond_line"),
                                       ("infrastructure", "utilities"),
                                       ("civilian_casualties", "civilian_harmed")])
def test_report_types_are_filed_and_only_violations_are_counted(file, kind, sub, client_for, api_for):
    day = dt.date(2020, 12, 20)
    incident = file(when=local(2020, 12, 20, 10), incident_type=kind, sub_type=sub, injured_civilian=1)
    counted = counts.daily_totals(day, day)[day]
    assert counted == (1 if kind in VIOLATION_TYPES else 0)
    assert Incident.objects.counted().filter(pk=incident.pk).exists()  # still a report, casualties still count
    assert counts.casualties_between(day, day) == (0, 1)
    violations = client_for("analyst").get("/ceasefire/incidents/?violations=1").context["page"].paginator.count
    others = client_for("analyst").get("/ceasefire/incidents/?violations=0").context["page"].paginator.count
    assert (violations, others) == ((1, 0) if kind in VIOLATION_TYPES else (0, 1))
    by_type = client_for("analyst").get(f"/ceasefire/incidents/?type={kind}").context["page"].paginator.count
    assert by_type == 1
    listed = api_for("analyst").get("/api/ceasefire/incidents/?violations=0").json()
    assert len(listed.get("results", listed)) == (0 if kind in VIOLATION_TYPES else 1)
    hxl_out = io.StringIO()
    formats.export_hxl(Incident.objects.all(), hxl_out)
    assert kind in hxl_out.getvalue() and sub in hxl_out.getvalue()


def test_a_sub_type_of_another_report_type_is_refused(file):
    with pytest.raises(ValidationError) as exc:
        file(incident_type="movement_restriction", sub_type="mortar")
    assert "sub_type" in exc.value.message_dict


# --- 5. ACLED's codebook --------------------------------------------------------------------------------------------

def test_every_acled_pair_maps_to_a_type_and_every_sub_type_exports_an_acled_pair():
    for event_type, subs in ACLED_EVENT_TYPES.items():
        for sub in subs:
            assert from_acled(event_type, sub) is not None, (event_type, sub)
    for kind, subs in SUBTYPES.items():
        for sub in subs:
            event_type, sub_event_type = acled_pair(kind, sub)
            assert sub_event_type in ACLED_EVENT_TYPES[event_type], (kind, sub)
            assert from_acled(event_type, sub_event_type, hint=sub) == (kind, sub)  # lossless with our hint


def test_a_foreign_acled_file_of_many_event_types_imports_whole(users):
    batch = imports.import_file((DATA / "acled_events_sample.csv").read_bytes(), "acled_events_sample.csv", "acled",
                                users["analyst"])
    assert (batch.rows_saved, batch.rows_quarantined) == (8, 0), [r.errors for r in batch.quarantined_rows.all()]
    kinds = dict(Incident.objects.values_list("external_id", "incident_type"))
    assert kinds == {"XYZ901": "small_arms", "XYZ902": "shelling", "XYZ903": "small_arms",
                     "XYZ904": "civilian_casualties", "XYZ905": "other_event", "XYZ906": "other_event",
                     "XYZ907": "other_event", "XYZ908": "other_event"}
    assert Incident.objects.get(external_id="XYZ903").sub_type == "grenade"
    # The actors of a foreign file are kept as it names them; no party is alleged by the import.
    arrest = Incident.objects.get(external_id="XYZ905")
    assert "actor1: Police Forces" in arrest.notes and arrest.alleged_party is None
    # Not violations: the counts hold the three violations only.
    assert counts.daily_totals(dt.date(2020, 12, 14), dt.date(2020, 12, 18)) == {
        dt.date(2020, 12, 14): 1, dt.date(2020, 12, 15): 2, dt.date(2020, 12, 16): 0, dt.date(2020, 12, 17): 0,
        dt.date(2020, 12, 18): 0}
    # And out again: each keeps ACLED's event and sub-event type and disorder type.
    out = io.StringIO()
    formats.export_acled(Incident.objects.all(), out)
    rows = {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (rows["XYZ906"]["disorder_type"], rows["XYZ906"]["event_type"], rows["XYZ906"]["sub_event_type"]) == (
        "Demonstrations", "Protests", "Peaceful protest")
    assert (rows["XYZ907"]["event_type"], rows["XYZ907"]["sub_event_type"]) == ("Riots", "Mob violence")
    assert (rows["XYZ904"]["event_type"], rows["XYZ904"]["actor2"], rows["XYZ904"]["civilian_targeting"]) == (
        "Violence against civilians", "Civilians", "Civilian targeting")
    assert rows["XYZ905"]["country"] == "Armenia" and rows["XYZ905"]["iso"] == "51"  # Goris, in the gazetteer


def test_acled_export_fills_iso_country_and_actor2(file, world, settings):
    shelling = file("hadrut", alleged_party=world["parties"]["azerbaijani-side"],
                    alleged_by=world["sources"]["armenian-side"], explosions=3)
    restriction = file("martuni", incident_type="movement_restriction", sub_type="delayed")

    def export():
        out = io.StringIO()
        formats.export_acled(Incident.objects.all(), out)
        return {r["event_id_cnty"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}

    rows = export()
    first, second = rows[formats._event_id(shelling)], rows[formats._event_id(restriction)]
    # By default, a place in the peacekeeping area carries no country: the export settles no sovereignty.
    assert first["country"] == "" and first["iso"] == ""
    # The alleged party's counterpart, as alleged; the monitors for a restriction on their movement.
    assert (first["actor2"], first["inter2"], first["interaction"]) == ("Armenian side", "1", "11")
    assert "explosions=3" in first["tags"]
    assert (second["actor2"], second["inter2"]) == (formats.MISSION_ACTOR, "8")
    # The operator names the country its exchange with ACLED files the area under.
    settings.PEACEOPS_ACLED_AREA_COUNTRY = "Azerbaijan"
    rows = export()
    assert (rows[formats._event_id(shelling)]["country"], rows[formats._event_id(shelling)]["iso"]) == (
        "Azerbaijan", "31")


def test_units_round_trip_through_acled_and_hxl(file, users):
    from django.db import transaction

    incident = file(explosions=4, bursts=2, rounds=9)
    for fmt in ("acled", "hxl"):
        out = io.StringIO()
        formats.EXPORTERS[fmt](Incident.objects.filter(pk=incident.pk), out)
        with transaction.atomic():
            sid = transaction.savepoint()
            incident.steps.all().delete()
            Incident.objects.all().delete()
            batch = imports.import_file(out.getvalue().encode(), f"x.{fmt}.csv", fmt, users["analyst"])
            assert batch.rows_saved == 1, [r.errors for r in batch.quarantined_rows.all()]
            back = Incident.objects.get()
            assert (back.explosions, back.bursts, back.rounds) == (4, 2, 9), fmt
            transaction.savepoint_rollback(sid)


def test_cli_reopen(file, users, world, capsys):
    from django.core.management import call_command

    incident = _verified(file, users)
    source = Source.objects.get(pk=world["sources"]["patrol"].pk)
    call_command("ceasefire", "reopen", str(incident.pk), "--reason", "Patrol found no craters.",
                 "--source", source.name, "--summary", "No craters.", "--user", "analyst")
    incident.refresh_from_db()
    assert incident.status == Status.REPORTED and incident.steps.last().actor == users["analyst"]
