"""Transliteration tables for the scripts PeaceOps meets: Armenian, Russian Cyrillic, Azerbaijani Latin.

Two kinds of output:
* *display* romanisations that follow a published scheme (ISO 9985 and BGN/PCGN for Armenian; GOST 7.79,
  BGN/PCGN and ICAO 9303 for Russian via `iuliia`), so an officer can see the forms a document may carry;
* a *match form* (plain ASCII, passport-like) and a *skeleton* (a consonant key) that are deliberately lossy,
  built so that the same name written by two parties in two scripts lands on the same string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import iuliia

from peaceops.core.text import script_counts as text_script_counts

# --- Armenian --------------------------------------------------------------------------------------------

# ISO 9985 (1996). Digraph ու is handled before single letters (ISO writes it "ow").
_HY_ISO = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "ē", "ը": "ë", "թ": "tʼ", "ժ": "ž",
    "ի": "i", "լ": "l", "խ": "x", "ծ": "ç", "կ": "k", "հ": "h", "ձ": "j", "ղ": "ł", "ճ": "č̣", "մ": "m",
    "յ": "y", "ն": "n", "շ": "š", "ո": "o", "չ": "čʼ", "պ": "p", "ջ": "ǰ", "ռ": "ṙ", "ս": "s", "վ": "v",
    "տ": "t", "ր": "r", "ց": "cʼ", "ւ": "w", "փ": "pʼ", "ք": "kʼ", "օ": "ō", "ֆ": "f", "և": "ew",
}
# BGN/PCGN (1981). Context rules: ե → ye word-initially, ո → vo word-initially, ու → u.
_HY_BGN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y", "թ": "t'", "ժ": "zh",
    "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h", "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m",
    "յ": "y", "ն": "n", "շ": "sh", "ո": "o", "չ": "ch'", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v",
    "տ": "t", "ր": "r", "ց": "ts'", "ւ": "v", "փ": "p'", "ք": "k'", "օ": "o", "ֆ": "f", "և": "yev",
}
# Armenian passports: BGN without the aspiration apostrophes.
_HY_PASSPORT = {k: v.replace("'", "") for k, v in _HY_BGN.items()}

# Russian practice for Armenian names (how a Russian-language document spells them): Հովհաննիսյան →
# Оганесян / Ованнисян, Հակոբյան → Акопян. Word-initial հ is dropped, յան → ян.
_HY_RU = {
    "ա": "а", "բ": "б", "գ": "г", "դ": "д", "ե": "е", "զ": "з", "է": "э", "ը": "ы", "թ": "т", "ժ": "ж",
    "ի": "и", "լ": "л", "խ": "х", "ծ": "ц", "կ": "к", "հ": "г", "ձ": "дз", "ղ": "г", "ճ": "ч", "մ": "м",
    "յ": "й", "ն": "н", "շ": "ш", "ո": "о", "չ": "ч", "պ": "п", "ջ": "дж", "ռ": "р", "ս": "с", "վ": "в",
    "տ": "т", "ր": "р", "ց": "ц", "ւ": "в", "փ": "п", "ք": "к", "օ": "о", "ֆ": "ф", "և": "ев",
}


def _hy_word(word: str, table: dict[str, str], initial_e: str, initial_o: str, u: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch == "ո" and i + 1 < len(word) and word[i + 1] == "ւ":
            out.append(u)
            i += 2
            continue
        if i == 0 and ch == "ե":
            out.append(initial_e)
        elif i == 0 and ch == "ո":
            out.append(initial_o)
        elif ch == "և" and i > 0:
            out.append(table["և"].removeprefix("y"))  # BGN: yev only word-initially (Երևան → Yerevan)
        else:
            out.append(table.get(ch, ch))
        i += 1
    return "".join(out)


def _hy_apply(text: str, table: dict[str, str], initial_e: str, initial_o: str, u: str) -> str:
    text = text.lower()
    return re.sub(r"[\u0561-\u0587]+", lambda m: _hy_word(m.group(0), table, initial_e, initial_o, u), text)


def hy_iso9985(text: str) -> str:
    return _hy_apply(text, _HY_ISO, "e", "o", "ow")


def hy_bgn(text: str) -> str:
    return _hy_apply(text, _HY_BGN, "ye", "vo", "u")


def hy_passport(text: str) -> str:
    return _hy_apply(text, _HY_PASSPORT, "ye", "vo", "u")


def hy_to_russian(text: str) -> str:
    """Armenian → Cyrillic the way Russian documents render Armenian names."""

    def word(w: str) -> str:
        if w.startswith("հովհ"):  # Հովհաննիսյան → Оганнисян
            w = "օգ" + w[4:]
        if w.startswith("հ"):  # Հակոբյան → Акопян: initial h is silent in Russian practice
            w = w[1:]
        return _hy_word(w, _HY_RU, "е", "о", "у").replace("йа", "я")  # յան → ян

    return re.sub(r"[\u0561-\u0587]+", lambda m: word(m.group(0)), text.lower())


# --- Russian ---------------------------------------------------------------------------------------------


def ru_gost779(text: str) -> str:
    """GOST 7.79-2000 System B (ASCII: щ → shh, х → x)."""
    return iuliia.GOST_779_ALT.translate(text.lower())


def ru_gost779a(text: str) -> str:
    """GOST 7.79-2000 System A (one letter per letter, with diacritics: щ → ŝ)."""
    return iuliia.GOST_779.translate(text.lower())


def ru_bgn(text: str) -> str:
    return iuliia.BGN_PCGN.translate(text.lower())


def ru_icao(text: str) -> str:
    return iuliia.ICAO_DOC_9303.translate(text.lower())


_RU_MATCH = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "ү": "u", "ө": "o", "һ": "h", "ј": "y",
}

# --- Azerbaijani -----------------------------------------------------------------------------------------

AZ_LETTERS = set("əğıöüşçƏĞÖÜŞÇİ")  # not "I": plain ASCII capital I is in every Latin name
_AZ_MATCH = {"ə": "a", "ğ": "gh", "ı": "i", "ö": "o", "ü": "u", "ş": "sh", "ç": "ch", "x": "kh", "q": "g",
             "c": "j", "j": "zh", "i̇": "i"}
# How Russian documents write Azerbaijani names: Əliyev → Алиев, Məmmədov → Мамедов, Hüseynov → Гусейнов.
_AZ_RU = {
    "a": "а", "b": "б", "c": "дж", "ç": "ч", "d": "д", "e": "е", "ə": "а", "f": "ф", "g": "г", "ğ": "г",
    "h": "г", "x": "х", "ı": "ы", "i": "и", "j": "ж", "k": "к", "q": "г", "l": "л", "m": "м", "n": "н",
    "o": "о", "ö": "ё", "p": "п", "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у", "ü": "ю", "v": "в",
    "y": "й", "z": "з",
}


def az_lower(text: str) -> str:
    # Turkish-style casing: İ → i, I → ı (Python's lower() gives "i̇" and "i").
    return text.replace("İ", "i").replace("I", "ı").lower()


def az_to_russian(text: str) -> str:
    """Azerbaijani Latin → the Russified Cyrillic forms of Soviet-era documents."""

    def word(w: str) -> str:
        w = re.sub(r"iyev(a?)$", r"iev\1", w)  # Əliyev → Алиев
        w = re.sub(r"^məmməd", "мамед", w)  # Məmmədov → Мамедов (fixed exonym)
        w = w.replace("mm", "m") if w.startswith("мамед") else w
        w = re.sub(r"^(.)ey", r"\1ей", w)
        out: list[str] = []
        for i, ch in enumerate(w):
            if ch == "ə" and i > 0 and w[i - 1] in "dm" and w[i + 1:i + 2] in ("d", "v"):
                out.append("е")  # -mədov/-ədov → -медов: the one place Russian practice writes е
            elif ch == "h" and i > 0 and w[i + 1:i + 2] not in ("", *"aeiouəıöü"):
                out.append("х")  # Əhməd → Ахмед
            elif ch == "y" and i > 0 and w[i - 1] in "eə":
                out.append("й")
            elif ch == "ü" and i > 0 and w[i - 1] not in "aeiouəıöü":
                out.append("у")  # Hüseynov → Гусейнов, not Гюсейнов
            else:
                out.append(_AZ_RU.get(ch, ch))
        res = "".join(out)
        res = res.replace("йа", "я").replace("йу", "ю").replace("йе", "е")
        return re.sub(r"^е", "э", res)

    return re.sub(r"[a-zəğıöüşç]+", lambda m: word(m.group(0)), az_lower(text))


# --- Script detection and the shared match form ----------------------------------------------------------


_AZ_RE = re.compile("[" + "".join(sorted(AZ_LETTERS)) + "]")


def script_counts(text: str) -> tuple[int, int, int, bool]:
    """Letters of `text` by script: (Armenian, Cyrillic, other, any Azerbaijani letter), counted by the one
    script counter (`core.text`). Counts add up over the tokens of a name, so a name's script can be worked out
    from its tokens' counts."""
    if text.isascii():  # no Armenian, Cyrillic or Azerbaijani letters; every letter counts as "other"
        return 0, 0, sum(1 for c in text if c.isalpha()), False
    counts = text_script_counts(text)
    return (counts["Armn"], counts["Cyrl"], counts["Latn"] + counts["Geor"] + counts["Arab"],
            bool(_AZ_RE.search(text)))


