"""Parties and sources carry a Russian name the mission gives them, shown on Russian pages."""

from __future__ import annotations

import pytest
from django.utils import translation

from peaceops.core.models import Party, Source

pytestmark = pytest.mark.django_db


def test_a_party_is_named_in_the_readers_language(world):
    party = Party.objects.get(code="peacekeeping-force")
    with translation.override("ru"):
        assert str(party) == "Миротворческий контингент"
    with translation.override("en"):
        assert str(party) == "Peacekeeping contingent"


def test_a_record_without_a_russian_name_keeps_its_own(world):
    party = Party.objects.create(code="observer-x", label="Observer X", kind="unknown")
    with translation.override("ru"):
        assert str(party) == "Observer X"


def test_the_russian_reference_pages_name_parties_and_sources_in_russian(client_for):
    client = client_for("analyst")
    parties = client.get("/parties/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Азербайджанская сторона" in parties and "Azerbaijani side" not in parties
    sources = client.get("/sources/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Патрули миротворцев" in sources
    assert Source.objects.filter(name="Peacekeeping patrols").exists()  # the stored name stays as entered
