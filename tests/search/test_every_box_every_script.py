"""Every search box that takes a name, and the API's `?q=`, finds a person whatever script is typed — both ways:
a Latin or Cyrillic query finds a name stored in Armenian script, a Latin query a Cyrillic one, a Cyrillic or
Armenian query a Latin one — and each list shows the names found as written, with a transliteration into the
reader's script (issue 15, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from peaceops.core.models import Person, PersonName
from peaceops.exchanges.models import (
    ListKind,
    MissingCase,
    PartyList,
    PartyListEntry,
    RemainsCase,
    TracingRequest,
)
from peaceops.exchanges.services.cases import open_detention_case
from peaceops.returns.services.households import MemberSpec, register_household

pytestmark = pytest.mark.django_db

# (name as stored, a query in another script that must find it)
BOTH_WAYS = [
    ("Գոռ Սարգսյան", "Sargsyan"),  # Latin finds Armenian script
    ("Գոռ Սարգսյան", "Саргсян Гор"),  # Cyrillic finds Armenian script
    ("Савельев Игорь", "Savelyev"),  # Latin finds Cyrillic
    ("Gor Sargsyan", "Սարգսյան"),  # Armenian script finds Latin
    ("Gor Sargsyan", "Саргсян"),  # Cyrillic finds Latin
    ("Elçin Hüseynov", "Гусейнов"),  # Cyrillic finds Azerbaijani Latin
]
ELSEWHERE = "Petrosyan"  # found by none of them


def _person(name: str) -> Person:
    person = Person.objects.create(sex="M", birth_year=1980)
    PersonName.objects.create(person=person, full_name=name, is_primary=True)
    return person


def _record(box: str, name: str, world):
    """A record of `box` bearing `name`: (the page listing it, its role, what the page shows of it, API list, id)."""
    places, parties = world["places"], world["parties"]
    if box == "people":
        person = _person(name)
        return "/people/", "coordinator", f"/people/{person.pk}/", "/api/persons/", person.pk
    if box in ("detention", "missing", "remains"):
        person = _person(name)
        if box == "detention":
            case = open_detention_case(person, kind="pow", holding_party=parties["armenian-side"])
        elif box == "missing":
            case = MissingCase.objects.create(person=person, reported_by="A synthetic relative",
                                              reported_on=dt.date(2020, 11, 20))
        else:
            case = RemainsCase.objects.create(person=person, reference="R-SYN-1", recovered_on=dt.date(2020, 11, 20),
                                              holding_party=parties["armenian-side"])
        return (f"/exchanges/cases/{box}/", "exchange_officer", case.get_absolute_url(),
                f"/api/exchanges/{box}-cases/", case.pk)
    if box == "households":
        household = register_household([MemberSpec(name=name)], places["stepanakert"])
        return ("/returns/households/?state=", "returns_officer", f"/returns/households/{household.pk}/",
                "/api/returns/households/", household.pk)
    if box == "tracing":
        request = TracingRequest.objects.create(sought_name=name, requested_by="A synthetic relative", contact="+000",
                                                received_on=dt.date(2020, 11, 20))
        return ("/exchanges/tracing/", "exchange_officer", request.get_absolute_url(),
                "/api/exchanges/tracing-requests/", request.pk)
    assert box == "party list"
    party_list = PartyList.objects.create(party=parties["azerbaijani-side"], kind=ListKind.WE_HOLD,
                                          title="Synthetic list", received_on=dt.date(2020, 11, 20))
    PartyListEntry.objects.create(party_list=party_list, line=1, full_name=name)
    return (party_list.get_absolute_url(), "exchange_officer", f'lang="{_lang(name)}">{name}</span>',
            "/api/exchanges/party-lists/", party_list.pk)


def _lang(name: str) -> str:
    from peaceops.linkage.translit import detect_script

    return {"hy": "hy", "cyrl": "ru", "az": "az"}.get(detect_script(name), "und")


BOXES = ["people", "detention", "missing", "remains", "households", "tracing", "party list"]


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize(("stored", "query"), BOTH_WAYS)
def test_the_search_box_finds_the_name_in_another_script(client_for, world, box, stored, query):
    page, role, shown, _api, _pk = _record(box, stored, world)
    client = client_for(role)
    assert shown in client.get(page, {"q": query}).content.decode(), (box, stored, query)
    assert shown not in client.get(page, {"q": ELSEWHERE}).content.decode(), (box, stored)


@pytest.mark.parametrize("box", BOXES)
@pytest.mark.parametrize(("stored", "query"), BOTH_WAYS[::2] + BOTH_WAYS[3:4])
def test_the_api_q_finds_the_name_in_another_script(api_for, world, box, stored, query):
    _page, role, _shown, api, pk = _record(box, stored, world)
    client = api_for(role)

    def ids(q):
        response = client.get(api, {"q": q})
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert pk in ids(query), (box, stored, query)
    assert pk not in ids(ELSEWHERE), (box, stored)


@pytest.mark.parametrize("box", BOXES)
def test_the_names_found_are_shown_as_written_and_in_the_readers_script(client_for, world, box):
    page, role, _shown, _api, _pk = _record(box, "Գոռ Սարգսյան", world)
    client = client_for(role)
    english = client.get(page, {"q": "Sargsyan"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Գոռ Սարգսյան" in english and "Gor Sargsyan" in english and "translit." in english, box
    russian = client.get(page, {"q": "Sargsyan"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Գոռ Սարգսյան" in russian and "Гор Саргсян" in russian, box


def test_a_party_lists_fathers_name_is_shown_in_the_readers_script_too(client_for, world):
    party_list = PartyList.objects.create(party=world["parties"]["azerbaijani-side"], kind=ListKind.WE_HOLD,
                                          title="Synthetic list", received_on=dt.date(2020, 11, 20))
    PartyListEntry.objects.create(party_list=party_list, line=1, full_name="Գոռ Սարգսյան", father_name="Արամ")
    english = client_for("exchange_officer").get(party_list.get_absolute_url(), {"q": "Sargsyan"},
                                                 HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Արամ" in english and "Aram <small>" in english


def test_fathers_names_on_case_and_tracing_pages_are_shown_in_the_readers_script_too(client_for, world):
    person = _person("Գոռ Սարգսյան")
    Person.objects.filter(pk=person.pk).update(father_name="Արամ")
    case = open_detention_case(person, kind="pow", holding_party=world["parties"]["armenian-side"])
    tracing = TracingRequest.objects.create(sought_name="Գոռ Սարգսյան", sought_father_name="Արամ",
                                            requested_by="A synthetic relative", contact="+000",
                                            received_on=dt.date(2020, 11, 20))
    client = client_for("exchange_officer")
    for url in (case.get_absolute_url(), tracing.get_absolute_url()):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Արամ" in english and "Aram <small>" in english, url
