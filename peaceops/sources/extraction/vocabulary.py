"""The claim vocabulary and the words that signal each kind, qualifier and period, in English and Russian.

Kept apart from the rules so a new language is a new set of word lists, not new code. Patterns are regular
expressions matched case-insensitively on the text as written (Russian stems cover the case endings)."""

from __future__ import annotations

KINDS = ("returned", "buses", "convoys", "observation_posts", "violations", "killed", "wounded",
         "prisoners_exchanged", "remains_recovered", "remains_handed_over", "troops", "cargo_tonnes")
QUALIFIERS = ("exact", "about", "more_than", "at_least", "almost", "fewer_than")
PERIODS = ("day", "cumulative")
LANGUAGES = ("en", "ru")

# A figure above this is not a real count of its kind (a typo or a garbled page): refused, never stored.
CEILINGS = {"returned": 5_000_000, "buses": 20_000, "convoys": 20_000, "observation_posts": 2_000,
            "violations": 100_000, "killed": 1_000_000, "wounded": 1_000_000, "prisoners_exchanged": 100_000,
            "remains_recovered": 1_000_000, "remains_handed_over": 1_000_000, "troops": 2_000_000,
            "cargo_tonnes": 10_000_000}

# The noun a figure counts, read right after the number (adjectives in between allowed).
NOUNS = {
    "en": {
        "bus": r"(?:buses|busses|bus|coaches)",
        "convoy": r"(?:convoys?|columns?)",
        "post": r"(?:observation\s+posts?|posts?|checkpoints?)",
        "violation": r"(?:violations?|breaches|ceasefire\s+violations?)",
        "times": r"(?:times)",
        "tonne": r"(?:tonnes?|tons?|t)\b",
        "body": r"(?:bodies|remains|dead\s+bodies)",
        "prisoner": r"(?:prisoners(?:\s+of\s+war)?|POWs|detainees|hostages|captives)",
        "soldier": r"(?:servicemen|service\s+members|soldiers|troops|military\s+personnel|peacekeepers|personnel)",
        "person": r"(?:people|persons|refugees|residents|citizens|civilians|displaced(?:\s+(?:people|persons))?|"
                  r"IDPs|returnees|inhabitants|individuals|of\s+them)",
    },
    "ru": {
        "bus": r"(?:автобус\w*)",
        "convoy": r"(?:колонн\w*|конво\w*)",
        "post": r"(?:наблюдательн\w+\s+пост\w*|пост\w*|наблюдательн\w+\s+пункт\w*)",
        "violation": r"(?:нарушени\w*|случа\w+\s+нарушени\w*)",
        "times": r"(?:раза?)\b",
        "tonne": r"(?:тонн\w*|т)\b",
        "body": r"(?:тел|тела|останк\w*)\b",
        "prisoner": r"(?:военнопленн\w*|пленн\w*|задержанн\w*|заложник\w*)",
        "soldier": r"(?:военнослужащ\w*|военных|миротворц\w*|солдат\w*|личн\w+\s+состав\w*)",
        "person": r"(?:человек|чел\.|беженц\w*|жител\w*|граждан\w*|переселенц\w*|вынужденн\w+\s+переселенц\w*)",
    },
}
# Words between a number and its noun that do not change what is counted.
FILLERS = {
    "en": r"(?:(?:more|of|the|displaced|armenian|azerbaijani|local|new|additional|civilian|military|"
          r"humanitarian|peacekeeping|russian|other|ceasefire|large|passenger|escorted|fallen|dead|"
          r"metric|including)\s+){0,3}",
    "ru": r"(?:(?:\w+(?:ых|ого|ий|ые|их|ая|ой|ое|ый))\s+){0,2}",
}
# What happened to them: read in the clause around the figure.
VERBS = {
    "en": {
        "return": r"\b(?:return\w*|(?:came|come|went|go|gone|going|coming)\s+(?:back|home)|back\s+home|"
                  r"arrived\s+home)",
        "kill": r"\b(?:killed|dead|died|deaths?|fatalities|lost\s+their\s+lives)\b",
        "wound": r"\b(?:wounded|injured|hurt|injuries)\b",
        "exchange": r"\b(?:exchang\w*|swap\w*|released|freed|repatriat\w*|handed\s+over|transferred|returned)",
        "recover": r"\b(?:recovered|found|retrieved|collected|exhumed|discovered|evacuated|searched)\b",
        "handover": r"\b(?:handed\s+over|hand\s+over|transferred|repatriat\w*|exchang\w*|returned\s+to|"
                    r"given\s+to|delivered\s+to|received)",
        "deploy": r"\b(?:deploy\w*|stationed|contingent|strength|consists?|numbers?)\b",
        "cargo": r"\b(?:cargo|aid|humanitarian|supplies|food|flour|medicines?|delivered)\b",
        "violate": r"\b(?:violat\w*|breach\w*|opened\s+fire|open\s+fire|under\s+fire|fired|shell\w*)",
    },
    "ru": {
        "return": r"(?:верну\w*|вернул\w*|возврати\w*|возвращ\w*|прибыл\w*\s+домой)",
        "kill": r"(?:погиб\w*|убит\w*|смерт\w*|гибел\w*|жертв\w*)",
        "wound": r"(?:ранен\w*|пострадал\w*|травм\w*)",
        "exchange": r"(?:обмен\w*|освобожд\w*|освобод\w*|переда\w*|возвращ\w*|вернул\w*|репатри\w*)",
        "recover": r"(?:обнаружен\w*|обнаружи\w*|найден\w*|нашли|извлечен\w*|извлечён\w*|поднят\w*|эвакуирован\w*|собран\w*)",
        "handover": r"(?:переда\w*|обмен\w*|возвращ\w*|репатри\w*|получен\w*|принят\w*)",
        "deploy": r"(?:развернут\w*|развёрнут\w*|численност\w*|контингент\w*|размещ\w*|составля\w*)",
        "cargo": r"(?:груз\w*|гуманитарн\w*|доставлен\w*|продовольств\w*|мук\w*|медикамент\w*)",
        "violate": r"(?:наруш\w*|обстрел\w*|откры\w*\s+огонь|под\s+огн\w*)",
    },
}
# Words right before a figure that qualify it, longest first within each language.
QUALIFIER_WORDS = {
    "en": [
        ("more_than", r"(?:more\s+than|over|upwards\s+of|in\s+excess\s+of|above|exceeding|exceeded)"),
        ("at_least", r"(?:at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of)"),
        ("almost", r"(?:almost|nearly|close\s+to|just\s+under|just\s+short\s+of)"),
        ("fewer_than", r"(?:fewer\s+than|less\s+than|under|below)"),
        ("about", r"(?:about|around|approximately|roughly|some|an\s+estimated|estimated|approx\.|circa|~)"),
    ],
    "ru": [
        ("more_than", r"(?:более\s+чем|более|свыше|больше|превысил\w*|превышает)"),
        ("at_least", r"(?:не\s+менее|как\s+минимум|по\s+меньшей\s+мере|по\s+крайней\s+мере)"),
        ("almost", r"(?:почти|без\s+малого|чуть\s+менее|около\s+почти)"),
        ("fewer_than", r"(?:менее|меньше|не\s+более)"),
        ("about", r"(?:около|примерно|порядка|приблизительно|где-то|ориентировочно)"),
    ],
}
QUALIFIER_AFTER = {
    "en": [("more_than", r"^\s*(?:or\s+more|and\s+more|plus)\b")],
    "ru": [("more_than", r"^\s*(?:с\s+лишним|и\s+более|и\s+больше)")],
}
PERIOD_WORDS = {
    "en": {
        "cumulative": r"\b(?:in\s+total|in\s+all|total|totals|altogether|overall|so\s+far|to\s+date|since|"
                      r"as\s+of\s+today|as\s+of|bringing|cumulative|a\s+total\s+of|by\s+now|in\s+the\s+course\s+of)\b",
        # A figure for one reporting day, said outright…
        "day_strong": r"\b(?:(?:in|over|during)\s+the\s+(?:past|last|previous)\s+(?:24\s+hours|day|twenty-four\s+hours)|"
                      r"past\s+24\s+hours|that\s+day|during\s+the\s+day|daily|a\s+day|per\s+day)\b",
        # …or a day named, which may only date the statement ("said on Saturday that … have returned as of today").
        "day": r"\b(?:today|yesterday|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b",
    },
    "ru": {
        "cumulative": r"(?:всего|в\s+общей\s+сложности|с\s+начала|на\s+сегодняшний\s+день|к\s+настоящему\s+времени|"
                      r"общее\s+(?:число|количество)|итого|по\s+состоянию\s+на|уже|с\s+\d{1,2}\s+\w+)",
        "day_strong": r"(?:за\s+(?:прошедшие\s+|последние\s+|минувшие\s+)?сутки|в\s+течение\s+суток|за\s+день|"
                      r"ежедневно|в\s+сутки)",
        "day": r"(?:сегодня|вчера|в\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))",
    },
}
# The present perfect ("have returned") speaks of a running total when nothing else says which.
PERFECT = {"en": r"\b(?:have|has|had)\s+(?:already\s+)?(?:been\s+)?\w+ed\b", "ru": r"(?!x)x"}
# Clause boundaries: a figure's own verb and period words are looked for inside its clause first.
CLAUSE_BREAKS = {"en": r";|\s[—–]\s|,\s+(?:while|whereas|and|but|bringing|with)\s|\swhile\s",
                 "ru": r";|\s[—–]\s|,\s+(?:а|и|но|при\s+этом|тогда\s+как)\s"}
