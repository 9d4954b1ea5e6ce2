"""Text helpers shared by every module: script detection and script-independent match keys for places."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

# The scripts told apart by their letters; every other letter counts as Latin. The order breaks ties.
_SCRIPT_LETTERS = (
    ("Armn", "\u0530-\u058F"),
    ("Cyrl", "\u0400-\u04FF"),
    ("Geor", "\u10A0-\u10FF"),
    ("Arab", "\u0600-\u06FF"),
)
_SCRIPT_RES = tuple((name, re.compile(f"[{letters}]")) for name, letters in _SCRIPT_LETTERS)
_OTHER_LETTER_RE = re.compile("[^\\W\\d_" + "".join(letters for _name, letters in _SCRIPT_LETTERS) + "]")


def record_number(text) -> int | None:
    """`text` as a record number when it is one, written in ASCII digits; else None. (`str.isdigit()` also accepts
    "²" or "٣", which int() then refuses with a server error.)"""
    text = str(text if text is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def script_counts(text: str) -> dict[str, int]:
    """Letters of `text` per ISO 15924 script (Armn, Cyrl, Geor, Arab, and Latn for every other letter).
    Regular expressions rather than a loop over characters: every name of a million-record list passes here."""
    counts = {name: len(regex.findall(text)) for name, regex in _SCRIPT_RES}
    counts["Latn"] = len(_OTHER_LETTER_RE.findall(text))
    return counts


def dominant_script(counts: dict[str, int]) -> str:
    """The script with most letters (ties go to the earlier of Armn, Cyrl, Geor, Arab, Latn), or "" for none."""
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ""


# Sex as lists and forms write it, in the operation's languages, to the codes of `core.models.Sex` (F, M, U):
# the one vocabulary that party-list imports and the linkage engine read (issue 18). Armenian ա/ար and ի/իգ
# are the short forms of արական (male) and իգական (female).
SEX_WORDS = {
    "m": "M", "male": "M", "man": "M", "м": "M", "муж": "M", "мужской": "M", "ա": "M", "ար": "M", "արական": "M",
    "kişi": "M",
    "f": "F", "female": "F", "woman": "F", "w": "F", "ж": "F", "жен": "F", "женский": "F", "ի": "F", "իգ": "F",
    "իգական": "F", "qadın": "F",
}


def sex_code(text) -> str:
    """'F', 'M' or 'U' for a word of SEX_WORDS (any case, spaces around), else ''."""
    return SEX_WORDS.get(str(text if text is not None else "").strip().casefold(), "")


def detect_script(text: str) -> str:
    """ISO 15924 code of the dominant script of the letters in `text` (Latn when only Latin or none)."""
    return dominant_script(script_counts(text)) or "Latn"


# Romanisations of the same sound that differ between Armenian, Azerbaijani, Russian and English habits.
# Applied in order to lower-case ASCII, after anyascii has romanised the other scripts.
_SOUND_FOLDS = (
    ("'", ""),
    ("`", ""),
    ("kh", "x"),
    ("gh", "g"),
    ("sh", "s"),
    ("ch", "c"),
    ("zh", "j"),
    ("tz", "ts"),
    ("ph", "p"),
    ("th", "t"),
    ("yi", "i"),
    ("iy", "i"),
    ("ye", "e"),
    ("y", "i"),
    ("w", "v"),
    ("q", "g"),
    ("k", "g"),
    ("o", "u"),
    ("j", "c"),  # Azerbaijani c and j, Russian ж and ч: one affricate class
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"(.)\1+")


def fold(text: str) -> str:
    """Case-fold and strip diacritics, keeping the script (for display-level search)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def place_key(text: str) -> str:
    """A key on which a place name written in any of the region's scripts meets its other spellings.

    "Ստեփանակերտ", "Степанакерт" and "Stepanakert" share a key; so do "Xankəndi" and "Khankendi".
    The folds are deliberately coarse (k/g/q, o/u): false meetings are resolved by the gazetteer's small size
    and the ambiguity check when an alias is added.
    """
    # Armenian writes /u/ as the digraph ու and /ev/ as the ligature և; romanise them as sounds first.
    text = text.replace("ու", "u").replace("Ու", "U").replace("ՈՒ", "U").replace("և", "ev")
    ascii_text = anyascii(text).lower()
    for source, target in _SOUND_FOLDS:
        ascii_text = ascii_text.replace(source, target)
    ascii_text = _NON_ALNUM.sub("", ascii_text)
    return _REPEATS.sub(r"\1", ascii_text)
