"""The households list API builds its rows from column values (peaceops.returns.rows) for speed: every row must
be what HouseholdSerializer writes, the audit event must name the same ids, and changes show at once."""

from __future__ import annotations

import json

import pytest
from rest_framework.renderers import JSONRenderer

from peaceops.core.models import AuditEvent, PersonName
from peaceops.returns import rows
from peaceops.returns.models import Household, HouseholdMember
from peaceops.returns.serializers import HouseholdSerializer

pytestmark = pytest.mark.django_db


def _serialized(ids: list[int]) -> list[dict]:
    by_id = {h.pk: h for h in Household.objects.filter(pk__in=ids).prefetch_related("members__person__names")}
    return json.loads(JSONRenderer().render(HouseholdSerializer([by_id[i] for i in ids], many=True).data))


@pytest.fixture
def varied(household, world):
    """Households with members, needs, a carer, an origin, a person without a primary name and one with none."""
    first, second, third = household(3, vulnerable=True), household(1), household(2, destination="martuni")
    member = HouseholdMember.objects.filter(household=first).order_by("id").last()
    head = HouseholdMember.objects.filter(household=first).order_by("id").first()
    HouseholdMember.objects.filter(pk=member.pk).update(needs=["medical"], seat_needs=["stretcher", "carer"],
                                                        carer=head.person, relationship="mother")
    Household.objects.filter(pk=second.pk).update(origin=world["places"]["martuni"])
    lone = HouseholdMember.objects.get(household=second).person
    PersonName.objects.filter(person=lone).update(is_primary=False)
    PersonName.objects.create(person=lone, full_name="Zara Second", is_primary=False)
    nameless = HouseholdMember.objects.filter(household=third).order_by("id").last().person
    PersonName.objects.filter(person=nameless).delete()
    return [first, second, third]


def test_the_builder_covers_the_serializer():
    assert rows.available(), "HouseholdSerializer shows a field peaceops.returns.rows does not build"


def test_list_rows_equal_the_serializer_and_the_audit_names_them(api_for, varied):
    response = api_for("returns_officer").get("/api/returns/households/")
    assert response.status_code == 200
    listed = response.json()["results"]
    ids = [row["id"] for row in listed]
    assert set(ids) >= {h.pk for h in varied}
    assert listed == _serialized(ids)
    event = AuditEvent.objects.filter(model="returns.Household", action="read").order_by("-id").first()
    assert event.detail["ids"] == [str(i) for i in ids] and event.detail["count"] == len(ids)


def test_filters_and_pages_are_the_views(api_for, varied):
    api = api_for("returns_officer")
    vulnerable = api.get("/api/returns/households/?is_vulnerable=true").json()
    assert [r["id"] for r in vulnerable["results"]] == list(
        Household.objects.filter(is_vulnerable=True).order_by("-is_vulnerable", "registered_on", "id")
        .values_list("id", flat=True))[:50]
    everyone = list(Household.objects.order_by("-is_vulnerable", "registered_on", "id").values_list("id", flat=True))
    page = api.get("/api/returns/households/?page=1").json()
    assert page["count"] == len(everyone) and [r["id"] for r in page["results"]] == everyone[:50]


def test_the_members_are_read_without_the_households_table(api_for, varied):
    """A page's members are grouped per household in Python: their query must not join the households (ordering
    by the household's date did, and on PostgreSQL hashed every household for each page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ids = [h.pk for h in varied]
    with CaptureQueriesContext(connection) as captured:
        built = rows.household_rows(ids)
    assert built == _serialized(ids)
    members = [q["sql"] for q in captured.captured_queries if 'FROM "returns_householdmember"' in q["sql"]]
    assert len(members) == 1 and 'JOIN "returns_household"' not in members[0], members


def test_a_changed_name_or_need_shows_in_the_next_list(api_for, varied):
    api = api_for("returns_officer")
    member = HouseholdMember.objects.filter(household=varied[0]).order_by("id").first()
    PersonName.objects.filter(person=member.person, is_primary=True).update(full_name="Renamed Person")
    HouseholdMember.objects.filter(pk=member.pk).update(needs=["pregnant"])
    row = next(r for r in api.get("/api/returns/households/").json()["results"] if r["id"] == varied[0].pk)
    shown = next(m for m in row["members"] if m["person"] == member.person_id)
    assert shown["name"] == "Renamed Person" and shown["needs"] == ["pregnant"]
    assert row == _serialized([varied[0].pk])[0]


def test_the_endpoint_lists_through_the_builder(api_for, varied, monkeypatch):
    """The audited viewset lists, the rows mixin builds: the page must come from the builder, never from the
    serializer (named after AuditedReadViewSet, the mixin once came after DRF's list and was never called)."""
    def refuse(self, instance):
        raise AssertionError("the households list serialized a model instance")

    monkeypatch.setattr(HouseholdSerializer, "to_representation", refuse)
    response = api_for("returns_officer").get("/api/returns/households/")
    assert response.status_code == 200 and len(response.json()["results"]) >= len(varied)


def test_the_list_order_is_read_from_an_index(varied):
    """The households list's page of ids (vulnerable first, then by registration) comes from an index in that
    order, not from sorting every household (PostgreSQL sorted 17,764 for each page)."""
    from django.db import connection, transaction

    ids = Household.objects.order_by("-is_vulnerable", "registered_on", "id").values_list("pk", flat=True)[:50]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            plan = ids.explain()
            assert "household_list" in plan and "Sort" not in plan, plan
        else:
            plan = ids.explain()
            assert "household_list" in plan and "TEMP B-TREE" not in plan, plan
