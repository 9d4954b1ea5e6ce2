"""A corridor's checkpoint and an incident name their place as the reader calls it: on a Russian page the place's
Russian name, where it has one (issue 17, "place names stay English where a Russian name exists")."""

import datetime as dt

from django.utils import timezone, translation

from peaceops.ceasefire.models import Incident
from peaceops.returns.models import CorridorCheckpoint


def test_checkpoint_and_incident_names_follow_the_page_language(world):
    place = world["places"]["stepanakert"]  # "Stepanakert / Khankendi", Russian aliases Степанакерт, Ханкенди
    checkpoint = CorridorCheckpoint(position=1, place=place)
    incident = Incident(place=place, incident_type="shelling", sub_type="mortar",
                        occurred_from=timezone.make_aware(dt.datetime(2020, 12, 12, 10)))
    with translation.override("ru"):
        assert str(checkpoint) == f"2. {place}" and "Степанакерт" in str(checkpoint)
        assert "Степанакерт" in str(incident)
    with translation.override("en"):
        assert str(checkpoint) == "2. Stepanakert / Khankendi"
