"""Reconciliation: proposals with reasons, confirm, reject, ambiguous, unmatched, the per-party report."""

from __future__ import annotations

import pytest

from peaceops.core.models import AuditEvent
from peaceops.exchanges.models import DecisionStatus, DetentionCase, MatchDecision
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services.people import create_person
from peaceops.exchanges.services.reconcile import board, confirm, identity_confirmed, reconcile, reject
from peaceops.exchanges.services.report import as_csv, party_rows
from tests.exchanges.conftest import ARMENIAN_LIST, ENGLISH_LIST


@pytest.fixture
def two_lists(make_list):
    return (make_list(ARMENIAN_LIST, party="armenian-side", kind="you_hold"),
            make_list(ENGLISH_LIST, party="azerbaijani-side", kind="we_hold"))


def _decision(rec, left_ref, right_ref):
    return rec.decisions.get(left_entry__reference=left_ref, right_entry__reference=right_ref)


def test_cross_script_proposals_carry_probability_and_reasons(two_lists):
    rec = reconcile(*two_lists)
    aram = _decision(rec, "A-1", "E-1")
    assert aram.probability > 0.9
    fields = {r["field"]: r for r in aram.reasons}
    assert any(r["agrees"] for r in aram.reasons)
    assert any("birth" in f for f in fields)
    ani = _decision(rec, "A-2", "E-2")
    assert ani.probability > 0.5
    # Nobody on the Armenian side's list resembles the third English entry.
    assert not rec.decisions.filter(right_entry__reference="E-3").exists()


def test_board_lists_unmatched_on_each_side(two_lists):
    b = board(reconcile(*two_lists))
    assert [e.reference for e in b.unmatched_left] == ["A-3"]
    assert [e.reference for e in b.unmatched_right] == ["E-3"]
    assert b.ambiguous == []


def test_confirm_links_one_person_with_both_spellings_and_is_audited(two_lists, users):
    rec = reconcile(*two_lists)
    decision = _decision(rec, "A-1", "E-1")
    person = confirm(decision, users["exchange_officer"], "same date and father")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.CONFIRMED and decision.decided_by == users["exchange_officer"]
    assert sorted(n.full_name for n in person.names.all()) == ["Aram Petrosyan", "Արամ Պետրոսյան"]
    assert decision.left_entry.person == person and decision.right_entry.person == person
    assert identity_confirmed(person)
    event = AuditEvent.objects.filter(action="decision", model="exchanges.MatchDecision").last()
    assert event.object_id == str(decision.pk) and event.actor == "exchange_officer"
    assert event.detail["status"] == "confirmed"
    with pytest.raises(ExchangeError, match="already"):
        confirm(decision, users["exchange_officer"])


def test_reject_is_audited_and_leaves_entry_unmatched(two_lists, users):
    rec = reconcile(*two_lists)
    decision = _decision(rec, "A-2", "E-2")
    reject(decision, users["exchange_officer"], "different mother's village")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.REJECTED
    assert decision.left_entry.person is None
    assert AuditEvent.objects.filter(action="decision", object_id=str(decision.pk),
                                     detail__status="rejected").exists()
    assert "A-2" in [e.reference for e in board(rec).unmatched_left]


def test_ambiguous_entry_with_two_plausible_matches(make_list, users):
    left = make_list("name,birth_date\nArmen Grigoryan,1980\n", party="armenian-side")
    right = make_list("reference,name,birth_date\nX1,Armen Grigoryan,1980\nX2,Armen Grigorian,1980\n",
                      party="azerbaijani-side")
    rec = reconcile(left, right, threshold=0.3)
    b = board(rec)
    assert [e.full_name for e in b.ambiguous] == ["Armen Grigoryan"]
    first, second = rec.decisions.order_by("-probability")
    confirm(first, users["exchange_officer"])
    # One entry is one person: a second confirmation for the same entry is refused until the first is undone.
    with pytest.raises(ExchangeError):
        confirm(second, users["exchange_officer"])
    assert board(rec).ambiguous == []


def test_against_case_files_links_to_the_case_person(make_list, world, users):
    person = create_person("Արամ Պետրոսյան", sex="M", birth_date="1995-03-02", father_name="Գագիկ")
    DetentionCase.objects.create(person=person, kind="pow", holding_party=world["parties"]["azerbaijani-side"])
    english = make_list(ENGLISH_LIST, party="azerbaijani-side")
    rec = reconcile(english)
    decision = rec.decisions.get(left_entry__reference="E-1")
    assert decision.right_person == person
    assert confirm(decision, users["exchange_officer"]) == person
    assert person.names.filter(full_name="Aram Petrosyan").exists()


