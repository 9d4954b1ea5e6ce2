"""Identification of the dead: ante-mortem data and relatives, post-mortem data and recovery sites, DNA samples,
the laboratory's CSV → proposed identification → officer's confirmation (audited, reversible), the AM/PM
comparison, the family page, the sitrep's weekly DNA figure. Exchange officers only."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from peaceops.core.models import AuditEvent
from peaceops.core.reporting import ReportingPeriod
from peaceops.exchanges.models import (
    AmPmCandidate,
    AnteMortem,
    DnaMatch,
    FamilyContact,
    MissingCase,
    PostMortem,
    RemainsCase,
    SampleKind,
    TracingMatch,
    TracingRequest,
)
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services import identification as ident
from peaceops.exchanges.services.cases import hand_over_remains, open_missing_case
from peaceops.exchanges.services.people import create_person
from peaceops.exchanges.sitrep import exchanges_section

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
       b"identification-test")  # its own bytes: another test tampers with a stored copy of the plain PNG


@pytest.fixture
def missing(world):
    person = create_person("Արամ Պետրոսյան", sex="M", birth_date="1990-03-02", father_name="Գագիկ")
    return open_missing_case(person, reported_by="his mother", reported_on=dt.date(2020, 11, 20),
                             last_seen_on=dt.date(2020, 10, 20))


@pytest.fixture
def remains(world):
    return RemainsCase.objects.create(reference="RM-T1", recovered_on=dt.date(2020, 11, 25),
                                      holding_party=world["parties"]["armenian-side"],
                                      received_on=dt.date(2020, 11, 26), dna_required=True)


@pytest.fixture
def linked(missing, remains):
    """A relative with a reference sample, remains with a sample, both with AM / PM data that agree."""
    mother = ident.add_family_contact(missing, name="Relative A", relationship="mother", consent_to_share=True,
                                      contact="via the tracing office")
    ident.save_ante_mortem(missing, collected_from=mother, collected_on=dt.date(2020, 11, 22),
                           age_at_disappearance=30, stature_cm=178, dental_missing="36, 46",
                           clothing="dark green jacket", effects="silver ring, wristwatch")
    site = ident.record_recovery_site(reference="RS-T1", latitude=39.8, longitude=46.75)
    ident.save_post_mortem(remains, recovery_site=site, sex_estimate="M", age_min=25, age_max=35,
                           stature_min_cm=174, stature_max_cm=182, dental_missing="36, 46, 47",
                           effects="wristwatch, silver ring")
    ref = ident.register_sample(kind=SampleKind.REFERENCE, donor=mother, sample_id="REF-1", laboratory="Lab",
                                taken_on=dt.date(2020, 11, 23))
    pm = ident.register_sample(kind=SampleKind.REMAINS, remains_case=remains, sample_id="PM-1", laboratory="Lab",
                               taken_on=dt.date(2020, 11, 27))
    return {"mother": mother, "site": site, "ref": ref, "pm": pm}


PAGES = ["/exchanges/identification/", "/exchanges/identification/missing/{m}/",
         "/exchanges/identification/remains/{r}/", "/exchanges/identification/sites/", "/exchanges/family/{p}/"]
API = ["/api/exchanges/ante-mortem/", "/api/exchanges/post-mortem/", "/api/exchanges/dna-matches/",
       "/api/exchanges/family-contacts/", "/api/exchanges/ampm-candidates/", "/api/exchanges/dna-samples/",
       "/api/exchanges/recovery-sites/"]


@pytest.mark.parametrize("role", ["coordinator", "monitor", "analyst", "returns_officer", "engineer", "admin"])
def test_nobody_but_exchange_officers_reaches_identification(role, missing, remains, linked, client_for, api_for):
    client, api = client_for(role), api_for(role)
    for url in PAGES:
        assert client.get(url.format(m=missing.pk, r=remains.pk, p=missing.person_id)).status_code == 404, url
    for url in API:
        assert api.get(url).status_code == 404, url
    # the coordinator still reads the case file, without the links to what it may not open
    if role == "coordinator":
        page = client.get(f"/exchanges/cases/missing/{missing.pk}/").content.decode()
        assert "identification-links" not in page


def test_officer_pages_render_and_every_read_is_audited(missing, remains, linked, client_for, api_for):
    client = client_for("exchange_officer")
    for url in PAGES:
        assert client.get(url.format(m=missing.pk, r=remains.pk, p=missing.person_id)).status_code == 200, url
    reads = AuditEvent.objects.filter(action="read", actor="exchange_officer")
    assert reads.filter(model="exchanges.AnteMortem").exists()
    assert reads.filter(model="exchanges.PostMortem").exists()
    assert reads.filter(model="exchanges.RecoverySite").exists()
    api = api_for("exchange_officer")
    for url in API:
        assert api.get(url).status_code == 200, url
    body = api.get(f"/api/exchanges/ante-mortem/{missing.ante_mortem.pk}/").json()
    assert body["dental_missing"] == "36, 46"
    assert reads.filter(model="exchanges.AnteMortem", detail__purpose="api").exists()


def test_ante_mortem_and_relatives_through_the_web(missing, client_for):
    client = client_for("exchange_officer")
    base = f"/exchanges/identification/missing/{missing.pk}"
    client.post(f"{base}/contact/", {"name": "Relative B", "relationship": "sister", "consent_to_share": "on",
                                     "contact": "phone via the office", "recorded_on": "2020-11-21"})
    sister = FamilyContact.objects.get(missing_case=missing)
    assert sister.consent_to_share and sister.relationship == "sister"
    client.post(f"{base}/ante-mortem/", {"collected_from": sister.pk, "collected_on": "2020-11-22",
                                         "stature_cm": "171", "dental_missing": "11, 99"})
    assert not AnteMortem.objects.exists()  # 99 is not a tooth
    client.post(f"{base}/ante-mortem/", {"collected_from": sister.pk, "collected_on": "2020-11-22",
                                         "stature_cm": "171", "dental_missing": "11"})
    assert AnteMortem.objects.get().stature_cm == 171
    client.post(f"{base}/ante-mortem/", {"collected_from": sister.pk, "collected_on": "2020-11-22",
                                         "stature_cm": "172", "dental_missing": "11"})
    am = AnteMortem.objects.get()
    assert am.stature_cm == 172 and am.history.count() == 2  # corrected, the earlier version kept
    client.post(f"{base}/sample/", {"donor": sister.pk, "sample_id": "REF-9", "laboratory": "Lab",
                                    "taken_on": "2020-11-23"})
    assert missing.reference_samples.get().donor == sister
    # a photograph: images only, stored sensitive, served to the officer only
    client.post(f"{base}/photo/", {"photograph": io.BytesIO(b"<html><script>x</script>")})
    assert am.photographs.count() == 0
    upload = io.BytesIO(PNG)
    upload.name = "face.png"
    client.post(f"{base}/photo/", {"photograph": upload})
    photo = am.photographs.get()
    assert photo.sensitive
    assert client.get(f"/exchanges/identification/photographs/{photo.pk}/").status_code == 200
    assert client_for("coordinator").get(f"/exchanges/identification/photographs/{photo.pk}/").status_code == 404
    # the case file and the family page are one click apart
    page = client.get(f"/exchanges/cases/missing/{missing.pk}/").content.decode()
    assert f"/exchanges/family/{missing.person_id}/" in page
    family = client.get(f"/exchanges/family/{missing.person_id}/").content.decode()
    assert "Relative B" in family and "REF-9" in family


def test_post_mortem_and_recovery_site_through_the_api(remains, api_for, client_for):
    api = api_for("exchange_officer")
    site = api.post("/api/exchanges/recovery-sites/", {"reference": "RS-9", "latitude": 39.81, "longitude": 46.7},
                    format="json")
    assert site.status_code == 201, site.content
    bad = api.post("/api/exchanges/post-mortem/", {"remains_case": remains.pk, "age_min": 40, "age_max": 30},
                   format="json")
    assert bad.status_code == 400
    made = api.post("/api/exchanges/post-mortem/", {
        "remains_case": remains.pk, "recovery_site": site.json()["id"], "sex_estimate": "F", "age_min": 30,
        "age_max": 40, "body_or_part": "part", "recovery_team": "Team 2"}, format="json")
    assert made.status_code == 201, made.content
    assert PostMortem.objects.get().recovery_site.reference == "RS-9"
    page = client_for("exchange_officer").get(f"/exchanges/identification/sites/{site.json()['id']}/")
    assert "RM-T1" in page.content.decode()
    assert api_for("coordinator").post("/api/exchanges/recovery-sites/", {"reference": "X"},
                                       format="json").status_code == 404


def _csv(*rows: str) -> bytes:
    return ("reference_sample,remains_sample,likelihood_ratio,laboratory,reported_on\n" + "\n".join(rows)).encode()


def test_lab_import_keeps_good_rows_and_reports_bad_ones_by_line(linked, users):
    result = ident.import_lab_results(_csv(
        "REF-1,PM-1,3.2e9,Lab,2020-12-20",
        "REF-404,PM-1,1e6,Lab,2020-12-20",
        "REF-1,PM-1,abc,Other lab,2020-12-20",
        "REF-1,PM-1,1e7,Other lab,20-12-2020",
        "PM-1,REF-1,1e7,Lab,2020-12-20",
    ), users["exchange_officer"])
    assert len(result.saved) == 1 and result.saved[0].likelihood_ratio == 3.2e9
    assert [e.line for e in result.errors] == [3, 4, 5, 6]
    assert "REF-404" in result.errors[0].message and "likelihood_ratio" in result.errors[1].message
    assert "reported_on" in result.errors[2].message
    again = ident.import_lab_results(_csv("REF-1,PM-1,3.2e9,Lab,2020-12-20"))
    assert again.skipped == 1 and not again.saved and DnaMatch.objects.count() == 1
    missing_column = ident.import_lab_results(b"reference_sample,remains_sample\nREF-1,PM-1\n")
    assert missing_column.errors[0].line == 1 and "likelihood_ratio" in missing_column.errors[0].message


def test_dna_report_proposes_officer_confirms_and_may_undo_with_reason(missing, remains, linked, users,
                                                                       client_for):
    match = ident.import_lab_results(_csv("REF-1,PM-1,3.2e9,Lab,2020-12-20")).saved[0]
    remains.refresh_from_db()
    assert remains.identification_status == "unidentified" and match.status == "proposed"
    client = client_for("exchange_officer")
    assert "REF-1" in client.get("/exchanges/identification/").content.decode()
    client.post(f"/exchanges/identification/dna/{match.pk}/confirm/", {"note": "two relatives agree"})
    remains.refresh_from_db()
    missing.refresh_from_db()
    assert (remains.identification_status, remains.identification_method) == ("identified", "dna")
    assert remains.person_id == missing.person_id and missing.status == "found_deceased"
    decision = AuditEvent.objects.filter(action="decision", model="exchanges.DnaMatch").last()
    assert decision.actor == "exchange_officer" and decision.detail["status"] == "confirmed"
    # undone with a reason only
    with pytest.raises(ExchangeError):
        ident.reopen_dna_match(match, users["exchange_officer"], " ")
    client.post(f"/exchanges/identification/dna/{match.pk}/reopen/", {"note": "sample mix-up at the lab"})
    remains.refresh_from_db()
    missing.refresh_from_db()
    assert remains.identification_status == "unidentified" and remains.person_id is None
    assert missing.status == "open" and missing.closed_on is None
    assert AuditEvent.objects.filter(model="exchanges.DnaMatch").last().detail["reason"] == \
        "sample mix-up at the lab"
    # once handed over on the strength of it, no undo
    ident.confirm_dna_match(match, users["exchange_officer"])
    remains.refresh_from_db()
    hand_over_remains(remains, "the family", dt.date(2020, 12, 30))
    with pytest.raises(ExchangeError, match="handed over"):
        ident.reopen_dna_match(match, users["exchange_officer"], "second thoughts")


def test_weak_reports_and_other_roles_cannot_confirm(linked, users, api_for):
    match = ident.import_lab_results(_csv("REF-1,PM-1,120,Lab,2020-12-20")).saved[0]
    with pytest.raises(ExchangeError, match="likelihood ratio"):
        ident.confirm_dna_match(match, users["exchange_officer"])
    assert api_for("coordinator").post(f"/api/exchanges/dna-matches/{match.pk}/confirm/").status_code == 404
    response = api_for("exchange_officer").post(f"/api/exchanges/dna-matches/{match.pk}/confirm/")
    assert response.status_code == 409
    assert api_for("exchange_officer").post(f"/api/exchanges/dna-matches/{match.pk}/reject/").json()["status"] == \
        "rejected"


def test_lab_import_through_the_web_and_the_api(linked, client_for, api_for):
    upload = io.BytesIO(_csv("REF-1,PM-1,3.2e9,Lab,2020-12-20", "REF-1,PM-404,1e6,Lab,2020-12-20"))
    upload.name = "lab.csv"
    page = client_for("exchange_officer").post("/exchanges/identification/lab-import/", {"file": upload})
    assert "line 3" in page.content.decode() and DnaMatch.objects.count() == 1
    assert client_for("coordinator").get("/exchanges/identification/lab-import/").status_code == 404
    upload = io.BytesIO(_csv("REF-1,PM-1,5e9,Lab B,2020-12-21"))
    upload.name = "lab.csv"
    body = api_for("exchange_officer").post("/api/exchanges/dna-matches/import/", {"file": upload},
                                            format="multipart").json()
    assert len(body["saved"]) == 1 and body["errors"] == []


def test_ampm_comparison_ranks_with_reasons_per_field_and_keeps_decisions(missing, remains, linked, world, users,
                                                                           client_for):
    arm = world["parties"]["armenian-side"]
    other = RemainsCase.objects.create(reference="RM-T2", recovered_on=dt.date(2020, 11, 25), holding_party=arm)
    ident.save_post_mortem(other, sex_estimate="M", age_min=50, age_max=60, stature_min_cm=160,
                           stature_max_cm=165, dental_missing="")
    woman = RemainsCase.objects.create(reference="RM-T3", recovered_on=dt.date(2020, 11, 25), holding_party=arm)
    ident.save_post_mortem(woman, sex_estimate="F", age_min=25, age_max=35, stature_min_cm=174,
                           stature_max_cm=182, dental_missing="36, 46", effects="wristwatch, silver ring")
    assert ident.compare_all(users["exchange_officer"]) == 1  # the other two are excluded or score too low
    best = AmPmCandidate.objects.get()
    assert best.remains_case == remains and best.missing_case == missing
    fields = {r["field"]: r for r in best.reasons}
    assert set(fields) == {"sex", "age", "stature", "dental", "effects"}
    assert all(r["agrees"] for r in fields.values())
    assert fields["effects"]["level"] == "described alike" and "silver" in fields["effects"]["detail"]
    score, reasons, excluded = ident.compare_pair(missing.ante_mortem, woman.post_mortem, "M")
    assert excluded and not next(r for r in reasons if r["field"] == "sex")["agrees"]
    client = client_for("exchange_officer")
    assert "RM-T1" in client.get("/exchanges/identification/").content.decode()
    # Reasons are stored in English and read in the reader's language, whoever ran the comparison.
    russian = client.get("/exchanges/identification/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "в пределах оценки" in russian and "within the estimate" not in russian
    assert "Пропавший без вести #" in russian
    client.post(f"/exchanges/identification/ampm/{best.pk}/reject/", {})
    assert AmPmCandidate.objects.get().status == "rejected"
    assert ident.compare_all() == 0 and AmPmCandidate.objects.get().status == "rejected"  # decision kept
    client.post(f"/exchanges/identification/ampm/{best.pk}/reopen/", {"note": "dental chart corrected"})
    assert AmPmCandidate.objects.get().status == "proposed"
    client.post(f"/exchanges/identification/ampm/{best.pk}/confirm/", {})
    assert AmPmCandidate.objects.get().status == "confirmed"


def test_family_is_one_click_from_a_tracing_request(missing, linked, client_for):
    request = TracingRequest.objects.create(sought_name="Aram Petrosyan", requested_by="Relative C",
                                            relationship="brother", contact="x", received_on=dt.date(2020, 12, 1))
    TracingMatch.objects.create(request=request, person=missing.person, found_in="missing case",
                                probability=0.99, status="confirmed")
    client = client_for("exchange_officer")
    page = client.get(f"/exchanges/tracing/{request.pk}/").content.decode()
    assert f"/exchanges/family/{missing.person_id}/" in page
    family = client.get(f"/exchanges/family/{missing.person_id}/").content.decode()
    assert "Relative C" in family and "Relative A" in family
    assert f"/exchanges/family/{missing.person_id}/" not in \
        client_for("coordinator").get(f"/exchanges/tracing/{request.pk}/").content.decode()


def test_sitrep_counts_remains_identified_by_dna_this_week(world):
    arm = world["parties"]["armenian-side"]
    person = create_person("Test Person", sex="M")
    for i, day in enumerate([dt.date(2020, 12, 9), dt.date(2020, 12, 15), dt.date(2020, 12, 16)]):
        RemainsCase.objects.create(reference=f"W{i}", recovered_on=dt.date(2020, 11, 20), holding_party=arm,
                                   dna_required=True, identification_status="identified", person=person,
                                   identification_method="dna", identified_on=day)
    RemainsCase.objects.create(reference="W9", recovered_on=dt.date(2020, 11, 20), holding_party=arm,
                               identification_status="identified", person=person,
                               identification_method="visual", identified_on=dt.date(2020, 12, 15))
    section = exchanges_section(ReportingPeriod.ending_on(dt.date(2020, 12, 16)))
    figure = next(f for f in section.figures if f.key == "exchanges.remains_dna_week")
    assert (figure.value, figure.previous) == (2, 2) and figure.people  # 12-09 fell out of the week, 12-16 came in
    assert "state=dna_week" in figure.url


def test_missing_status_blocks_a_second_identification_of_the_same_person(missing, remains, linked, world,
                                                                         users):
    other = RemainsCase.objects.create(reference="RM-T9", recovered_on=dt.date(2020, 11, 25),
                                       holding_party=world["parties"]["armenian-side"])
    ident.register_sample(kind=SampleKind.REMAINS, remains_case=other, sample_id="PM-9", laboratory="Lab",
                          taken_on=dt.date(2020, 11, 27))
    first, second = ident.import_lab_results(_csv("REF-1,PM-1,3.2e9,Lab,2020-12-20",
                                                  "REF-1,PM-9,3.2e9,Lab,2020-12-20")).saved
    ident.confirm_dna_match(first, users["exchange_officer"])
    with pytest.raises(ExchangeError, match="already identified"):
        ident.confirm_dna_match(second, users["exchange_officer"])
    assert MissingCase.objects.get(pk=missing.pk).status == "found_deceased"
