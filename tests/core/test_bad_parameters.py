"""A bad filter in an address is a 400 page that names the parameter and what it accepts (issue 17:
`/ceasefire/incidents/?district=abc` was a raw "Server Error (500)"; an unknown status silently matched
nothing)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BAD = [
    ("coordinator", "/ceasefire/incidents/?district=abc", "district"),
    ("coordinator", "/ceasefire/incidents/?district=1.5", "district"),
    ("coordinator", "/ceasefire/incidents/?status=bogus", "status"),
    ("coordinator", "/ceasefire/incidents/?type=bogus", "type"),
    ("coordinator", "/ceasefire/incidents/?day=2020-13-01", "day"),
    ("coordinator", "/ceasefire/incidents/export/?format=acled&district=x", "district"),
    ("coordinator", "/ceasefire/incidents.geojson?district=x", "district"),
    ("coordinator", "/ceasefire/posts/?post=abc", "post"),
    ("coordinator", "/restoration/facilities/?settlement=abc", "settlement"),
    ("coordinator", "/restoration/facilities/?sector=nuclear", "sector"),
    ("coordinator", "/restoration/works/?status=bogus", "status"),
    ("coordinator", "/returns/convoys/?status=bogus", "status"),
    ("returns_officer", "/returns/households/?state=bogus", "state"),
    ("returns_officer", "/returns/duplicates/?status=bogus", "status"),
    ("coordinator", "/places/?kind=bogus", "kind"),
    ("coordinator", "/dashboard/?as_of=2020-02-30", "as_of"),
]


@pytest.mark.parametrize(("role", "address", "name"), BAD)
def test_bad_parameter_is_a_400_naming_it(client_for, role, address, name):
    response = client_for(role).get(address)
    assert response.status_code == 400, address
    text = response.content.decode()
    assert f"{name} must be" in text  # which parameter, and what it accepts


def test_good_filters_still_answer(client_for, world):
    district = world["places"]["martuni"].parent_id or ""
    response = client_for("coordinator").get(f"/ceasefire/incidents/?district={district}&status=verified"
                                             "&type=shelling")
    assert response.status_code == 200
    assert client_for("returns_officer").get("/returns/duplicates/?status=all").status_code == 200
    assert client_for("returns_officer").get("/returns/households/?state=").status_code == 200


def test_every_role_with_the_imports_menu_has_an_importer(users):
    """The monitor's "Imports" entry led to "No importer is available to your role"."""
    from peaceops.core.roles import STAFF_ROLES, can
    from peaceops.intake.views import _allowed_importers

    for role in STAFF_ROLES:
        if can(users[role], "intake.use"):
            assert _allowed_importers(users[role]), role


def test_a_digit_that_is_not_ascii_is_not_a_record_number(client_for, api_for):
    """"²" and "٣" pass str.isdigit() but not int(): a name, never a server error (schemathesis found it)."""
    from peaceops.core.text import record_number

    assert [record_number(t) for t in ("12", " 7 ", "²", "٣", "", None, "1" * 19)] == [12, 7, None, None, None,
                                                                                       None, None]
    assert api_for("analyst").get("/api/places/resolve/", {"name": "²"}).status_code == 404