def script_of_counts(hy: int, cyrl: int, latn: int, az: bool) -> str:
    if hy >= cyrl and hy >= latn:
        return "hy" if hy else ""
    if cyrl >= latn:
        return "cyrl"
    return "az" if az else "latn"


def detect_script(text: str) -> str:
    """'hy' (Armenian), 'cyrl', 'az' (Latin with Azerbaijani letters), 'latn', or '' for no letters: the script
    `core.text.detect_script` finds, told more finely for names (Azerbaijani Latin apart from other Latin).
    The script with most characters wins (Armenian, then Cyrillic, on a tie)."""
    return script_of_counts(*script_counts(text))


def _strip_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


_PLAIN_RE = re.compile("[a-z]+")


@lru_cache(maxsize=200_000)
def match_form(token: str) -> str:
    """Passport-like ASCII spelling of one token, whatever its script (lossy by design)."""
    if _PLAIN_RE.fullmatch(token):  # already a match form but for "ow" (what `match_form_of` does to it)
        return token.replace("ow", "u")
    return match_form_of(token, detect_script(token))


def match_form_of(token: str, script: str) -> str:
    """`match_form` of a token whose script (`detect_script`) is known."""
    if script == "hy":
        text = hy_passport(token)
    elif script == "cyrl":
        text = "".join(_RU_MATCH.get(c, c) for c in token.lower())
    else:
        low = az_lower(token) if script == "az" else token.lower()
        text = "".join(_AZ_MATCH.get(c, c) for c in low) if script == "az" else low
        # ISO 9985 romanisations of Armenian: ł is ղ (gh), "ow" is ու (u).
        text = text.replace("ł", "gh").replace("ow", "u")
    text = _strip_marks(text)
    return re.sub(r"[^a-z]", "", text)