def test_each_party_report_shows_only_its_own_entries(two_lists, users, world):
    rec = reconcile(*two_lists)
    confirm(_decision(rec, "A-1", "E-1"), users["exchange_officer"])
    armenian = party_rows(rec, world["parties"]["armenian-side"])
    azerbaijani = party_rows(rec, world["parties"]["azerbaijani-side"])
    assert [r["reference"] for r in armenian] == ["A-1", "A-2", "A-3"]
    assert [r["reference"] for r in azerbaijani] == ["E-1", "E-2", "E-3"]
    assert armenian[0]["outcome"] == "found" and armenian[0]["other_name"] == "Aram Petrosyan"
    assert armenian[2]["outcome"] == "not found"
    text = as_csv(armenian)
    assert "Leyla" not in text and "probability" not in text


def test_reconciliation_screen_and_decision_buttons(two_lists, client_for):
    rec = reconcile(*two_lists)
    client = client_for("exchange_officer")
    page = client.get(f"/exchanges/reconciliations/{rec.pk}/").content.decode()
    assert "Արամ Պետրոսյան" in page and "Ambiguous entries" in page and "Unmatched on the other list" in page
    decision = _decision(rec, "A-1", "E-1")
    assert client.post(f"/exchanges/decisions/{decision.pk}/confirm/").status_code == 302
    assert MatchDecision.objects.get(pk=decision.pk).status == "confirmed"
    csv_response = client.get(f"/exchanges/reconciliations/{rec.pk}/report/armenian-side.csv")
    assert csv_response["Content-Type"].startswith("text/csv") and "Leyla" not in csv_response.content.decode()
    assert client_for("coordinator").post(f"/exchanges/decisions/{decision.pk}/reject/").status_code == 403


def test_a_wrong_confirmation_is_reopened_and_withdraws_the_person_it_created(two_lists, users):
    """Nothing about a person is hard-deleted: the person the confirmation created is withdrawn (a new version,
    an audit event), out of the registry's current records, and the decision is decidable afresh."""
    from peaceops.core.models import Person, PersonName
    from peaceops.exchanges.services.reconcile import reopen

    officer = users["exchange_officer"]
    decision = _decision(reconcile(*two_lists), "A-1", "E-1")
    persons_before = Person.objects.count()
    person = confirm(decision, officer, "looked right")
    with pytest.raises(ExchangeError, match="Say why"):
        reopen(decision, officer, "  ")
    reopen(decision, officer, "the E-1 father's name differs on the paper list")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED and decision.decided_by is None and decision.undo == {}
    assert decision.left_entry.person is None and decision.right_entry.person is None
    kept = Person.objects.get(pk=person.pk)
    assert kept.withdrawn_at is not None and "father's name" in kept.withdrawn_reason
    assert Person.objects.count() == persons_before + 1
    assert not Person.objects.current().filter(pk=person.pk).exists()
    assert kept.history.count() == 2 and kept.history.first().withdrawn_at is not None
    assert AuditEvent.objects.filter(action="update", model="core.Person", object_id=str(person.pk)).exists()
    # The spelling the confirmation added is withdrawn: out of what matching and pages read, still stored.
    assert [n.full_name for n in kept.names.all()] == ["Արամ Պետրոսյան"]
    assert PersonName.all_names.get(person=kept, full_name="Aram Petrosyan").withdrawn_at is not None
    assert not identity_confirmed(person)
    event = AuditEvent.objects.filter(action="decision", object_id=str(decision.pk)).last()
    assert event.detail["status"] == "reopened" and event.detail["was"] == "confirmed"
    assert "father's name" in event.detail["reason"]
    with pytest.raises(ExchangeError, match="not been decided"):
        reopen(decision, officer, "again")
    again = confirm(decision, officer, "checked with the delegation")  # decidable again, afresh
    assert sorted(n.full_name for n in again.names.all()) == ["Aram Petrosyan", "Արամ Պետրոսյան"]


