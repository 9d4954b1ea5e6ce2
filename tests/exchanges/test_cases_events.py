"""Case lifecycles and the exchange-event transaction."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from peaceops.exchanges.models import (
    DetentionCase,
    EventStatus,
    ExchangeEvent,
    Handover,
    MatchDecision,
    MissingCase,
    RemainsCase,
)
from peaceops.exchanges.services import ExchangeError, events
from peaceops.exchanges.services import cases as services
from peaceops.exchanges.services.people import create_person
from peaceops.exchanges.services.reconcile import confirm, reconcile

LOCAL = ZoneInfo("Asia/Yerevan")
DAY = dt.date(2020, 12, 14)


def test_detention_lifecycle(world):
    person = create_person("Элвин Мамедов", sex="M", birth_date="1999")
    case = services.open_detention_case(person, kind="pow", holding_party=world["parties"]["armenian-side"],
                                        detained_on=dt.date(2020, 11, 2))
    services.record_visit(case, dt.date(2020, 11, 25), "Seen in good health; letters exchanged.")
    assert case.visits.count() == 1
    with pytest.raises(ExchangeError):
        services.record_visit(case, dt.date(2020, 10, 1), "before detention")
    assert case.history.count() == 1 and case.status == "held"


def test_missing_lifecycle(world):
    person = create_person("Անի Սարգսյան", sex="F")
    case = services.open_missing_case(person, reported_by="her brother", reported_on=dt.date(2020, 11, 20),
                                      last_seen_place=world["places"]["hadrut"] if "hadrut" in world["places"]
                                      else None, last_seen_on=dt.date(2020, 10, 20), circumstances="left home")
    services.resolve_missing_case(case, "found_alive", dt.date(2020, 12, 14))
    assert MissingCase.objects.get(pk=case.pk).status == "found_alive"
    with pytest.raises(ExchangeError):
        services.resolve_missing_case(case, "closed", dt.date(2020, 12, 15))


def test_remains_identified_as_a_new_person_through_the_service_and_the_page(world, client_for):
    """Issue 18: the person an identification records is created by `identify_remains_as`, not in the view."""
    from peaceops.core.models import Person

    case = services.record_remains(reference="R-7", recovered_on=dt.date(2020, 11, 20),
                                   holding_party=world["parties"]["armenian-side"])
    fields = {"name": "Արմեն Սարգսյան", "sex": "M", "birth_date": "1990", "father_name": "", "birth_place": ""}
    services.identify_remains_as(case, fields, "presumptive", "visual", dt.date(2020, 11, 25))
    case.refresh_from_db()
    assert case.person.primary_name.full_name == "Արմեն Սարգսյան" and case.person.birth_year == 1990
    assert case.person.primary_name.written_by == "identification"
    other = services.record_remains(reference="R-8", recovered_on=dt.date(2020, 11, 20),
                                    holding_party=world["parties"]["armenian-side"])
    persons = Person.objects.count()
    response = client_for("exchange_officer").post(
        f"/exchanges/cases/remains/{other.pk}/identify/",
        {**fields, "name": "Սարո Սարգսյան", "status": "presumptive", "method": "visual", "on": "2020-11-26",
         "revision": other.revision})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.person.primary_name.full_name == "Սարո Սարգսյան" and Person.objects.count() == persons + 1


def test_remains_lifecycle_moves_forward_only(world):
    case = services.record_remains(reference="R-1", recovered_on=dt.date(2020, 11, 20),
                                   holding_party=world["parties"]["armenian-side"], dna_required=True)
    with pytest.raises(ExchangeError, match="identified remains"):
        services.hand_over_remains(case, "family", dt.date(2020, 11, 30))
    person = create_person("Դավիթ Հակոբյան", sex="M")
    services.identify_remains(case, person, "presumptive", "visual", dt.date(2020, 11, 25))
    services.identify_remains(case, person, "identified", "dna", dt.date(2020, 12, 3))
    with pytest.raises(ExchangeError, match="back"):
        services.identify_remains(case, person, "presumptive", "visual", dt.date(2020, 12, 4))
    services.hand_over_remains(case, "the family", dt.date(2020, 12, 5))
    case.refresh_from_db()
    assert (case.identification_status, case.identification_method, case.handed_over_on) == (
        "identified", "dna", dt.date(2020, 12, 5))
    with pytest.raises(ExchangeError, match="already"):
        services.hand_over_remains(case, "the family", dt.date(2020, 12, 6))


@pytest.fixture
def exchange(make_list, world, users):
    """Two detainees, one held by each side, each confirmed across the two sides' lists."""
    arm, az = world["parties"]["armenian-side"], world["parties"]["azerbaijani-side"]
    left = make_list("reference,name,birth_date\nA1,Արամ Պետրոսյան,1995-03-02\nA2,Elvin Məmmədov,1999-01-01\n",
                     party="armenian-side")
    right = make_list("reference,name,birth_date\nB1,Aram Petrosyan,1995-03-02\nB2,Эльвин Мамедов,1999-01-01\n",
                      party="azerbaijani-side")
    rec = reconcile(left, right)
    persons = [confirm(rec.decisions.get(left_entry__reference=ref), users["exchange_officer"]) for ref in ("A1", "A2")]
    for person, holder in zip(persons, (az, arm)):
        DetentionCase.objects.create(person=person, kind="civilian", holding_party=holder)
    event = ExchangeEvent.objects.create(kind="all_for_all", date=DAY, intermediary=world["parties"]["intermediary"])
    events.add_to_event(event, persons[0], az, arm)
    events.add_to_event(event, persons[1], arm, az)
    return event, persons


