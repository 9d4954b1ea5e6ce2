"""Movement beyond convoys (issue 19 item 2): self-organised returns, departures and secondary displacement per
person; flow counts at checkpoints (no names); head counts checked against the manifest."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from peaceops.core import events
from peaceops.intake import tabular
from peaceops.returns import services
from peaceops.returns.imports import FLOW_SPEC
from peaceops.returns.models import FlowCount, HouseholdState, ManifestEntry, Movement
from peaceops.returns.services import FlowLine, flow_summary, rebuild_tallies, returned_as_of
from tests.returns.conftest import at, run_to_arrival

DAY = dt.date(2020, 11, 25)


@pytest.fixture
def checkpoint(world):
    return world["places"]["cp_berdzor"]


@pytest.fixture
def announced():
    """Every event announced (after commit) while the test runs, as (kind, subject, facts)."""
    seen = []

    def receiver(sender, subject=None, facts=None, **kwargs):
        seen.append((sender, subject, facts))

    events.happened.connect(receiver, dispatch_uid="test-beyond-convoys")
    yield seen
    events.happened.disconnect(dispatch_uid="test-beyond-convoys")


# --- Returned as of D: escorted and self-organised, each person once ---------------------------------------------

def test_self_organised_return_counts_and_states_the_split(household, checkpoint):
    own = household(3)
    assert services.record_household_movement(own, "return", at=at("2020-11-25", 11), checkpoint=checkpoint) == 3
    count = returned_as_of(DAY)
    assert (count.total, count.escorted, count.self_organised) == (3, 0, 3)
    own.refresh_from_db()
    assert own.state == HouseholdState.RETURNED
    assert set(Movement.objects.filter(household=own).values_list("convoy", "checkpoint")) == {(None, checkpoint.pk)}
    assert returned_as_of(dt.date(2020, 11, 24)).total == 0  # not before the day it was recorded


def test_convoy_returnee_recorded_again_on_their_own_counts_once(corridor, household, checkpoint):
    family = household(4)
    convoy = services.create_convoy(corridor, DAY, [10])
    services.add_household_to_convoy(convoy, family)
    run_to_arrival(convoy, at("2020-11-25", 15))
    # Back home after a trip: the same four recorded coming in on their own three days later.
    assert services.record_household_movement(family, "return", at=at("2020-11-28", 10), checkpoint=checkpoint) == 0
    count = returned_as_of(dt.date(2020, 11, 30))
    assert (count.total, count.escorted, count.self_organised) == (4, 4, 0)
    assert Movement.objects.filter(household=family).count() == 8
    rebuild_tallies()  # the same answer recomputed from the movements
    again = returned_as_of(dt.date(2020, 11, 30))
    assert (again.total, again.escorted, again.self_organised) == (4, 4, 0)


def test_an_earlier_self_organised_arrival_makes_the_person_self_organised(corridor, household):
    family = household(2)
    convoy = services.create_convoy(corridor, DAY, [10])
    services.add_household_to_convoy(convoy, family)
    run_to_arrival(convoy, at("2020-11-25", 15))
    first = family.members.values_list("person_id", flat=True).first()
    # Recorded late: one of them had in fact come on their own the day before.
    services.record_household_movement(family, "return", at=at("2020-11-24", 9), person_ids=[first])
    count = returned_as_of(DAY)
    assert (count.total, count.escorted, count.self_organised) == (2, 1, 1)
    assert returned_as_of(dt.date(2020, 11, 24)).self_organised == 1


def test_departures_and_secondary_displacement_are_recorded_but_never_counted_as_returned(household, world):
    family = household(2)
    services.record_household_movement(family, "return", at=at("2020-11-25", 9))
    assert services.record_household_movement(family, "departure", at=at("2020-11-26", 9),
                                              destination=world["places"]["yerevan"]) == 0
    services.record_household_movement(family, "secondary", at=at("2020-11-27", 9),
                                       destination=world["places"]["martuni"])
    assert returned_as_of(dt.date(2020, 11, 28)).total == 2  # who returned by D stays counted
    rebuild_tallies()
    assert returned_as_of(dt.date(2020, 11, 28)).total == 2
    assert sorted(Movement.objects.values_list("kind", flat=True)) == ["departure", "departure", "return", "return",
                                                                        "secondary", "secondary"]


def test_a_departure_needs_a_destination_and_a_household_on_a_manifest_cannot_return_alone(corridor, household):
    family = household(2)
    with pytest.raises(ValidationError, match="where they went"):
        services.record_household_movement(family, "departure", at=at("2020-11-25", 9))
    convoy = services.create_convoy(corridor, DAY, [10])
    services.add_household_to_convoy(convoy, family)
    with pytest.raises(ValidationError, match="manifest"):
        services.record_household_movement(family, "return", at=at("2020-11-25", 9))
    assert not Movement.objects.exists()


# --- Head counts against the manifest ------------------------------------------------------------------------------

def _dispatched(corridor, household, sizes=(3, 2)):
    convoy = services.create_convoy(corridor, DAY, [20])
    families = [household(n) for n in sizes]
    for family in families:
        services.add_household_to_convoy(convoy, family)
    services.dispatch(convoy, at=at("2020-11-25", 7))
    return convoy, families


def test_a_head_count_short_of_the_manifest_holds_the_arrival_and_alerts(corridor, household, announced,
                                                                         django_capture_on_commit_callbacks):
    convoy, (three, two) = _dispatched(corridor, household)
    checkpoints = corridor.ordered_checkpoints()[1:-1]
    with django_capture_on_commit_callbacks(execute=True):
        passage = services.pass_checkpoint(convoy, checkpoints[0], head_count=3, checked_by="post officer",
                                           at=at("2020-11-25", 8))
    assert (passage.manifest_count, passage.discrepancy, passage.unresolved) == (5, -2, True)
    assert [(kind, subject.pk, facts["counted"], facts["manifest"], facts["checkpoint"])
            for kind, subject, facts in announced] == [
        ("returns.headcount_discrepancy", convoy.pk, 3, 5, checkpoints[0].place.name)]
    for i, cp in enumerate(checkpoints[1:], start=2):  # the convoy drives on; only its arrival is held
        services.pass_checkpoint(convoy, cp, head_count=3, checked_by="post officer", at=at("2020-11-25", 7 + i))
    with pytest.raises(ValidationError, match="Arrival held"):
        services.arrive(convoy, at=at("2020-11-25", 15))
    # Naming one absent person leaves the manifest at 4 against 3 counted: refused, nothing changes.
    absent = list(two.members.values_list("person_id", flat=True))
    with pytest.raises(ValidationError, match="would hold 4"):
        services.resolve_headcount(passage, absent=absent[:1], note="one stayed")
    assert ManifestEntry.objects.filter(convoy=convoy).count() == 5
    services.resolve_headcount(passage, absent=absent, note="household stayed in Goris, sick child")
    passage.refresh_from_db()
    assert passage.absent == sorted(absent) and not passage.unresolved
    two.refresh_from_db()
    assert two.state == HouseholdState.WAITING  # none of them travelled: back on the waiting list
    # The later passages counted 3 against the then 5 too: each is resolved, here as already explained.
    for later in convoy.passages.exclude(pk=passage.pk):
        services.resolve_headcount(later, note="same two absent", miscounted=True)
    assert services.arrive(convoy, at=at("2020-11-25", 15)) == 3
    assert returned_as_of(DAY).total == 3  # the two who were not on the bus did not return


def test_a_head_count_over_the_manifest_is_resolved_by_adding_who_travelled(corridor, household, announced,
                                                                            django_capture_on_commit_callbacks):
    convoy, _families = _dispatched(corridor, household, sizes=(2,))
    stowaway = household(1)
    checkpoints = corridor.ordered_checkpoints()[1:-1]
    with django_capture_on_commit_callbacks(execute=True):
        first = services.pass_checkpoint(convoy, checkpoints[0], head_count=3, checked_by="post officer",
                                         at=at("2020-11-25", 8))
    assert announced[0][2]["counted"] == 3 and announced[0][2]["manifest"] == 2
    services.resolve_headcount(first, added=list(stowaway.members.values_list("person_id", flat=True)),
                               note="relative joined at Goris")
    with django_capture_on_commit_callbacks(execute=True):
        for i, cp in enumerate(checkpoints[1:], start=2):
            services.pass_checkpoint(convoy, cp, head_count=3, checked_by="post officer", at=at("2020-11-25", 7 + i))
    assert len(announced) == 1  # the later counts agree with the corrected manifest: no alert
    assert services.arrive(convoy, at=at("2020-11-25", 15)) == 3
    stowaway.refresh_from_db()
    assert stowaway.state == HouseholdState.RETURNED


def test_an_agreeing_head_count_announces_nothing(corridor, household, announced,
                                                  django_capture_on_commit_callbacks):
    convoy, _families = _dispatched(corridor, household)
    with django_capture_on_commit_callbacks(execute=True):
        passage = services.pass_checkpoint(convoy, corridor.ordered_checkpoints()[1], head_count=5,
                                           checked_by="post officer", at=at("2020-11-25", 8))
    assert announced == [] and passage.discrepancy == 0
    with pytest.raises(ValidationError, match="agreed"):
        services.resolve_headcount(passage, note="nothing to resolve")


def test_event_kind_is_declared():
    assert "returns.headcount_discrepancy" in events.event_kinds()


# --- Flow counts ---------------------------------------------------------------------------------------------------

def test_a_day_sheet_is_replaced_not_added_to(checkpoint, world):
    lines = [FlowLine("in", "car", "return", 40, 12), FlowLine("out", "car", "departure", 9, 3),
             FlowLine("in", "foot", "visit", 2)]
    assert services.record_flow_counts(checkpoint, DAY, lines) == 51
    assert services.record_flow_counts(checkpoint, DAY, [FlowLine("in", "car", "return", 35, 11),
                                                         FlowLine("in", "foot", "visit", 0)]) == 44
    assert FlowCount.objects.count() == 2
    summary = flow_summary(DAY, DAY)
    assert (summary.incoming, summary.outgoing, summary.returns, summary.departures) == (35, 9, 35, 9)
    assert summary.by_checkpoint == [(checkpoint, 35, 9)]
    assert not FlowCount._meta.get_field("recorded_by").related_model._meta.model_name == "person"
    assert {f.name for f in FlowCount._meta.get_fields()}.isdisjoint({"person", "name", "household"})


@pytest.mark.parametrize("line, message", [
    (FlowLine("in", "foot", "return", 3, 1), "on foot"),
    (FlowLine("sideways", "car", "return", 3), "direction"),
    (FlowLine("in", "car", "return", 0, 2), "no people"),
    (FlowLine("in", "car", "return", -1), "negative"),
])
def test_bad_flow_lines_are_refused(checkpoint, line, message):
    with pytest.raises(ValidationError, match=message):
        services.record_flow_counts(checkpoint, DAY, [line])
    assert not FlowCount.objects.exists()


def test_flow_counts_only_at_checkpoints(world):
    with pytest.raises(ValidationError, match="not a checkpoint"):
        services.record_flow_counts(world["places"]["stepanakert"], DAY, [FlowLine("in", "car", "return", 4)])


def test_flow_import_names_bad_lines_and_is_idempotent(db, users):
    text = ("checkpoint,day,direction,means,purpose,people,vehicles\n"
            "Berdzor / Lachin checkpoint,2020-11-25,in,car,return,40,12\n"
            "Berdzor / Lachin checkpoint,2020-11-25,out,lorry,work,6,4\n"
            "Nowhere at all,2020-11-25,in,car,return,3,1\n"
            "Berdzor / Lachin checkpoint,2020-11-25,in,on foot,return,5,2\n"
            "Kornidzor checkpoint,25/11/2020,in,car,return,5,2\n"
            "Kornidzor checkpoint,2020-11-25,up,car,return,5,2\n")
    batch = tabular.run_import(FLOW_SPEC, text.encode(), "flows.csv", users["monitor"])
    errors = {row.line: "; ".join(row.errors) for row in batch.quarantined_rows.all()}
    assert batch.rows_saved == 2 and sorted(errors) == [4, 5, 6, 7], errors
    assert "on foot" in errors[5] and "ISO" in errors[6] and "direction" in errors[7]
    again = tabular.run_import(FLOW_SPEC, text.encode(), "flows.csv", users["monitor"])
    assert again.rows_saved == 2 and FlowCount.objects.count() == 2
    assert flow_summary(DAY, DAY).people == 46


# --- Web, API, CLI, sitrep -----------------------------------------------------------------------------------------

def _sheet_post(lines):
    data = {"line-TOTAL_FORMS": str(len(lines)), "line-INITIAL_FORMS": "0"}
    for i, (d, v, p, n, k) in enumerate(lines):
        data.update({f"line-{i}-direction": d, f"line-{i}-vehicle": v, f"line-{i}-purpose": p,
                     f"line-{i}-people": str(n), f"line-{i}-vehicles": str(k)})
    return data


def test_monitor_enters_a_day_sheet_on_the_web(client_for, checkpoint):
    client = client_for("monitor")
    url = f"/returns/flows/{checkpoint.pk}/?day=2020-11-25"
    page = client.get(url)
    assert page.status_code == 200 and b'name="line-0-people"' in page.content
    response = client.post(url, _sheet_post([("in", "car", "return", 40, 12), ("out", "bus", "departure", 30, 1)]))
    assert response.status_code == 302
    assert flow_summary(DAY, DAY).people == 70
    refused = client.post(url, _sheet_post([("in", "foot", "return", 4, 2)]))
    assert refused.status_code == 200 and b"on foot" in refused.content
    listing = client.get("/returns/flows/?day=2020-11-25")
    assert listing.status_code == 200 and b'id="flows-in">40<' in listing.content


@pytest.mark.parametrize("role, get, post", [("engineer", 404, 404), ("coordinator", 200, 403),
                                             ("analyst", 200, 403), ("returns_officer", 200, 302)])
def test_who_may_see_and_enter_flow_counts(client_for, checkpoint, role, get, post):
    client = client_for(role)
    url = f"/returns/flows/{checkpoint.pk}/?day=2020-11-25"
    assert client.get(url).status_code == get
    assert client.post(url, _sheet_post([("in", "car", "return", 5, 2)])).status_code == post


def test_flow_sheet_api_and_returned_as_of_shows_the_split_and_flows(api_for, checkpoint, household):
    api = api_for("monitor")
    response = api.post("/api/returns/flows/sheet/", {"checkpoint": checkpoint.pk, "day": "2020-11-25", "lines": [
        {"direction": "in", "vehicle": "car", "purpose": "return", "people": 40, "vehicles": 12}]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["people"] == 40
    assert api.get("/api/returns/flows/?day=2020-11-25").json()["count"] == 1
    services.record_household_movement(household(3), "return", at=at("2020-11-25", 11))
    body = api_for("returns_officer").get("/api/returns/returned-as-of/?as_of=2020-11-25").json()
    assert (body["total"], body["escorted"], body["self_organised"]) == (3, 0, 3)
    assert body["flows"]["incoming"] == 40 and body["flows"]["returns"] == 40
    # An analyst has no record access: 0 and 3 would single out a small group, so the split is withheld.
    analyst = api_for("analyst").get("/api/returns/returned-as-of/?as_of=2020-11-25").json()
    assert analyst["escorted"] is None and analyst["self_organised"] is None and analyst["total"] == 3


def test_api_household_movement_and_headcount_resolution(api_for, corridor, household):
    api = api_for("returns_officer")
    own = household(2)
    response = api.post(f"/api/returns/households/{own.pk}/movement/", {"kind": "return",
                        "at": "2020-11-25T11:00:00+04:00"}, format="json")
    assert response.status_code == 201 and response.json()["returned_first_time"] == 2
    convoy, (three, _two) = _dispatched(corridor, household)
    cp = corridor.ordered_checkpoints()[1]
    body = api.post(f"/api/returns/convoys/{convoy.pk}/pass/", {"checkpoint": cp.pk, "head_count": 4,
                    "checked_by": "post", "at": "2020-11-25T08:00:00+04:00"}, format="json").json()
    passage = body["passages"][0]
    assert (passage["discrepancy"], passage["unresolved"]) == (-1, True)
    refused = api.post(f"/api/returns/convoys/{convoy.pk}/resolve-headcount/",
                       {"passage": passage["id"], "note": "?"}, format="json")
    assert refused.status_code == 400 and "would hold 5" in str(refused.json())
    one = three.members.values_list("person_id", flat=True).first()
    done = api.post(f"/api/returns/convoys/{convoy.pk}/resolve-headcount/",
                    {"passage": passage["id"], "absent": [one], "note": "stayed behind"}, format="json")
    assert done.status_code == 200 and done.json()["passages"][0]["unresolved"] is False


def test_web_resolution_of_a_held_arrival(client_for, corridor, household):
    convoy, (three, _two) = _dispatched(corridor, household)
    for i, cp in enumerate(corridor.ordered_checkpoints()[1:-1], start=1):
        services.pass_checkpoint(convoy, cp, head_count=4 if i == 1 else 5, checked_by="post",
                                 at=at("2020-11-25", 7 + i))
    client = client_for("returns_officer")
    page = client.get(f"/returns/convoys/{convoy.pk}/")
    assert b"Arrival held" in page.content and b'name="absent"' in page.content
    passage = convoy.passages.order_by("passed_at").first()
    convoy.refresh_from_db()
    response = client.post(f"/returns/convoys/{convoy.pk}/resolve/", {
        "passage": passage.pk, "note": "recounted: 5 on board", "miscounted": "on", "revision": convoy.revision},
        follow=True)
    assert b"resolved" in response.content and b"Arrival held" not in response.content
    passage.refresh_from_db()
    assert passage.resolved_at and passage.resolution.startswith("Count was wrong")


def test_cli_count_split_and_flows(household, checkpoint):
    services.record_household_movement(household(3), "return", at=at("2020-11-25", 11))
    out = io.StringIO()
    call_command("returns", "flows", "--day", "2020-11-25", "--checkpoint", "Berdzor / Lachin checkpoint",
                 "--set", "in/car/return=40/12", "--set", "out/car/departure=7/2", stdout=out)
    assert "40 entering" in out.getvalue() and "7 leaving" in out.getvalue()
    out = io.StringIO()
    call_command("returns", "count", "--as-of", "2020-11-25", stdout=out)
    text = out.getvalue()
    assert "total: 3" in text and "escorted convoys: 0" in text and "self-organised: 3" in text
    assert "40 entering, 7 leaving" in text


def test_sitrep_states_what_returned_counts_and_shows_flows_beside(household, checkpoint):
    from peaceops.core.reporting import ReportingPeriod
    from peaceops.returns.sitrep import SECTIONS

    services.record_household_movement(household(6), "return", at=at("2020-11-25", 11))
    services.record_flow_counts(checkpoint, DAY, [FlowLine("in", "car", "return", 40, 12),
                                                  FlowLine("out", "car", "secondary", 3, 1)])
    section = SECTIONS[0](ReportingPeriod.ending_on(DAY))
    figures = {f.key: f for f in section.figures}
    assert figures["returns.total"].value == 6
    assert (figures["returns.flow_in"].value, figures["returns.flow_out"].value) == (40, 3)
    assert figures["returns.flow_in"].people and figures["returns.flow_out"].people
    keys = [f.key for f in section.figures]
    assert keys.index("returns.flow_in") == keys.index("returns.in_period") + 1  # beside the returned figures
    tables = {t.key: t for t in section.tables}
    assert tables["returns.by_means"].rows == [["in escorted convoys", 0], ["on their own (registered)", 6]]
    assert tables["returns.by_means"].people_columns == [1]
    assert "0 came in escorted convoys and 6 on their own" in section.summary
    assert "40 people entering and 3 leaving" in section.summary


def test_public_view_of_flow_counts_suppresses_small_cells(household, checkpoint):
    from peaceops.reports import disclosure

    services.record_household_movement(household(6), "return", at=at("2020-11-25", 11))
    services.record_flow_counts(checkpoint, DAY, [FlowLine("in", "car", "return", 40, 12),
                                                  FlowLine("out", "car", "secondary", 3, 1),
                                                  FlowLine("out", "car", "departure", 20, 6)])
    from peaceops.core.reporting import ReportingPeriod
    from peaceops.returns.sitrep import SECTIONS

    section = SECTIONS[0](ReportingPeriod.ending_on(DAY))
    table = next(t for t in section.tables if t.key == "returns.flows_by_purpose")
    public = disclosure.table({"key": table.key, "title": table.title, "columns": table.columns,
                               "rows": table.rows, "people_columns": table.people_columns})
    leaving = {row[0]: row[2] for row in public["rows"]}
    assert leaving["secondary displacement"] == "<5"  # three people displaced: never shown as a number
    assert leaving["departure"] == "x"  # hidden beside it, so 23 − 20 cannot give the 3 back


def test_public_returned_page_shows_the_published_split_and_flows_only(client_for, users, household, checkpoint):
    from peaceops.reports import services as reports

    services.record_household_movement(household(6), "return", at=at("2020-11-25", 11))
    services.record_flow_counts(checkpoint, DAY, [FlowLine("in", "car", "return", 40, 12),
                                                  FlowLine("out", "car", "departure", 3, 1)])
    coordinator = users["coordinator"]
    second = users["coordinator2"]  # four eyes: the drafter neither approves nor publishes
    reports.publish(reports.approve(reports.start_draft(DAY, coordinator), second), second, confirmed=True)
    services.record_flow_counts(checkpoint, DAY, [FlowLine("in", "car", "return", 90, 30)])  # after publication
    page = client_for("public").get("/returns/?as_of=2020-11-25").content.decode()
    assert 'data-total="6"' in page
    assert "in escorted convoys: 0; on their own (registered): 6" in page
    flows = page[page.index('id="returned-flows"'):]
    flows = flows[:flows.index("</section>")]
    assert "<dd>40</dd>" in flows and "<dd>&lt;5</dd>" in flows  # published, with the small cell hidden
    assert "90" not in flows  # the live correction waits for the next publication
