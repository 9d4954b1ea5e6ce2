"""Possible duplicate registrations: search, confirm (counted once), reject, permissions, idempotent re-runs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from peaceops.core.models import AuditEvent, Person
from peaceops.returns import services
from peaceops.returns.models import DuplicateProposal, DuplicateStatus
from peaceops.returns.services import MemberSpec, duplicates
from tests.returns.conftest import at, run_to_arrival

DAY = dt.date(2020, 11, 22)


def _register(world, name: str, born: tuple[int, ...], registered: str, sex: str = "M"):
    year, month, day = (*born, None, None)[:3]
    household = services.register_household(
        [MemberSpec(name=name, sex=sex, birth_year=year, birth_month=month, birth_day=day)],
        world["places"]["stepanakert"], registered_on=dt.date.fromisoformat(registered))
    return household.head


@pytest.fixture
def registry(world):
    """Armen registered twice (Cyrillic, later; Armenian, earlier), a namesake born 28 years earlier, and a
    few unrelated people so the registry is not only the pair."""
    people = {
        "cyrillic": _register(world, "Армен Петросян", (1980, 5, 12), "2020-11-12"),
        "armenian": _register(world, "Արմեն Պետրոսյան", (1980, 5, 12), "2020-11-10"),
        "namesake": _register(world, "Արմեն Պետրոսյան", (1952, 3, 2), "2020-11-11"),
    }
    for name, born, sex in [("Գայանե Հակոբյան", (1975, 1, 14), "F"), ("Սուրեն Գրիգորյան", (1960,), "M"),
                            ("Лусине Аветисян", (1988, 7), "F"), ("Tigran Sargsyan", (2001, 9, 30), "M")]:
        _register(world, name, born, "2020-11-12", sex)
    return people


def _pair(a: Person, b: Person) -> DuplicateProposal | None:
    return DuplicateProposal.objects.filter(left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk)).first()


@pytest.fixture
def searched(registry, users):
    result = duplicates.find_duplicates(users["returns_officer"])
    return registry, result


@pytest.fixture
def arrived(corridor, searched):
    """Everyone in the registry travelled on one convoy that arrived on 22 November."""
    convoy = services.plan_convoy(corridor, DAY, [40]).convoy
    run_to_arrival(convoy, at("2020-11-22", 16))
    return searched


def test_same_person_in_two_scripts_is_proposed_with_reasons(searched):
    people, result = searched
    assert result.people == 7 and result.records == 7
    proposal = _pair(people["cyrillic"], people["armenian"])
    assert proposal is not None and proposal.status == DuplicateStatus.PROPOSED
    assert proposal.probability >= 0.9
    reasons = {r["field"]: r for r in proposal.explanation}
    assert reasons["birth_date"]["agrees"] and reasons["birth_date"]["left"] == "1980-05-12" \
        and reasons["birth_date"]["right"] == "1980-05-12"
    assert reasons["surname"]["agrees"] and reasons["given_name"]["agrees"]
    assert DuplicateProposal.objects.count() == 1  # nobody else in the registry is paired


def test_namesake_with_another_birth_year_is_not_proposed(searched):
    """The model itself weighs a birth date 28 years off against the match: no policy sets the pair aside."""
    people, result = searched
    assert _pair(people["namesake"], people["armenian"]) is None
    assert _pair(people["namesake"], people["cyrillic"]) is None
    assert not hasattr(duplicates, "MAX_BIRTH_YEAR_GAP")
    from peaceops.linkage.engine import dedupe_records

    records = duplicates.registry_records()
    ids = {people[k].pk for k in ("namesake", "armenian")}
    scored = [p for p in dedupe_records(records, threshold=0.0)
              if {duplicates._person_id(p.left_id), duplicates._person_id(p.right_id)} == ids]
    # Seven people are a query for the engine (shipped model and prior); the date 28 years off takes the pair from
    # 2^19 on the names to below even odds, so it is proposed neither here nor at reconciliation's 0.5.
    assert scored and max(p.probability for p in scored) < 0.5


def test_summary_says_how_the_model_was_calibrated(searched):
    people, result = searched
    assert result.notes and "query" in result.notes[0]  # seven people: too few to estimate from, shipped model
    assert result.notes[0] in result.summary() and result.as_dict()["notes"] == result.notes


def test_rerun_does_not_duplicate_proposals(searched, users):
    people, first = searched
    again = duplicates.find_duplicates(users["returns_officer"])
    assert (first.created, again.created, again.refreshed) == (1, 0, 1)
    assert DuplicateProposal.objects.count() == 1


def test_confirm_counts_the_person_once_and_keeps_the_earlier_registration(arrived, users):
    people, _result = arrived
    assert services.returned_as_of(DAY).total == 7
    proposal = _pair(people["cyrillic"], people["armenian"])
    survivor = duplicates.confirm(proposal, users["returns_officer"], "same birth date, same parents' address")
    assert survivor.pk == people["armenian"].pk  # registered on 10 November, before the Cyrillic record
    assert Person.objects.get(pk=people["cyrillic"].pk).merged_into_id == people["armenian"].pk
    assert services.returned_as_of(DAY).total == 6
    proposal.refresh_from_db()
    assert (proposal.status, proposal.survivor_id, proposal.decided_by) == (
        DuplicateStatus.CONFIRMED, survivor.pk, users["returns_officer"])
    event = AuditEvent.objects.filter(action="decision", model="returns.DuplicateProposal").latest("id")
    assert event.detail["status"] == "confirmed" and event.detail["survivor"] == survivor.pk
    assert event.actor == "returns_officer"


def test_reject_keeps_two_people_and_is_not_proposed_again(arrived, users):
    people, _result = arrived
    proposal = _pair(people["cyrillic"], people["armenian"])
    duplicates.reject(proposal, users["returns_officer"], "different fathers according to the documents")
    assert services.returned_as_of(DAY).total == 7
    assert Person.objects.get(pk=people["cyrillic"].pk).merged_into_id is None
    again = duplicates.find_duplicates(users["returns_officer"])
    assert (again.created, again.refreshed, again.already_decided) == (0, 0, 1)
    proposal.refresh_from_db()
    assert proposal.status == DuplicateStatus.REJECTED
    assert AuditEvent.objects.filter(action="decision", model="returns.DuplicateProposal",
                                     object_id=str(proposal.pk)).exists()


def test_a_decision_needs_a_reason_and_is_taken_once(searched, users):
    people, _result = searched
    proposal = _pair(people["cyrillic"], people["armenian"])
    with pytest.raises(ValidationError):
        duplicates.confirm(proposal, users["returns_officer"], "   ")
    with pytest.raises(ValidationError):
        duplicates.reject(proposal, users["returns_officer"], "")
    proposal.refresh_from_db()
    assert proposal.status == DuplicateStatus.PROPOSED
    duplicates.reject(proposal, users["returns_officer"], "different people")
    with pytest.raises(ValidationError):
        duplicates.confirm(proposal, users["returns_officer"], "changed my mind")


def test_web_page_search_and_confirm(client_for, arrived, monkeypatch):
    people, _result = arrived
    client = client_for("returns_officer")
    page = client.get("/returns/duplicates/").content.decode()
    assert "Армен Петросян" in page and "Արմեն Պետրոսյան" in page and "1980-05-12" in page
    assert "agrees" in page
    queued = client.post("/returns/duplicates/search/", {"threshold": "0.8"}, follow=True).content.decode()
    assert "running in the background" in queued and "people compared" not in queued
    polled = client.get("/returns/duplicates/search/status/")
    assert polled.status_code == 200 and "HX-Refresh" not in polled.headers  # still queued: keep polling
    # A second click while the first search waits does not queue another.
    again = client.post("/returns/duplicates/search/", {"threshold": "0.8"}, follow=True).content.decode()
    assert "still running" in again
    # The real worker command; it recycles database connections between tasks, which would end the test's
    # transaction on PostgreSQL, so that step is left out here.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO(),
                 stderr=io.StringIO())
    assert client.get("/returns/duplicates/search/status/").headers["HX-Refresh"] == "true"
    reloaded = client.get("/returns/duplicates/").content.decode()
    assert "7 people compared" in reloaded and "running in the background" not in reloaded
    assert "7 people compared" not in client.get("/returns/duplicates/").content.decode()  # reported once
    proposal = _pair(people["cyrillic"], people["armenian"])
    client.post(f"/returns/duplicates/{proposal.pk}/confirm/", {"reason": ""})
    proposal.refresh_from_db()
    assert proposal.status == DuplicateStatus.PROPOSED  # no reason, no decision
    client.post(f"/returns/duplicates/{proposal.pk}/confirm/", {"reason": "same documents"})
    proposal.refresh_from_db()
    assert proposal.status == DuplicateStatus.CONFIRMED
    assert services.returned_as_of(DAY).total == 6
    assert "same documents" in client.get("/returns/duplicates/?status=confirmed").content.decode()


def test_web_search_refuses_a_bad_threshold_at_once_and_queues_nothing(client_for, arrived):
    from django_tasks_db.models import DBTaskResult

    page = client_for("returns_officer").post("/returns/duplicates/search/", {"threshold": "1.5"}, follow=True)
    assert "The threshold is a probability between 0 and 1." in page.content.decode()
    assert not DBTaskResult.objects.exists()


def test_page_is_linked_from_the_returns_navigation(client_for, searched):
    assert 'href="/returns/duplicates/"' in client_for("returns_officer").get("/returns/").content.decode()
    assert 'href="/returns/duplicates/"' not in client_for("analyst").get("/returns/").content.decode()


@pytest.mark.parametrize("role", ["monitor", "exchange_officer", "analyst", "public", "admin"])
def test_other_roles_get_404(client_for, api_for, searched, role):
    people, _result = searched
    proposal = _pair(people["cyrillic"], people["armenian"])
    client, api = client_for(role), api_for(role)
    assert client.get("/returns/duplicates/").status_code == 404
    assert client.post("/returns/duplicates/search/").status_code == 404
    assert client.get("/returns/duplicates/search/status/").status_code == 404
    assert client.post(f"/returns/duplicates/{proposal.pk}/confirm/", {"reason": "x"}).status_code == 404
    assert api.get("/api/returns/duplicates/").status_code == 404
    assert api.post(f"/api/returns/duplicates/{proposal.pk}/confirm/", {"reason": "x"},
                    format="json").status_code == 404


def test_coordinator_reads_but_cannot_decide(client_for, api_for, searched):
    people, _result = searched
    proposal = _pair(people["cyrillic"], people["armenian"])
    client, api = client_for("coordinator"), api_for("coordinator")
    page = client.get("/returns/duplicates/")
    assert page.status_code == 200 and "Армен Петросян" in page.content.decode()
    assert "Same person: merge" not in page.content.decode()
    assert client.post(f"/returns/duplicates/{proposal.pk}/confirm/", {"reason": "x"}).status_code == 403
    assert client.post("/returns/duplicates/search/").status_code == 403
    assert api.get("/api/returns/duplicates/").status_code == 200
    assert api.post(f"/api/returns/duplicates/{proposal.pk}/confirm/", {"reason": "x"},
                    format="json").status_code == 403
    assert api.post("/api/returns/duplicates/search/", {}, format="json").status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == DuplicateStatus.PROPOSED


def test_api_list_search_confirm_reject(api_for, arrived):
    people, _result = arrived
    api = api_for("returns_officer")
    rows = api.get("/api/returns/duplicates/?status=proposed").json()["results"]
    assert len(rows) == 1 and rows[0]["probability"] >= 0.9
    assert {r["field"] for r in rows[0]["explanation"]} >= {"surname", "given_name", "birth_date"}
    summary = api.post("/api/returns/duplicates/search/", {"threshold": 0.8}, format="json").json()
    assert (summary["people"], summary["created"], summary["refreshed"]) == (7, 0, 1)
    assert api.post(f"/api/returns/duplicates/{rows[0]['id']}/confirm/", {}, format="json").status_code == 400
    response = api.post(f"/api/returns/duplicates/{rows[0]['id']}/confirm/", {"reason": "same passport"},
                        format="json")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert response.json()["survivor"] == people["armenian"].pk
    assert services.returned_as_of(DAY).total == 6
    again = api.post(f"/api/returns/duplicates/{rows[0]['id']}/reject/", {"reason": "x"}, format="json")
    assert again.status_code == 400  # already decided


def test_cli_runs_the_search_and_prints_a_summary(registry):
    out = io.StringIO()
    call_command("returns", "duplicates", "--threshold", "0.9", stdout=out, stderr=io.StringIO())
    assert "7 people compared (7 names): 1 new proposals" in out.getvalue() and "0.90" in out.getvalue()
    assert DuplicateProposal.objects.count() == 1


def test_an_undone_merge_counts_both_registrations_again(arrived, users, client_for, api_for):
    people, _result = arrived
    proposal = _pair(people["cyrillic"], people["armenian"])
    duplicates.confirm(proposal, users["returns_officer"], "same birth date")
    assert services.returned_as_of(DAY).total == 6
    client = client_for("returns_officer")
    page = client.get("/returns/duplicates/?status=confirmed").content.decode()
    assert "Not the same person: separate" in page
    refused = client.post(f"/returns/duplicates/{proposal.pk}/reopen/", {"reason": ""}, follow=True)
    assert "Give the reason" in refused.content.decode()
    client.post(f"/returns/duplicates/{proposal.pk}/reopen/", {"reason": "different fathers on the papers"})
    proposal.refresh_from_db()
    assert proposal.status == DuplicateStatus.PROPOSED and proposal.survivor is None
    assert Person.objects.get(pk=people["cyrillic"].pk).merged_into_id is None
    assert services.returned_as_of(DAY).total == 7  # counted apart again, at once
    event = AuditEvent.objects.filter(action="decision", model="returns.DuplicateProposal").latest("id")
    assert event.detail["status"] == "reopened" and event.detail["separated"] == people["cyrillic"].pk
    api = api_for("returns_officer")
    api.post(f"/api/returns/duplicates/{proposal.pk}/reject/", {"reason": "two people"}, format="json")
    again = api.post(f"/api/returns/duplicates/{proposal.pk}/reopen/", {"reason": "recheck"}, format="json")
    assert again.status_code == 200 and again.json()["status"] == "proposed"
    assert api_for("coordinator").post(f"/api/returns/duplicates/{proposal.pk}/reopen/", {"reason": "x"},
                                       format="json").status_code == 403