_SKELETON_DIGRAPHS = [
    ("shch", "s"), ("tch", "c"), ("dzh", "c"), ("sh", "s"), ("ch", "c"), ("zh", "c"), ("ts", "c"), ("tz", "c"),
    ("dz", "c"), ("dj", "c"), ("kh", "k"), ("gh", "k"), ("ph", "p"), ("th", "t"), ("ck", "k"),
]
_SKELETON_CLASSES = str.maketrans({
    "b": "p", "p": "p", "f": "p", "v": "v", "w": "v", "d": "t", "t": "t", "g": "k", "k": "k", "q": "k",
    "h": "k", "x": "k", "c": "c", "j": "c", "z": "s", "s": "s", "l": "l", "r": "r", "m": "m", "n": "n",
})


_NO_VOWELS = str.maketrans("", "", "aeiouy")
_REPEATS_RE = re.compile(r"(.)\1+")
# Հովհաննես opens as Hovhannes, Hovannes, Ohannes, Оганес or Ованес by habit (the Russian desk writes both of the
# last two): an opening o, a guttural or v, then "an" reads as one, also after the Ter- of a compound surname.
_OVAN_RE = re.compile(r"^(ter)?h?o[vghkqx]an")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """A consonant key that survives a change of script and transliteration habit.

    Voiced/voiceless pairs merge (Hakobyan/Akopyan), gutturals merge (h/g/kh/gh/q: Hüseynov/Guseynov),
    a word-initial guttural is dropped (Hakob/Akop, Qasımov/Gasymov), "ovh" becomes "og" and an opening
    "ovan", "ogan" or "ohan" is one (Hovhannisyan/Oganesyan/Ovanesyan/Hovannisyan), vowels reduce to one
    initial marker, repeats collapse.
    """
    m = match_form(token)
    if not m:
        return ""
    m = m[1:] if m[0] == "h" else m
    m = m.replace("ovh", "og")
    for a, b in _SKELETON_DIGRAPHS:
        m = m.replace(a, b)
    m = m[1:] if m and m[0] in "kgqhx" else m
    m = _OVAN_RE.sub(r"\1ovan", m)
    if not m:
        return ""
    head = "a" if m[0] in "aeiouy" else ""
    body = m.translate(_NO_VOWELS).translate(_SKELETON_CLASSES)
    body = _REPEATS_RE.sub(r"\1", body)
    return head + body