# Places after these words are where a movement started or passed, not where the figure belongs.
NOT_THE_PLACE = {"en": r"\b(?:from|via|through|out\s+of)\s+$", "ru": r"(?<!\w)(?:из|от|через|со|с)\s+$"}
# A bulletin's "no violations": a figure of zero.
ZERO_VIOLATIONS = {
    "en": r"\b(?:no|not\s+a\s+single|zero)\s+(?:ceasefire\s+)?violations?\b|\bceasefire\s+was\s+not\s+violated\b",
    "ru": r"нарушени\w*[^.;]{0,60}?не\s+(?:было\s+)?(?:зафиксирован|выявлен|отмечен|зарегистрирован|допущен)\w*|"
          r"не\s+(?:зафиксирован|выявлен|отмечен|зарегистрирован)\w*[^.;]{0,40}?нарушени\w*",
}
# No casualties, said outright: a figure of zero.
ZERO_CASUALTIES = {
    "en": [("wounded", r"\bno\s+(?:one|servicem[ae]n|soldiers?|civilians?|people|personnel)\s+(?:was|were)\s+"
                       r"(?:wounded|injured|hurt)\b"),
           ("killed", r"\bno\s+(?:one|servicem[ae]n|soldiers?|civilians?|people|personnel)\s+(?:was|were)\s+"
                      r"killed\b")],
    "ru": [("wounded", r"(?:никто|ни\s+один\s+\w+)\s+не\s+(?:был\s+)?(?:ранен|пострадал)"),
           ("killed", r"(?:никто|ни\s+один\s+\w+)\s+не\s+(?:был\s+)?(?:погиб|убит)")],
}
# "of which 135", "из них 135": the figure counts what the figure before it counted.
OF_WHICH = {"en": r"\b(?:of\s+which|of\s+whom|of\s+them|among\s+them)\s+(?:only\s+)?$",
            "ru": r"(?:из\s+них|из\s+которых|в\s+том\s+числе)\s+$"}
# "the remains of 28 servicemen", "останки 28 военнослужащих": the body noun stands before the figure.
NOUN_BEFORE = {"en": {"body": r"\b(?:bodies|remains)\s+of\s+(?:the\s+)?$"},
               "ru": {"body": r"(?:останки|тела|тел)\s+$"}}
# Speech verbs: a day named right after one ("said on Tuesday that …") dates the statement, not the figure.
STATEMENT_DAY = {"en": r"\b(?:said|says|told\s+\w+|reported|announced|stated|added|noted|confirmed)\s+$",
                 "ru": r"(?:сообщил\w*|заявил\w*|рассказал\w*|отметил\w*|сообщает|сообщают)\s+$"}
