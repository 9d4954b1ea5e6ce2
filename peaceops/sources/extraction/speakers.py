"""Who said it: the speaker a sentence names ("the Defence Ministry spokesman said", "according to ...",
"по данным ...", "со ссылкой на ..."), and the side a speaker belongs to where it is a party."""

from __future__ import annotations

import re

_EN_VERBS = r"(?:said|says|reported|reports|told|announced|announces|stated|states|added|noted|confirmed|informed|"\
            r"wrote|claimed|claims|declared)"
_RU_VERBS = r"(?:сообщил[аио]?|сообщает|сообщают|заявил[аио]?|заявляет|заявляют|рассказал[аи]?|отметил[аи]?|"\
            r"информирует|проинформировал[аи]?|уточнил[аи]?|подчеркнул[аи]?|передает|передаёт|утверждает|"\
            r"утверждают|добавил[аи]?)"
# Relayed reports name the original source: it is the one the claim is attributed to.
RELAYED = {
    "en": re.compile(r"\b(?:citing|quoting|cited\s+by)\s+(?P<s>[^,.;:\"“”()]{3,90})", re.IGNORECASE),
    "ru": re.compile(r"со\s+ссылкой\s+на\s+(?P<s>[^,.;:«»\"()]{3,90})", re.IGNORECASE),
}
PATTERNS = {
    "en": [
        re.compile(r"\baccording\s+to\s+(?P<s>[^,.;:\"“”()]{3,90})", re.IGNORECASE),
        re.compile(r"(?:^|[,.;:\"”]\s*|\s[-—–]\s+|\b(?:and|but|In\s+addition,?)\s+)(?P<s>(?:the\s+|The\s+|[A-Z])[^,;:\"“”()]{1,90}?)"
                   rf"\s+{_EN_VERBS}\b"),
        re.compile(rf"[,\"”]\s*{_EN_VERBS}\s+(?P<s>(?:the\s+)?[^,.;:\"“”()]{{3,90}})", re.IGNORECASE),
    ],
    "ru": [
        re.compile(r"по\s+(?:данным|словам|информации|сообщению|сведениям)\s+(?P<s>[^,.;:«»\"()]{3,90})",
                   re.IGNORECASE),
        re.compile(r"говорится\s+в\s+(?:сообщении|заявлении|бюллетене|пресс-релизе|информации)\s+"
                   r"(?P<s>[^,.;:«»\"()]{3,90})", re.IGNORECASE),
        re.compile(rf"(?:как\s+)?{_RU_VERBS}\s+(?:журналистам\s+|корреспонденту\s+\S+\s+)?(?:в\s+|во\s+)?"
                   r"(?P<s>[А-ЯЁA-Z][^,.;:«»\"()]{2,90})"),
        re.compile(rf"(?:^|[,.;:»\"]\s*)(?P<s>[А-ЯЁA-Z][^,;:«»\"()]{{2,90}}?)\s+{_RU_VERBS}(?!\w)"),
    ],
}
# Words that make a phrase a speaker (an institution or an office), not just a capitalised sentence start.
_HEADS = re.compile(
    r"ministry|spokes(?:man|woman|person)|commission|committee|office|service|headquarters|command|president|"
    r"minister|ombudsman|centre|center|agency|contingent|officials?|red\s+cross|icrc|government|department|"
    r"bulletin|authorities|council|mission|force|tass|ria|interfax|sputnik|reuters|news|press|"
    r"министерств|минобороны|мо\s+рф|представител|комисси|комитет|ведомств|служб|штаб|командовани|президент|"
    r"министр|омбудсмен|уполномоченн|центр|агентств|контингент|мккк|красн\w+\s+крест|правительств|"
    r"департамент|бюллетен|власт|совет|мисси|тасс|риа|интерфакс|спутник|пресс",
    re.IGNORECASE)
_TRIM_TAIL = re.compile(r"\s+(?:on|in|at|to|last|this|earlier|later|during|on\s+\w+day|в|во|на|журналистам|"
                        r"в\s+\w+|сегодня|вчера|today|yesterday|in\s+a\s+statement|to\s+reporters)\b.*$",
                        re.IGNORECASE)
_TRIM_HEAD = re.compile(r"^(?:and|but|also|as|the\s+latest|however|meanwhile|earlier|later|in\s+addition|"
                        r"как|также|и|а|при\s+этом)\s+", re.IGNORECASE)
_PERSON_NAME = re.compile(r"^[A-ZА-ЯЁ][\w'’.-]+(?:\s+[A-ZА-ЯЁ][\w'’.-]+){0,2}$")


def _clean(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip(" -—–,\"'«»“”")
    phrase = _TRIM_HEAD.sub("", phrase)
    trimmed = _TRIM_TAIL.sub("", phrase)
    if _HEADS.search(trimmed) or _PERSON_NAME.match(trimmed):
        phrase = trimmed
    return phrase.strip(" ,")


def _acceptable(phrase: str) -> bool:
    if not phrase or len(phrase) > 90 or any(ch.isdigit() for ch in phrase):
        return False
    return bool(_HEADS.search(phrase)) or bool(_PERSON_NAME.match(phrase))


def speaker_in(sentence: str, language: str) -> str:
    """The speaker this sentence names, or "" (a relayed source wins over the outlet that relays it)."""
    relayed = RELAYED.get(language)
    if relayed:
        match = relayed.search(sentence)
        if match and _acceptable(_clean(match.group("s"))):
            return _clean(match.group("s"))
    for pattern in PATTERNS.get(language, []):
        for match in pattern.finditer(sentence):
            phrase = _clean(match.group("s"))
            if _acceptable(phrase):
                return phrase
    return ""


# Speakers whose side is plain from their name. The peacekeeping force's own ministry reports for the force.
SIDES = [
    ("peacekeeping-force", re.compile(
        r"peacekeep|миротвор|contingent|контингент|russian\s+(?:defen[cs]e\s+ministry|ministry\s+of\s+defen[cs]e)|"
        r"ministry\s+of\s+defen[cs]e\s+of\s+(?:the\s+)?russia|минобороны\s+росс|мо\s+рф|"
        r"министерств\w*\s+обороны\s+(?:российской|россии)", re.IGNORECASE)),
    ("intermediary", re.compile(r"red\s+cross|icrc|мккк|красн\w+\s+крест", re.IGNORECASE)),
    ("armenian-side", re.compile(r"armeni|армян|армени|artsakh|арцах|karabakh\s+(?:authorities|ombudsman|"
                                 r"emergency|president|government)|карабахск\w+\s+(?:власт|омбудсмен)",
                                 re.IGNORECASE)),
    ("azerbaijani-side", re.compile(r"azerbaijan|азербайджан", re.IGNORECASE)),
]


def side_of(speaker: str) -> str:
    """The party code of a speaker whose name says its side, else ""."""
    for code, pattern in SIDES:
        if pattern.search(speaker or ""):
            return code
    return ""
