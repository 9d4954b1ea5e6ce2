"""The exchanges part of the demo world honours the public record it is calibrated on."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from peaceops.core import mission
from peaceops.core.models import Organisation
from peaceops.exchanges import scenario
from peaceops.exchanges.models import PartyListEntry, TracingMatch
from peaceops.exchanges.services.summary import summary
from peaceops.scenario.world import World


@pytest.fixture
def built(world, users):
    w = World(seed=20201110, scale=1.0, rng=random.Random(1), places=world["places"], parties=world["parties"],
              organisations={o.acronym: o for o in Organisation.objects.all()}, users=users)
    for build in scenario.BUILDERS:
        build(w)
    return w


def test_scenario_figures(built):
    before = summary(dt.date(2020, 12, 5))
    assert before.remains_received > 600
    assert 480 <= before.remains_dna_pending <= 540  # about 500
    assert before.remains_identified == 135 and before.remains_handed_over == 135
    assert before.exchanged_total == 0
    assert summary(dt.date(2020, 12, 10)).exchange_prepared is not None
    after = summary(dt.date(2020, 12, 14))
    assert sorted(after.exchanged.values()) == [12, 44]
    assert after.exchange_prepared is None
    assert summary(dt.date(2020, 12, 31)).missing_open == 150


def test_scenario_lists_spell_the_same_people_differently(built):
    scripts = {e.script for e in PartyListEntry.objects.all()}
    assert {"Armn", "Cyrl", "Latn"} <= scripts
    linked = PartyListEntry.objects.exclude(person=None)
    person = linked.first().person
    assert len({n.full_name for n in person.names.all()}) >= 2
    assert TracingMatch.objects.exists()


@pytest.mark.parametrize("day", [dt.date(2020, 12, 5), dt.date(2020, 12, 10), dt.date(2020, 12, 14)])
def test_every_sitrep_figure_links_to_the_records_it_counts(built, client_for, day):
    from peaceops.core.reporting import ReportingPeriod
    from peaceops.exchanges.sitrep import exchanges_section

    client = client_for("exchange_officer")
    section = exchanges_section(ReportingPeriod.ending_on(day))
    checked = 0
    for figure in section.figures:
        response = client.get(figure.url)
        assert response.status_code == 200, figure.key
        if figure.key == "exchanges.exchanged":
            shown = response.context["persons_handed_over"]
        elif "page" in response.context:
            shown = response.context["page"].paginator.count
        else:
            shown = len(response.context["events"])
        assert shown == figure.value, (figure.key, figure.url)
        checked += figure.value > 0
    assert checked >= 4  # the day's figures are not all zero, so the comparison means something


def test_a_filtered_case_list_keeps_its_filter_across_pages_and_rejects_an_unknown_state(built, client_for):
    client = client_for("exchange_officer")
    response = client.get("/exchanges/cases/remains/?as_of=2020-12-05&state=dna_pending")
    page = response.context["page"]
    assert page.paginator.count > 50 and page.has_next()
    assert "as_of=2020-12-05&amp;state=dna_pending" in response.content.decode()
    second = client.get("/exchanges/cases/remains/?page=2&as_of=2020-12-05&state=dna_pending")
    assert second.context["page"].paginator.count == page.paginator.count
    assert client.get("/exchanges/cases/remains/?as_of=2020-12-05&state=anything").status_code == 404


def test_series_equal_the_daily_summaries_and_read_the_database_twice(built, django_assert_max_num_queries):
    from peaceops.exchanges.sitrep import exchanges_series

    first, last = dt.date(2020, 11, 12), dt.date(2020, 12, 20)
    mission.current()  # the mission is read once per process, not per request
    with django_assert_max_num_queries(2):
        exchanged, remains = exchanges_series(first, last)
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    assert exchanged.points == [(d, float(summary(d).exchanged_total)) for d in days]
    assert remains.points == [(d, float(summary(d).remains_recovered)) for d in days]
    assert exchanged.points[-1][1] > 0 and remains.points[0][1] < remains.points[-1][1]


def test_tracing_requests_find_the_person_sought_and_nobody_else(built):
    """Families' requests in their own spelling find the case they are about; requests about people no file
    holds find nobody, at the default threshold."""
    truth = dict(built.truth["tracing requests"])
    assert len(truth) >= 30 and None in truth.values()
    for request_id, person_id in truth.items():
        found = set(TracingMatch.objects.filter(request_id=request_id).values_list("person_id", flat=True))
        matches = list(TracingMatch.objects.filter(request_id=request_id).values_list("person_id", "probability",
                                                                                     "reasons"))
        assert found == ({person_id} if person_id else set()), "; ".join(
            f"{pid} {p}: " + ", ".join(f"{r['field']} {r['level']} {r['left']}/{r['right']}" for r in reasons)
            for pid, p, reasons in matches)


def test_scenario_carries_ante_mortem_data_and_dna_results(built):
    from peaceops.exchanges.models import AmPmCandidate, AnteMortem, DnaMatch, FamilyContact, PostMortem

    assert AnteMortem.objects.count() == 24 and FamilyContact.objects.count() == 24
    assert PostMortem.objects.filter(recovery_site__isnull=False).count() == 40
    matches = list(DnaMatch.objects.all())
    assert len(matches) == 7 and all(m.status == "proposed" for m in matches)  # six strong, one too weak
    truth = dict(built.truth["identification"])
    for match in matches:
        if match.likelihood_ratio > 10_000:
            assert truth[match.remains_sample.remains_case_id] == match.reference_sample.missing_case_id
    # the comparison ranks each true missing person first among the candidates for its remains
    for remains_id, missing_id in truth.items():
        best = AmPmCandidate.objects.filter(remains_case_id=remains_id).order_by("-score", "id").first()
        assert best is not None and best.missing_case_id == missing_id
