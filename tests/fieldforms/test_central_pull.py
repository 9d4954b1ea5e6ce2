"""`peaceops forms pull`: a form's submissions read from ODK Central with pyodk, against responses recorded in
Central's shapes (a session token, then the CSV zip), replayed by a transport adapter: no network."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from requests.adapters import BaseAdapter

from peaceops.fieldforms import central
from peaceops.fieldforms.models import Delivery, FieldSubmission
from peaceops.returns.models import Household
from tests.fieldforms.test_exports import UUID, _central_registration

pytestmark = pytest.mark.django_db
BASE = "https://central.example.org"
TOKEN = "lSpAIeksRu1CNZs7!qjAot2T17dPzkrw9B4iTtpj7OoIJBmXvnHM8z8Ka4QPEjR7"
MEMBERS = ("name,sex,birth_year,birth_month,birth_day,relationship,PARENT_KEY,KEY\n"
           f"Анна Петросян,F,1950,,,head,uuid:{UUID}7,uuid:{UUID}7/member[1]\n"
           f"Арам Петросян,M,1980,,,child,uuid:{UUID}7,uuid:{UUID}7/member[2]\n"
           f"Лусине Тестян,F,1975,,,head,uuid:{UUID}8,uuid:{UUID}8/member[1]\n")


class RecordedCentral(BaseAdapter):
    """Answers as Central does: POST /v1/sessions gives a token for the right password (401 otherwise); the
    export needs that token; an unknown form is 404. Every request is kept for the assertions."""

    def __init__(self, export: bytes, password: str = "s3cret-central"):
        super().__init__()
        self.export, self.password, self.requests = export, password, []

    def send(self, request, **kwargs):
        self.requests.append(request)
        response = requests.Response()
        response.request, response.url = request, request.url
        path = urlsplit(request.url).path
        if request.method == "POST" and path == "/v1/sessions":
            body = json.loads(request.body)
            if body["password"] == self.password:
                response.status_code = 200
                response._content = json.dumps({"token": TOKEN, "expiresAt": "2026-12-05T16:00:00.000Z",
                                                "createdAt": "2026-12-04T16:00:00.000Z"}).encode()
            else:
                response.status_code = 401
                response._content = b'{"message":"Could not authenticate with the provided credentials.","code":401.2}'
        elif request.headers.get("Authorization") != f"Bearer {TOKEN}":
            response.status_code = 401
            response._content = b'{"message":"Could not authenticate.","code":401.2}'
        elif path == "/v1/projects/3/forms/returnee_registration/submissions.csv.zip":
            response.status_code, response._content = 200, self.export
        else:
            response.status_code = 404
            response._content = b'{"message":"Could not find the resource you were looking for.","code":404.1}'
        return response

    def close(self):
        pass


@pytest.fixture
def recorded(settings, monkeypatch, place_key):
    settings.PEACEOPS_CENTRAL_URL, settings.PEACEOPS_CENTRAL_USER = BASE, "clerk@example.org"
    settings.PEACEOPS_CENTRAL_PASSWORD = "s3cret-central"
    adapter = RecordedCentral(_central_registration(place_key("stepanakert"), MEMBERS))
    real = central._session

    def session(*args, **kwargs):
        made = real(*args, **kwargs)
        made.mount(BASE, adapter)
        return made

    monkeypatch.setattr(central, "_session", session)
    return adapter


def _pull(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("forms", "pull", "--form", "returnee_registration", "--project", "3", "--user", "returns_officer",
                 *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_pulled_submissions_become_records_once(recorded):
    out, err = _pull()
    assert "2 accepted" in out, err
    first = Household.objects.get(pk=FieldSubmission.objects.get(instance_id=f"uuid:{UUID}7").record_id)
    assert first.size == 2
    export = recorded.requests[-1]
    assert parse_qs(urlsplit(export.url).query) == {"attachments": ["false"]}  # media are not downloaded
    again, _err = _pull()
    assert "2 already received" in again
    assert FieldSubmission.objects.count() == 2  # the two submissions, each made its household once
    assert Delivery.objects.filter(channel="odk-central").count() == 4


def test_since_asks_central_for_the_newer_submissions_only(recorded):
    _pull("--since", "2020-11-20", "--dry-run")
    query = parse_qs(urlsplit(recorded.requests[-1].url).query)
    assert query["$filter"] == ["__system/submissionDate ge 2020-11-20"]
    assert not FieldSubmission.objects.exists()  # a dry run


def test_a_wrong_password_is_said_and_nothing_is_imported(recorded, settings):
    settings.PEACEOPS_CENTRAL_PASSWORD = "wrong"
    with pytest.raises(CommandError, match="refused the account clerk@example.org"):
        _pull()
    assert not FieldSubmission.objects.exists()


def test_an_unknown_form_on_central_is_said(recorded):
    with pytest.raises(CommandError, match="no form other_form in project 3"):
        _pull("--central-form", "other_form")


def test_without_credentials_it_says_which_settings_to_give(settings):
    settings.PEACEOPS_CENTRAL_URL = ""
    with pytest.raises(CommandError, match="PEACEOPS_CENTRAL_URL"):
        _pull()
