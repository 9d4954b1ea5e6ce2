"""The registry's duplicate search gives the engine each person's household (`registry_records`): a namesake
registered with another family is not proposed; a person registered again alone still is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peaceops.linkage.engine import dedupe_records
from peaceops.returns import services
from peaceops.returns.models import DuplicateProposal, HouseholdMember
from peaceops.returns.services import MemberSpec, duplicates


def _household(world, members: list[tuple[str, str, tuple[int, ...]]], registered: str):
    specs = [MemberSpec(name=name, sex=sex, birth_year=born[0], birth_month=(*born, None, None)[1],
                        birth_day=(*born, None, None)[2]) for name, sex, born in members]
    return services.register_household(specs, world["places"]["stepanakert"],
                                       registered_on=dt.date.fromisoformat(registered))


@pytest.fixture
def registry(world):
    """Two men called Herasim Vlasov born in 1941, each the head of his own family (the demo's false proposal),
    and Armen Petrosyan registered with his wife, then again alone in another script."""
    first = _household(world, [("Герасим Власов", "M", (1941, 9, 25)), ("Маргарита Власова", "F", (1944, 2, 11)),
                                ("Ольга Власова", "F", (1966, 7, 1))], "2020-11-10")
    second = _household(world, [("Herasim Vlasov", "M", (1941,)), ("Fevroniya Vlasova", "F", (1943,)),
                                 ("Ruben Vlasov", "M", (1965,)), ("Potap Vlasov", "M", (1968,))], "2020-11-11")
    armen = _household(world, [("Արմեն Պետրոսյան", "M", (1980, 5, 12)), ("Անահիտ Պետրոսյան", "F", (1982, 1, 3))],
                       "2020-11-10")
    armen_again = _household(world, [("Армен Петросян", "M", (1980, 5, 12))], "2020-11-12")
    return {"herasim": first.head, "herasim2": second.head, "armen": armen.head, "armen_again": armen_again.head}


def _proposed(a, b) -> bool:
    return DuplicateProposal.objects.filter(left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk)).exists()


def test_records_carry_the_household_and_the_person(registry):
    records = {r["id"]: r for r in duplicates.registry_records()}
    herasim, wife = records[f"{registry['herasim'].pk}:0"], records[f"{registry['herasim'].pk + 1}:0"]
    assert herasim["household"] == wife["household"] != records[f"{registry['herasim2'].pk}:0"]["household"]
    assert herasim["person_key"] == str(registry["herasim"].pk)
    household = HouseholdMember.objects.get(person=registry["herasim"]).household
    assert herasim["household"] == (household.reference or f"#{household.pk}")  # as the officer reads it


def test_the_households_cost_one_query_whatever_the_number_of_people(registry, world):
    everyone = duplicates.registry_person_ids()
    with CaptureQueriesContext(connection) as one:
        records = duplicates.registry_records([registry["herasim"].pk])
    with CaptureQueriesContext(connection) as all_of_them:
        duplicates.registry_records(everyone)
    assert len(everyone) == 10 and records[0]["household"]
    assert len(all_of_them.captured_queries) == len(one.captured_queries)


def test_a_namesake_in_another_family_is_not_proposed(registry, users):
    # On the person's fields alone (the search before households reached the engine) the pair is proposed.
    bare = [{k: v for k, v in r.items() if k not in ("household", "person_key")}
            for r in duplicates.registry_records()]
    ids = {f"{registry['herasim'].pk}:0", f"{registry['herasim2'].pk}:0"}
    assert any({p.left_id, p.right_id} == ids for p in dedupe_records(bare))

    duplicates.find_duplicates(users["returns_officer"])
    assert not _proposed(registry["herasim"], registry["herasim2"])


def test_a_person_registered_again_alone_is_still_proposed_with_the_household_unknown(registry, users):
    duplicates.find_duplicates(users["returns_officer"])
    assert _proposed(registry["armen"], registry["armen_again"])
    proposal = DuplicateProposal.objects.get(left_id=registry["armen"].pk, right_id=registry["armen_again"].pk)
    household = [r for r in proposal.explanation if r["field"] == "household"]
    assert household and household[0]["level"] == "no co-members on one side" and household[0]["weight"] == 0


def test_the_page_names_each_household_by_its_reference_in_the_pair_and_the_reasons(registry, users, client_for):
    duplicates.find_duplicates(users["returns_officer"])
    household = HouseholdMember.objects.get(person=registry["armen"]).household
    shown = household.reference or f"#{household.pk}"
    page = client_for("returns_officer").get("/returns/duplicates/").content.decode()
    assert f'href="/returns/households/{household.pk}/">{shown}</a>' in page  # the pair's Household row
    assert page.count(f"<td>{shown}</td>") == 1  # and the household reason's value


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_threshold_box_holds_the_default_in_every_language(world, users, client_for, language):
    # A number box takes only "0.9": Russian formatting wrote "0,9", which the browser showed as an empty box.
    page = client_for("returns_officer").get("/returns/duplicates/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'name="threshold" min="0.01" max="1" step="0.01" value="0.9"' in page
