"""Who reaches case files (and that every read is audited); tracing matches; CLI summary and sitrep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from peaceops.core.models import AuditEvent
from peaceops.core.reporting import ReportingPeriod
from peaceops.exchanges.models import (
    DetentionCase,
    ExchangeEvent,
    MissingCase,
    RemainsCase,
    TracingMatch,
    TracingRequest,
)
from peaceops.exchanges.services.people import create_person
from peaceops.exchanges.services.tracing import decide_match, match_request
from peaceops.exchanges.sitrep import exchanges_section


@pytest.fixture
def case(world):
    person = create_person("Արամ Պետրոսյան", sex="M", birth_date="1995-03-02", father_name="Գագիկ")
    return DetentionCase.objects.create(person=person, kind="pow", holding_party=world["parties"]["azerbaijani-side"],
                                        detained_on=dt.date(2020, 11, 1))


PAGES = ["/exchanges/", "/exchanges/cases/detention/{pk}/", "/exchanges/lists/", "/exchanges/events/",
         "/exchanges/tracing/"]


@pytest.mark.parametrize("role", ["monitor", "engineer", "returns_officer", "analyst", "admin"])
def test_other_roles_get_404_on_pages_and_api(role, case, client_for, api_for):
    client = client_for(role)
    for url in PAGES:
        assert client.get(url.format(pk=case.pk)).status_code == 404, url
    api = api_for(role)
    assert api.get("/api/exchanges/detention-cases/").status_code == 404
    assert api.get(f"/api/exchanges/detention-cases/{case.pk}/").status_code == 404


def test_every_read_is_audited_web_and_api(case, client_for, api_for):
    reads = AuditEvent.objects.filter(action="read", model="exchanges.DetentionCase")
    before = reads.count()
    assert client_for("coordinator").get(f"/exchanges/cases/detention/{case.pk}/").status_code == 200
    event = reads.last()
    assert reads.count() == before + 1 and event.actor == "coordinator" and event.object_id == str(case.pk)
    client_for("exchange_officer").get("/exchanges/cases/detention/")
    assert reads.last().detail["ids"] == [str(case.pk)]
    api = api_for("exchange_officer")
    body = api.get(f"/api/exchanges/detention-cases/{case.pk}/").json()
    assert body["person_detail"]["names"] == ["Արամ Պետրոսյան"]
    assert reads.last().detail["purpose"] == "api"
    api.get("/api/exchanges/detention-cases/")
    assert reads.last().detail["purpose"] == "api list"


def test_coordinator_reads_but_does_not_write(case, client_for, api_for):
    client = client_for("coordinator")
    assert client.get("/exchanges/cases/detention/new/").status_code == 403  # a writer-only page, as elsewhere
    assert client.post("/exchanges/cases/detention/new/", {}).status_code == 403
    event = ExchangeEvent.objects.create(kind="all_for_all", date=dt.date(2020, 12, 14))
    assert api_for("coordinator").post(f"/api/exchanges/events/{event.pk}/complete/").status_code == 403


def test_case_form_opens_case_with_person(client_for, world):
    response = client_for("exchange_officer").post("/exchanges/cases/missing/new/", {
        "person-name": "Давид Акопян", "person-sex": "M", "person-birth_date": "1987-11-20",
        "reported_by": "his mother", "reported_on": "2020-11-20", "last_seen_on": "2020-10-20"})
    assert response.status_code == 302
    from peaceops.exchanges.models import MissingCase

    assert str(MissingCase.objects.get().person) == "Давид Акопян"


def test_tracing_request_matches_case_across_scripts(case, world, users, client_for):
    request = TracingRequest.objects.create(sought_name="Aram Petrosyan", sought_birth_date="1995-03-02",
                                            requested_by="Gayane Petrosyan", relationship="mother",
                                            contact="+374 00 000000", received_on=dt.date(2020, 12, 1))
    assert match_request(request, users["exchange_officer"]) == 1
    match = TracingMatch.objects.get()
    assert match.person == case.person and "detention case" in match.found_in and match.probability > 0.9
    assert match_request(request) == 0  # re-running does not duplicate
    page = client_for("exchange_officer").get(f"/exchanges/tracing/{request.pk}/").content.decode()
    assert "Արամ Պետրոսյան" in page and "never shown to the requester" in page
    client_for("exchange_officer").post(f"/exchanges/tracing/{request.pk}/confirm/", {"match": match.pk})
    assert TracingMatch.objects.get().status == "confirmed"


def test_a_tracing_decision_is_the_services_once_and_audited(case, users, client_for):
    request = TracingRequest.objects.create(sought_name="Aram Petrosyan", sought_birth_date="1995-03-02",
                                            requested_by="Gayane Petrosyan", relationship="mother",
                                            contact="+374 00 000000", received_on=dt.date(2020, 12, 1))
    match_request(request, users["exchange_officer"])
    match = TracingMatch.objects.get()
    officer = client_for("exchange_officer")
    officer.post(f"/exchanges/tracing/{request.pk}/reject/", {"match": match.pk})
    match.refresh_from_db()
    assert (match.status, match.decided_by) == ("rejected", users["exchange_officer"])
    decisions = AuditEvent.objects.filter(action="decision", model="exchanges.TracingMatch", object_id=str(match.pk))
    assert [(e.actor, e.detail) for e in decisions] == [
        ("exchange_officer", {"status": "rejected", "request": request.pk})]
    # A decided match is not decided again, on the page or through the service.
    page = officer.post(f"/exchanges/tracing/{request.pk}/confirm/", {"match": match.pk}, follow=True)
    assert "That match is not open for a decision." in page.content.decode()
    with pytest.raises(ValidationError):
        decide_match(match, True, users["exchange_officer"])
    match.refresh_from_db()
    assert match.status == "rejected" and decisions.count() == 1


def test_tracing_finds_nobody_for_an_unknown_name(case):
    request = TracingRequest.objects.create(sought_name="Leyla Aliyeva", requested_by="x", contact="y",
                                            received_on=dt.date(2020, 12, 1))
    assert match_request(request) == 0


def test_summary_command_and_sitrep(world, capsys):
    arm = world["parties"]["armenian-side"]
    for i in range(7):
        RemainsCase.objects.create(reference=f"R{i}", recovered_on=dt.date(2020, 11, 20), holding_party=arm,
                                   received_on=dt.date(2020, 11, 21), dna_required=i < 5)
    ExchangeEvent.objects.create(kind="all_for_all", agreed_on=dt.date(2020, 12, 9), date=dt.date(2020, 12, 14))
    call_command("exchanges", "summary", "--as-of", "2020-12-10")
    out = capsys.readouterr().out
    assert "remains recovered: 7" in out and "awaiting DNA identification: 5" in out
    assert "exchange being prepared" in out
    section = exchanges_section(ReportingPeriod.ending_on(dt.date(2020, 12, 10)))
    assert section.order == 30 and "being prepared" in section.summary
    assert all(f.people for f in section.figures if f.key != "exchanges.agreed")  # that one counts events
    assert exchanges_section(ReportingPeriod.ending_on(dt.date(2020, 11, 1))) is None


def test_tracing_reads_the_candidates_in_chunks_and_finds_the_same(case, monkeypatch):
    from peaceops.exchanges.services import tracing
    from peaceops.exchanges.services.cases import open_missing_case

    # A second candidate, so one chunk (of one) cannot hold them all.
    open_missing_case(create_person("Արմեն Սարգսյան"), reported_by="his sister", reported_on=dt.date(2020, 11, 20))
    whole = tracing._candidate_records()
    monkeypatch.setattr(tracing, "CHUNK", 1)
    assert tracing._candidate_records() == whole and len(whole[1]) >= 2


def test_api_opens_a_case_with_its_person_through_the_web_form_rules(api_for, world):
    from peaceops.core.models import Person

    api = api_for("exchange_officer")
    response = api.post("/api/exchanges/missing-cases/", {
        "reported_by": "his mother", "reported_on": "2020-11-20", "last_seen_on": "2020-10-20",
        "person": {"name": "Давид Акопян", "sex": "M", "birth_date": "1987-11-20"}}, format="json")
    assert response.status_code == 201, response.json()
    case = MissingCase.objects.get(pk=response.json()["id"])
    assert str(case.person) == "Давид Акопян" and case.person.birth_date_display == "1987-11-20"
    assert response.json()["person_detail"]["names"] == ["Давид Акопян"]
    persons = Person.objects.count()
    bad = api.post("/api/exchanges/detention-cases/", {"kind": "nonsense", "person": {"name": ""}}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json() and "name" in bad.json()["person"]
    assert Person.objects.count() == persons and not DetentionCase.objects.exists()  # nothing half-written
    remains = api.post("/api/exchanges/remains-cases/", {"reference": "R-API-1", "recovered_on": "2020-11-25",
                                                         "condition": "partial",
                                                         "holding_party": world["parties"]["armenian-side"].pk},
                       format="json")
    assert remains.status_code == 201, remains.json()
    assert RemainsCase.objects.get(reference="R-API-1").person is None  # remains carry no person until identified
    assert api_for("coordinator").post("/api/exchanges/missing-cases/", {}, format="json").status_code == 403
    assert api_for("analyst").post("/api/exchanges/missing-cases/", {}, format="json").status_code == 404


def test_api_opens_a_case_whose_birth_date_is_partly_wrong_and_says_so(api_for, world):
    api = api_for("exchange_officer")
    response = api.post("/api/exchanges/missing-cases/", {
        "reported_by": "his mother", "reported_on": "2020-11-20", "last_seen_on": "2020-10-20",
        "person": {"name": "Давид Акопян", "sex": "M", "birth_date": "1987-00-20"}}, format="json")
    assert response.status_code == 201, response.json()
    case = MissingCase.objects.get(pk=response.json()["id"])
    assert case.person.birth_date_display == "1987"  # month 0 keeps the year
    assert len(response.json()["warnings"]) == 1 and "kept 1987" in response.json()["warnings"][0]
