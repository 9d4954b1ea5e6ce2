"""Which language a report is written in. Only languages the rules read are extracted; any other is reported,
never guessed at."""

from __future__ import annotations

from functools import cache

from peaceops.core.text import detect_script

from .vocabulary import LANGUAGES


@cache
def _identifier():
    from py3langid.langid import _load_identifier

    return _load_identifier(norm_probs=True)


def detect(text: str) -> str:
    """An ISO 639-1 code. Armenian and Georgian script are told by their letters alone; others by py3langid,
    whose answer is taken only between the languages we read when it is unsure."""
    sample = text[:4000]
    script = detect_script(sample)
    if script == "Armn":
        return "hy"
    if script == "Geor":
        return "ka"
    identifier = _identifier()
    language, probability = identifier.classify(sample)
    if language in LANGUAGES or probability >= 0.5:
        return language
    # Unsure: a language we read that the script agrees with, if the model gives it a fair chance.
    ranked = dict(identifier.rank(sample))
    ours = {"Cyrl": "ru", "Latn": "en"}.get(script)
    if ours and ranked.get(ours, 0.0) >= 0.1:
        return ours
    return language
