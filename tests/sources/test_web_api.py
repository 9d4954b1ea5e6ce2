"""Pages and API of the open-source module: who may see, add and review; the pasted report's claims and
verdicts on its page with the sentence highlighted; the API's read, ingest, check and review."""

from __future__ import annotations

import pytest

from peaceops.core.models import AuditEvent
from peaceops.sources.models import Claim, Document, Review
from peaceops.sources.services.ingest import ingest
from tests.sources.test_services import LATER, WIRE

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(users):
    return ingest(WIRE, "wire.txt", users["analyst"], grade="B2").document


@pytest.mark.parametrize("role", ["monitor", "analyst", "coordinator"])
def test_staff_who_work_on_the_picture_see_claims_and_documents(client_for, stored, role):
    client = client_for(role)
    page = client.get("/open-sources/")
    assert page.status_code == 200 and "more than" in page.content.decode()
    assert client.get(f"/open-sources/documents/{stored.pk}/").status_code == 200
    assert client.get(f"/open-sources/documents/{stored.pk}/original/").content == WIRE


@pytest.mark.parametrize("role", ["returns_officer", "exchange_officer", "engineer", "public", "admin"])
def test_other_roles_get_404(client_for, stored, role):
    client = client_for(role)
    claim = stored.claims.first()
    for url in ("/open-sources/", "/open-sources/documents/", f"/open-sources/documents/{stored.pk}/", "/open-sources/documents/new/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/open-sources/claims/{claim.pk}/review/", {"action": "reject", "note": "x"}).status_code == 404
    assert client_for(role).get("/api/sources/claims/").status_code == 404


def test_filters(client_for, stored, users):
    ingest(LATER, "later.txt", users["analyst"])
    client = client_for("analyst")
    rows = client.get("/open-sources/?kind=buses").context["page"].object_list
    assert [c.kind for c in rows] == ["buses"]
    assert {c.value for c in client.get("/open-sources/?from=2020-11-23").context["page"].object_list} == {9000}
    assert {c.value for c in client.get("/open-sources/?contradicted=1").context["page"].object_list} == {9000, 11000}
    source = stored.report.source_id
    assert {c.document_id for c in client.get(f"/open-sources/?source={source}").context["page"].object_list} == {
        stored.pk}
    unverifiable = client.get("/open-sources/?verdict=unverifiable").context["page"].object_list
    assert all(c.verdict == "unverifiable" for c in unverifiable)


def test_monitor_pastes_a_report_and_sees_its_claims_and_verdicts(client_for):
    client = client_for("monitor")
    response = client.post("/open-sources/documents/new/", {"text": WIRE.decode(), "grade": "B2"})
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/open-sources/documents/{document.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert page.count("<mark") == 2  # two sentences carry the three claims
    assert "more than 11,000" in page and "B2" in page
    for claim in document.claims.all():
        assert f'id="claim-{claim.pk}"' in page
    assert "Correct or reject" not in page  # monitors add reports; analysts review them
    again = client.post("/open-sources/documents/new/", {"text": WIRE.decode()})
    assert again.status_code == 302 and Document.objects.count() == 1


def test_form_refuses_an_empty_or_unreadable_report(client_for):
    client = client_for("analyst")
    assert client.post("/open-sources/documents/new/", {"text": "  "}).context["form"].errors
    response = client.post("/open-sources/documents/new/", {"text": "Ստեփանակերտ, դեկտեմբերի 7. Կիրակի օրը 859 մարդ։"})
    assert response.status_code == 302  # stored, with a note that the language is not read
    assert "Armenian" in Document.objects.get().notes[0] and not Claim.objects.exists()


def test_analyst_corrects_and_rejects_monitor_may_not(client_for, stored):
    claim = stored.claims.get(kind="buses")
    url = f"/open-sources/claims/{claim.pk}/review/"
    assert client_for("monitor").post(url, {"action": "reject", "note": "no"}).status_code == 403
    prefix = f"c{claim.pk}-"
    data = {prefix + k: v for k, v in {"kind": "buses", "value": 33, "qualifier": "exact", "period": "day",
                                       "as_of": "2020-11-22", "attributed_to": claim.attributed_to}.items()}
    response = client_for("analyst").post(url, {"action": "correct", prefix + "note": "table says 33", **data})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.value, claim.extracted["value"], claim.review) == (33, 32, Review.CORRECTED)
    page = client_for("analyst").get(f"/open-sources/documents/{stored.pk}/?claim={claim.pk}").content.decode()
    assert "As extracted:" in page and 'class="selected"' in page
    client_for("analyst").post(url, {"action": "reject", "note": "duplicate"})
    claim.refresh_from_db()
    assert claim.review == Review.REJECTED
    assert AuditEvent.objects.filter(model="sources.Claim", object_id=str(claim.pk)).exists()


def test_lead_offers_to_open_an_incident(client_for, users):
    document = ingest(b"Published: 2020-12-13\n\nThe Defence Ministry of the Armenian side said the ceasefire was "
                      b"violated 4 times near Hadrut on Saturday.", "party.txt", users["analyst"]).document
    claim = document.claims.get()
    claim.verdict, claim.registered = "unverifiable", 0
    claim.save()
    client = client_for("analyst")
    page = client.get(f"/open-sources/documents/{document.pk}/").content.decode()
    assert "Open an incident from this lead" in page and "place_name=Hadrut" in page
    form = client_for("monitor").get("/ceasefire/incidents/new/?place_name=Hadrut&source_summary=x").context["form"]
    assert form.initial["place_name"] == "Hadrut"


def test_api_read_writes_nothing_and_ingest_is_idempotent(api_for):
    api = api_for("analyst")
    read = api.post("/api/sources/documents/read/", {"text": WIRE.decode()}, format="json")
    assert read.status_code == 200 and len(read.json()["claims"]) == 3 and not Document.objects.exists()
    created = api.post("/api/sources/documents/", {"text": WIRE.decode(), "grade": "B2"}, format="json")
    assert created.status_code == 201 and created.json()["grade"] == "B2"
    assert {c["verdict"] for c in created.json()["claims"]} <= {"consistent", "inconsistent", "unverifiable"}
    again = api.post("/api/sources/documents/", {"text": WIRE.decode()}, format="json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    bad = api.post("/api/sources/documents/", {"text": "", "file": None}, format="json")
    assert bad.status_code == 400


def test_api_check_and_review(api_for, stored):
    rows = api_for("analyst").post("/api/sources/claims/check/?as_of=2020-11-22").json()
    assert len(rows) == 3 and {"claim", "verdict", "registered", "contradicts"} <= set(rows[0])
    claim = stored.claims.get(kind="buses")
    assert api_for("monitor").post(f"/api/sources/claims/{claim.pk}/review/", {"action": "reject", "note": "x"},
                                   format="json").status_code == 403
    corrected = api_for("analyst").post(f"/api/sources/claims/{claim.pk}/review/", {"value": 31, "note": "n"},
                                        format="json")
    assert corrected.status_code == 200 and corrected.json()["claim"]["value"] == 31
    refused = api_for("analyst").post(f"/api/sources/claims/{claim.pk}/review/", {"action": "reject"},
                                      format="json")
    assert refused.status_code == 400
    assert api_for("monitor").get("/api/sources/claims/?kind=buses").json()["results"][0]["claim"]["review"] == "corrected"
