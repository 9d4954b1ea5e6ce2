"""Every comparison level an officer may read among a proposal's reasons is translated (the Russian duplicates
page showed "exact (after transliteration)", "missing", "same phonetic skeleton" in English)."""

from __future__ import annotations

from django.utils import translation

from peaceops.linkage import households, model
from peaceops.linkage.level_labels import LABELS, translated
from peaceops.linkage.prepare import Schema


def _model_labels() -> set[str]:
    schema = Schema(has_father=True, has_dob=True, has_place=True, has_sex=True, extras=())
    labels = {level["label_for_charts"] for comparison in model.comparisons(schema, model.DUCKDB)
              for level in comparison["comparison_levels"]}
    return labels | set(households.LABELS.values())


def test_every_level_the_engine_gives_is_listed_for_translation():
    assert _model_labels() <= set(LABELS)
    assert all(lazy._args == ("comparison level", label) for label, lazy in LABELS.items())  # key = its msgid


def test_every_listed_level_reads_in_russian():
    with translation.override("ru"):
        untranslated = sorted(label for label in LABELS if translated(label) == label)
    assert not untranslated


def test_a_label_not_listed_is_shown_as_stored():
    with translation.override("ru"):
        assert translated("a level of an older release") == "a level of an older release"


def test_the_exchanges_reasons_read_linkage_levels_and_their_own_in_russian():
    from django.template.loader import render_to_string

    reasons = [{"field": "surname", "level": "same phonetic skeleton", "agrees": True, "weight": 5.0},
               {"field": "age", "level": "within the estimate", "agrees": True, "weight": 2.0}]
    with translation.override("ru"):
        html = render_to_string("exchanges/_reasons.html", {"decision": {"reasons": reasons}})
    assert "один фонетический скелет" in html and "в пределах оценки" in html
    assert "same phonetic skeleton" not in html and "within the estimate" not in html