def test_unconfirmed_person_cannot_be_handed_over(exchange, world):
    event, _persons = exchange
    stranger = create_person("Leyla Aliyeva")
    with pytest.raises(ExchangeError, match="not confirmed"):
        events.add_to_event(event, stranger, world["parties"]["armenian-side"], world["parties"]["azerbaijani-side"])
    assert not Handover.objects.filter(person=stranger).exists()


def test_handover_of_person_not_on_event_is_refused(exchange):
    event, _ = exchange
    with pytest.raises(ExchangeError, match="not on this exchange"):
        events.record_handover(event, create_person("Leyla Aliyeva"), "RC delegate", dt.datetime(2020, 12, 14,
                                                                                                 tzinfo=LOCAL))


def test_completion_updates_everyone_in_one_transaction(exchange, users):
    event, persons = exchange
    events.record_handover(event, persons[0], "RC delegate", dt.datetime(2020, 12, 14, 15, 0, tzinfo=LOCAL))
    # The second handover is not recorded yet: completion is refused and nothing changes.
    with pytest.raises(ExchangeError, match="no handover time"):
        events.complete_event(event, users["exchange_officer"])
    assert DetentionCase.objects.filter(status="held").count() == 2
    events.record_handover(event, persons[1], "RC delegate", dt.datetime(2020, 12, 14, 15, 20, tzinfo=LOCAL))
    assert events.complete_event(event, users["exchange_officer"]) == 2
    event.refresh_from_db()
    assert event.status == EventStatus.COMPLETED
    assert set(DetentionCase.objects.values_list("status", "released_on")) == {("exchanged", DAY)}
    with pytest.raises(ExchangeError, match="already completed"):
        events.complete_event(event, users["exchange_officer"])


def test_completion_rolls_back_when_a_case_update_fails(exchange, users, monkeypatch):
    event, persons = exchange
    for person in persons:
        events.record_handover(event, person, "RC", dt.datetime(2020, 12, 14, 15, 0, tzinfo=LOCAL))
    original = DetentionCase.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self.pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DetentionCase, "save", failing_save)
    with pytest.raises(RuntimeError):
        events.complete_event(event, users["exchange_officer"])
    monkeypatch.undo()
    assert DetentionCase.objects.filter(status="held").count() == 2
    assert ExchangeEvent.objects.get(pk=event.pk).status == EventStatus.PLANNED


def test_event_pages_complete_an_exchange(exchange, client_for):
    event, persons = exchange
    client = client_for("exchange_officer")
    for person in persons:
        client.post(f"/exchanges/events/{event.pk}/handover/", {"person": person.pk, "witnessed_by": "RC",
                                                                "handed_at": "2020-12-14T15:00"})
    assert client.post(f"/exchanges/events/{event.pk}/complete/").status_code == 302
    assert ExchangeEvent.objects.get(pk=event.pk).status == "completed"
    page = client.get(f"/exchanges/events/{event.pk}/").content.decode()
    assert "completed" in page
    response = client.post(f"/exchanges/events/{event.pk}/complete/", follow=True)
    assert "already completed" in response.content.decode()


def test_remains_exchange_marks_remains_handed_over(world, users, make_list):
    arm, az = world["parties"]["armenian-side"], world["parties"]["azerbaijani-side"]
    left = make_list("name,birth_date\nՍամվել Գրիգորյան,1990\n", party="armenian-side", kind="our_missing")
    right = make_list("name,birth_date\nSamvel Grigoryan,1990\n", party="azerbaijani-side", kind="remains")
    rec = reconcile(left, right)
    person = confirm(rec.decisions.get(), users["exchange_officer"])
    RemainsCase.objects.create(reference="R-9", person=person, recovered_on=dt.date(2020, 11, 20), holding_party=az,
                               identification_status="presumptive", identification_method="documents",
                               identified_on=dt.date(2020, 11, 21))
    event = ExchangeEvent.objects.create(kind="n_for_m", subject="remains", date=dt.date(2020, 11, 28))
    events.add_to_event(event, person, az, arm)
    events.record_handover(event, person, "RC", dt.datetime(2020, 11, 28, 11, tzinfo=LOCAL))
    events.complete_event(event, users["exchange_officer"])
    case = RemainsCase.objects.get(reference="R-9")
    assert case.handed_over_on == dt.date(2020, 11, 28) and case.handed_over_to_party == arm


def test_a_confirmation_cannot_be_reopened_once_the_person_is_on_an_exchange(exchange, users):
    from peaceops.exchanges.services.reconcile import reopen

    _event, persons = exchange
    decision = MatchDecision.objects.get(left_entry__person=persons[0])
    with pytest.raises(ExchangeError, match="exchange's roster"):
        reopen(decision, users["exchange_officer"], "second thoughts")
    decision.refresh_from_db()
    assert decision.status == "confirmed" and decision.left_entry.person == persons[0]
