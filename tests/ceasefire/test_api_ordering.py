"""?ordering= on the API keeps one order for records that tie on the fields named: the id breaks the tie, so
pages never repeat or skip a record on PostgreSQL (which returns ties in any order)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from peaceops.api.filtering import OrderingFilter
from peaceops.ceasefire.api import IncidentViewSet
from peaceops.ceasefire.models import Incident

pytestmark = pytest.mark.django_db


def _ordering(query: str) -> list[str]:
    view = IncidentViewSet()
    view.request = Request(APIRequestFactory().get(f"/api/ceasefire/incidents/?{query}"))
    return OrderingFilter().get_ordering(view.request, Incident.objects.all(), view)


def test_the_id_breaks_ties_in_the_direction_of_the_last_field():
    assert _ordering("ordering=-occurred_from") == ["-occurred_from", "-id"]
    assert _ordering("ordering=occurred_from") == ["occurred_from", "id"]
    assert _ordering("ordering=id") == ["id"]  # named already: left as asked


def test_incidents_sharing_a_start_time_page_in_one_order(api_for, file):
    when = dt.datetime(2020, 12, 20, 9, tzinfo=ZoneInfo("Asia/Yerevan"))
    tied = [file(when=when).pk for _ in range(5)]
    later = file(when=when + dt.timedelta(hours=1)).pk
    analyst, seen, url = api_for("analyst"), [], "/api/ceasefire/incidents/?ordering=-occurred_from&page_size=2"
    while url:
        response = analyst.get(url)
        assert response.status_code == 200, response.content
        seen += [row["id"] for row in response.json()["results"]]
        url = response.json()["next"]
    assert len(seen) == len(set(seen))  # no record on two pages
    assert [pk for pk in seen if pk in {*tied, later}] == [later, *sorted(tied, reverse=True)]
