"""Each domain app announces what the issue lists, from its service, with ids and links only."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.alerts.models import Alert
from peaceops.returns import services as returns
from tests.returns.conftest import at, corridor, household  # noqa: F401 — the returns fixtures, reused

pytestmark = pytest.mark.django_db


def test_a_closed_corridor_alerts_returns_officers(rule, corridor, committed):  # noqa: F811
    rule("returns.corridor_closed", roles=["returns_officer"], severity="critical")
    with committed():
        returns.set_corridor_status(corridor, "restricted", "road works", at=at("2020-11-20", 9))
    assert not Alert.objects.exists()
    with committed():
        returns.set_corridor_status(corridor, "closed", "shelling reported nearby", at=at("2020-11-20", 10))
    alert = Alert.objects.get()
    assert alert.link == f"/returns/corridors/{corridor.pk}/" and alert.facts["corridor"] == corridor.pk


def _dispatched(corridor, household):  # noqa: F811
    convoy = returns.create_convoy(corridor, dt.date(2020, 11, 20), [10])
    returns.add_household_to_convoy(convoy, household(3))
    returns.dispatch(convoy, at=at("2020-11-20", 8))
    checkpoint = corridor.ordered_checkpoints()[1]
    returns.pass_checkpoint(convoy, checkpoint, head_count=3, checked_by="post", at=at("2020-11-20", 9))
    return convoy, checkpoint


def test_a_convoy_stopped_at_a_checkpoint_alerts_with_that_checkpoint(rule, corridor, household, committed):  # noqa: F811
    rule("returns.convoy_stopped", roles=["returns_officer"])
    convoy, checkpoint = _dispatched(corridor, household)
    with committed():
        returns.turn_back(convoy, "stopped at the post", at=at("2020-11-20", 10))
    alert = Alert.objects.get()
    assert alert.facts["checkpoint"] == checkpoint.place_id and alert.facts["people"] == 3
    assert alert.link == f"/returns/convoys/{convoy.pk}/"


def test_an_overdue_convoy_alerts_once_from_the_periodic_check(rule, corridor, household, settings,  # noqa: F811
                                                                 committed):
    from peaceops.alerts.tasks import run_checks

    settings.PEACEOPS_CONVOY_OVERDUE_MINUTES = 120
    rule("returns.convoy_overdue", roles=["returns_officer"])
    convoy, _checkpoint = _dispatched(corridor, household)
    nxt = corridor.ordered_checkpoints()[2]
    with committed():
        assert run_checks(at("2020-11-20", 10, 30))["checks"] == 0  # 90 minutes since the last step
        assert run_checks(at("2020-11-20", 11, 30))["checks"] == 1
        assert run_checks(at("2020-11-20", 12, 30))["checks"] == 1  # still overdue, but already alerted
    alert = Alert.objects.get()
    assert alert.facts["checkpoint"] == nxt.place_id and alert.facts["minutes"] == 150


def test_a_tracing_match_alert_names_nobody(rule, world, users, committed):
    from peaceops.exchanges.models import DetentionCase, TracingRequest
    from peaceops.exchanges.services.people import create_person
    from peaceops.exchanges.services.tracing import match_request

    person = create_person("Արամ Պետրոսյան", sex="M", birth_date="1995-03-02", father_name="Գագիկ")
    DetentionCase.objects.create(person=person, kind="pow", holding_party=world["parties"]["azerbaijani-side"],
                                 detained_on=dt.date(2020, 11, 1))
    request = TracingRequest.objects.create(sought_name="Aram Petrosyan", sought_birth_date="1995-03-02",
                                            requested_by="Gayane Petrosyan", relationship="mother",
                                            contact="+374 00 000000", received_on=dt.date(2020, 12, 1))
    rule("exchanges.tracing_match", roles=["exchange_officer"], webhook=True)
    with committed():
        assert match_request(request, users["exchange_officer"]) == 1
    alert = Alert.objects.get()
    text = " ".join([alert.summary, alert.link, str(alert.facts), alert.subject_model, alert.subject_id])
    for name in ("Aram", "Petrosyan", "Արամ", "Gayane", "374"):
        assert name not in text
    assert alert.link == f"/exchanges/tracing/{request.pk}/" and alert.facts["matches"] == 1


def test_an_import_with_quarantined_rows_alerts(rule, users, committed):
    from peaceops.intake import tabular
    from peaceops.intake.registry import importers

    rule("intake.quarantined_rows", roles=["returns_officer"])
    spec = importers()["returns.registrations"]
    data = "reference,name,sex,birth_year,destination\nR1,Անի Մելքոնյան,F,1980,Stepanakert\n" \
           "R2,,F,not a year,Nowhere at all\n"
    with committed():
        batch = tabular.run_import(spec, data.encode(), "registrations.csv", users["returns_officer"])
    assert batch.rows_quarantined >= 1
    alert = Alert.objects.get()
    assert alert.facts["quarantined"] == batch.rows_quarantined and alert.link == f"/intake/batches/{batch.pk}/"


def test_a_claim_contradicting_the_registry_alerts(rule, monkeypatch, committed):
    from peaceops.core.events import announce
    from peaceops.sources.services import check

    assert "announce" in check.run.__code__.co_names  # the service announces after storing the verdict
    rule("sources.claim_contradicts_registry", roles=["analyst"])
    with committed():
        announce("sources.claim_contradicts_registry", None, claim=1, document=2, verdict="inconsistent")
    assert Alert.objects.get().facts == {"claim": 1, "document": 2, "verdict": "inconsistent"}


def test_a_head_count_that_differs_from_the_manifest_alerts_through_the_real_passage(rule, corridor, household,  # noqa: F811
                                                                                    committed):
    """End to end: pass_checkpoint announces, a rule on the corridor and the size of the difference hears it."""
    rule("returns.headcount_discrepancy", roles=["returns_officer"],
         conditions={"corridor": corridor.pk, "min_difference": 2})
    convoy = returns.create_convoy(corridor, dt.date(2020, 11, 20), [10])
    returns.add_household_to_convoy(convoy, household(4))
    returns.dispatch(convoy, at=at("2020-11-20", 8))
    first, second = corridor.ordered_checkpoints()[1:3]
    with committed():
        returns.pass_checkpoint(convoy, first, head_count=3, checked_by="post", at=at("2020-11-20", 9))
    assert not Alert.objects.exists()  # one short: under the rule's least difference
    with committed():
        returns.pass_checkpoint(convoy, second, head_count=6, checked_by="post", at=at("2020-11-20", 10))
    alert = Alert.objects.get()
    assert (alert.facts["counted"], alert.facts["manifest"], alert.facts["difference"]) == (6, 4, 2)
    assert (alert.facts["convoy"], alert.facts["checkpoint_id"]) == (convoy.pk, second.place_id)
    assert (alert.subject_model, alert.subject_id) == ("returns.convoy", str(convoy.pk))


def test_a_claim_contradicting_the_registry_alerts_from_the_real_check(rule, monkeypatch, users, committed):
    """End to end: an ingested report's claim checked against the registry; a second check with the same verdict
    raises nothing new."""
    from peaceops.sources.models import Claim, Verdict
    from peaceops.sources.services import check
    from peaceops.sources.services.ingest import ingest
    from peaceops.sources.services.registry import Registered
    from tests.sources.test_services import WIRE, FixedRegistry

    day = dt.date(2020, 11, 22)
    figures = {("returned", "day", day): Registered(1290, 1290, "returned that day"),
               ("returned", "cumulative", day): Registered(6950, 8250, "returned in total")}
    monkeypatch.setattr(check, "Registry", lambda: FixedRegistry(figures))
    rule("sources.claim_contradicts_registry", roles=["analyst"])
    with committed():
        document = ingest(WIRE, "wire.txt", users["analyst"])  # ingest checks its claims at once
    total = Claim.objects.get(kind="returned", period="cumulative")
    assert total.verdict == Verdict.INCONSISTENT
    alert = Alert.objects.get()
    assert (alert.facts["claim"], alert.facts["verdict"]) == (total.pk, "inconsistent")
    assert alert.link == f"/open-sources/documents/{total.document_id}/" and document
    with committed():
        check.run(today=dt.date(2021, 1, 1))
    assert Alert.objects.count() == 1