def test_reopening_keeps_a_person_who_existed_before_and_only_withdraws_added_names(two_lists, users):
    from peaceops.core.models import PersonName
    from peaceops.exchanges.services.reconcile import reopen

    rec = reconcile(*two_lists)
    decision = _decision(rec, "A-1", "E-1")
    existing = create_person("Aram Petrosyan")
    decision.right_entry.person = existing
    decision.right_entry.save(update_fields=["person"])
    confirm(decision, users["exchange_officer"])
    assert sorted(n.full_name for n in existing.names.all()) == ["Aram Petrosyan", "Արամ Պետրոսյան"]
    reopen(decision, users["exchange_officer"], "wrong Aram")
    decision.left_entry.refresh_from_db()
    decision.right_entry.refresh_from_db()
    assert decision.left_entry.person is None and decision.right_entry.person == existing  # linked before
    assert [n.full_name for n in existing.names.all()] == ["Aram Petrosyan"]
    withdrawn = PersonName.all_names.get(person=existing, full_name="Արամ Պետրոսյան")
    assert withdrawn.withdrawn_at is not None and withdrawn.history.count() == 2
    existing.refresh_from_db()
    assert existing.withdrawn_at is None


def test_reopening_leaves_standing_a_created_person_a_case_file_took_up_since(two_lists, users, world):
    from peaceops.exchanges.services.reconcile import reopen

    decision = _decision(reconcile(*two_lists), "A-1", "E-1")
    person = confirm(decision, users["exchange_officer"])
    DetentionCase.objects.create(person=person, kind="pow", holding_party=world["parties"]["azerbaijani-side"])
    reopen(decision, users["exchange_officer"], "the lists disagree on the father")
    person.refresh_from_db()
    assert person.withdrawn_at is None and person.names.count() == 1  # the case's person stands; the added
    # spelling from the other list is withdrawn


def test_a_rejection_is_reopened_from_the_page_and_the_api(two_lists, client_for, api_for):
    rec = reconcile(*two_lists)
    decision = _decision(rec, "A-2", "E-2")
    client = client_for("exchange_officer")
    client.post(f"/exchanges/decisions/{decision.pk}/reject/", {"note": "different village"})
    page = client.get(rec.get_absolute_url()).content.decode()
    assert f"/exchanges/decisions/{decision.pk}/reopen/" in page
    no_reason = client.post(f"/exchanges/decisions/{decision.pk}/reopen/", {"note": ""}, follow=True)
    assert "Say why the decision is reopened" in no_reason.content.decode()
    done = client.post(f"/exchanges/decisions/{decision.pk}/reopen/", {"note": "village spelt two ways"},
                       follow=True)
    assert "Decision reopened" in done.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED
    api = api_for("exchange_officer")
    api.post(f"/api/exchanges/match-decisions/{decision.pk}/reject/", {"note": "x"}, format="json")
    response = api.post(f"/api/exchanges/match-decisions/{decision.pk}/reopen/", {"note": "second look"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "proposed"
    assert api_for("analyst").post(f"/api/exchanges/match-decisions/{decision.pk}/reopen/", {"note": "x"},
                                   format="json").status_code in (403, 404)


def test_the_api_shows_a_decision_without_its_undo_state(two_lists, api_for):
    """The state kept to undo a confirmation (which names were merged) stays on the server."""
    rec = reconcile(*two_lists)
    decision = _decision(rec, "A-2", "E-2")
    shown = api_for("exchange_officer").get(f"/api/exchanges/match-decisions/{decision.pk}/").json()
    assert shown["id"] == decision.pk and shown["status"] == "proposed" and "probability" in shown
    assert "undo" not in shown


def test_a_withdrawn_persons_page_says_so(two_lists, users, client_for):
    """A coordinator following an old link to the person a reopened confirmation created read an ordinary record
    (the exchange officer no longer sees it: the list entries that put it in their scope are unlinked)."""
    from peaceops.exchanges.services.reconcile import reopen

    officer = users["exchange_officer"]
    decision = _decision(reconcile(*two_lists), "A-1", "E-1")
    person = confirm(decision, officer, "looked right")
    page = client_for("coordinator").get(f"/people/{person.pk}/").content.decode()
    assert 'id="withdrawn"' not in page
    reopen(decision, officer, "the E-1 father's name differs on the paper list")
    page = client_for("coordinator").get(f"/people/{person.pk}/").content.decode()
    assert 'id="withdrawn"' in page and "father&#x27;s name differs" in page
