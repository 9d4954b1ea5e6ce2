"""Place names in Russian pages come from the gazetteer's Russian aliases (issue 17: they stayed English where a
Russian name exists); a name without a Russian alias stays as it is, and English pages keep the canonical name."""

from __future__ import annotations

import pytest
from django.utils import translation

from peaceops.core import placenames

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_names():
    placenames.invalidate()
    yield
    placenames.invalidate()


def test_each_half_of_a_neutral_name_takes_its_russian_alias(world):
    places = world["places"]
    with translation.override("ru"):
        assert str(places["stepanakert"]) == "Степанакерт / Ханкенди"
        assert str(places["shushi"]) == "Шуши / Шуша"  # matched by sound, not by the aliases' order
    with translation.override("en"):
        assert str(places["stepanakert"]) == "Stepanakert / Khankendi"


def test_a_half_without_a_russian_alias_stays_as_written():
    assert placenames._localise("Hadrut / Somewhere", [("Гадрут", "gadrut")]) == "Гадрут / Somewhere"
    assert placenames._localise("Martuni / Khojavend", [("Мартуни", "martuni"), ("Ходжавенд", "xudcavend")]) \
        == "Мартуни / Ходжавенд"


def test_incident_list_shows_russian_place_names(client_for, world, users):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from peaceops.ceasefire import services

    when = dt.datetime(2020, 12, 12, 10, tzinfo=ZoneInfo("Asia/Yerevan"))
    services.file_incident(users["monitor"], {
        "occurred_from": when, "occurred_to": when + dt.timedelta(minutes=20), "incident_type": "shelling",
        "sub_type": "mortar", "time_precision": "minute", "place": world["places"]["shushi"]},
        [(world["sources"]["observation_post"], "test report")])
    client = client_for("coordinator")
    client.cookies["django_language"] = "ru"
    html = client.get("/ceasefire/incidents/").content.decode()
    assert "Шуши / Шуша" in html and "Shushi / Shusha</td>" not in html


def test_incident_steps_and_the_engine_are_shown_through_translatable_labels(client_for, world, users):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from peaceops.ceasefire import services
    from peaceops.ceasefire.models import Status
    from peaceops.ceasefire.models.incidents import STEP_LABELS
    from peaceops.exchanges.matching import ENGINE_NAME
    from peaceops.exchanges.models import Reconciliation

    # Every action the workflow writes has a label (the stored word is English whatever the language).
    assert {"filed", "claimed", "merged", *[s for s in Status.values if s not in ("reported", "under_review")]} \
        <= set(STEP_LABELS)
    when = dt.datetime(2020, 12, 12, 10, tzinfo=ZoneInfo("Asia/Yerevan"))
    incident = services.file_incident(users["monitor"], {
        "occurred_from": when, "occurred_to": when + dt.timedelta(minutes=20), "incident_type": "shelling",
        "sub_type": "mortar", "time_precision": "minute", "place": world["places"]["shushi"]},
        [(world["sources"]["observation_post"], "test report")])
    services.claim(incident, users["analyst"])
    html = client_for("analyst").get(f"/ceasefire/incidents/{incident.pk}/").content.decode()
    assert "claimed for review:" in html and "<td>claimed:" not in html
    assert Reconciliation(engine=ENGINE_NAME).engine_label == "record-linkage engine (Splink)"


def test_incidents_have_a_free_text_search(client_for, world, users):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from peaceops.ceasefire import services

    when = dt.datetime(2020, 12, 12, 10, tzinfo=ZoneInfo("Asia/Yerevan"))
    for place, words in (("shushi", "Mortar rounds near the school."), ("martuni", "Bursts of automatic fire.")):
        services.file_incident(users["monitor"], {
            "occurred_from": when, "occurred_to": when + dt.timedelta(minutes=20), "incident_type": "shelling",
            "sub_type": "mortar", "time_precision": "minute", "place": world["places"][place]},
            [(world["sources"]["observation_post"], words)])
    client = client_for("analyst")
    found = client.get("/ceasefire/incidents/?q=school").content.decode()
    assert "Shushi / Shusha" in found and "Martuni / Khojavend</td>" not in found
    by_alias = client.get("/ceasefire/incidents/?q=Мартуни").content.decode()
    assert "Martuni / Khojavend" in by_alias and "Shushi / Shusha</td>" not in by_alias


def test_the_credibility_badge_follows_a_source_graded_since_filing(client_for, world, users):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from peaceops.ceasefire import services
    from peaceops.core import services as core_services

    when = dt.datetime(2020, 12, 12, 10, tzinfo=ZoneInfo("Asia/Yerevan"))
    incident = services.file_incident(users["monitor"], {
        "occurred_from": when, "occurred_to": when + dt.timedelta(minutes=20), "incident_type": "shelling",
        "sub_type": "mortar", "time_precision": "minute", "place": world["places"]["shushi"]},
        [(world["sources"]["observation_post"], "test report")])
    core_services.grade(incident.sources.get(), "B", 2, users["analyst"])
    html = client_for("analyst").get(f"/ceasefire/incidents/{incident.pk}/").content.decode()
    assert ">grade B2: probably true</a>" in html and "truth cannot be judged</a>" not in html


def test_observation_posts_and_checkpoints_have_russian_names(world):
    """Russian pages showed "Observation post 01 (north)" and "Berdzor / Lachin checkpoint" in English: their
    only Russian alias was "НП-01", and checkpoints had none."""
    places = world["places"]
    with translation.override("ru"):
        assert str(places["op01"]) == "Наблюдательный пост 01 (север)"
        assert str(places["op19"]) == "Наблюдательный пост 19 (коридор)"
        assert str(places["cp_berdzor"]) == "КПП Бердзор / Лачин"  # both parties' names, as in English
        assert str(places["cp_shushi"]) == "КПП Шуши / Шуша"
    with translation.override("en"):
        assert str(places["op01"]) == "Observation post 01 (north)"
    from peaceops.core import gazetteer

    assert gazetteer.resolve("НП-01").place == places["op01"]  # the short form still finds the post


def test_the_gazetteer_list_shows_the_russian_name(client_for, world):
    client = client_for("coordinator")
    client.cookies["django_language"] = "ru"
    html = client.get("/places/?kind=observation_post").content.decode()
    assert "Наблюдательный пост 01 (север)</a>" in html


def test_populations_are_grouped_as_the_page_language_writes_numbers(client_for, world):
    """Russian pages showed "2300000" beside grouped figures elsewhere: one number format per language."""
    client = client_for("coordinator")
    baku = next(p for p in world["places"].values() if p.population and p.population >= 1_000_000)
    client.cookies["django_language"] = "ru"
    html = client.get("/places/?kind=settlement").content.decode()
    grouped = f"{baku.population:,}".replace(",", "\xa0")
    assert f'<td class="num">{grouped}</td>' in html
    client.cookies["django_language"] = "en"
    assert f'<td class="num">{baku.population:,}</td>' in client.get("/places/?kind=settlement").content.decode()
    assert f"<dd>{baku.population:,}</dd>" in client.get(f"/places/{baku.pk}/").content.decode()
