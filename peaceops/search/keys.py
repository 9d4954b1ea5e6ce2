"""Search keys of a name, with the linkage engine's own normalisation (peaceops.linkage): the same name
written in Armenian, Cyrillic, Azerbaijani or plain Latin gets the same keys.

Per name part two keys: `f` + its Latin match form (Савельев → fsavelev, Hüseynov → fhuseynov) and `k` + its
phonetic skeleton (Savelyev and Савельев → ksvlv; Հովհաննիսյան and Оганесян → kaknsn). A query is cut the
same way; a part matches a record when a stored form starts with the typed form or the skeletons agree."""

from __future__ import annotations

from typing import NamedTuple

from peaceops.linkage import translit as tr
from peaceops.linkage.names import tokenize

FORM, SKELETON = "f", "k"
KEY_LENGTH = 64  # NameKey.key's width: a longer part (never a real name) is cut, which a prefix still finds
MIN_SKELETON_PREFIX = 3  # a shorter skeleton ("sv") is compared whole: as a prefix it would match too much


def name_keys(name: str) -> set[str]:
    """Every key of one name as written."""
    keys: set[str] = set()
    for token in tokenize(name or ""):
        form = tr.match_form(token)
        if not form:
            continue
        keys.add((FORM + form)[:KEY_LENGTH])
        skeleton = tr.skeleton(token)
        if skeleton:
            keys.add((SKELETON + skeleton)[:KEY_LENGTH])
    return keys


class Term(NamedTuple):
    """One typed name part, as the probes into the key index need it."""

    form: str  # FORM + match form
    skeleton: str  # SKELETON + skeleton, "" when the part has none
    skeleton_prefix: bool  # compare the skeleton as a prefix (long enough to be selective)


def query_terms(query: str) -> list[Term]:
    terms: list[Term] = []
    for token in tokenize(query or ""):
        form = tr.match_form(token)
        if not form:
            continue
        skeleton = tr.skeleton(token)
        terms.append(Term((FORM + form)[:KEY_LENGTH], (SKELETON + skeleton)[:KEY_LENGTH] if skeleton else "",
                          len(skeleton) >= MIN_SKELETON_PREFIX))
    return terms


def after_prefix(prefix: str) -> str:
    """The least string above every string that starts with `prefix`, for keys of lower-case a–z.

    Written with letters only (azz → b), so a range scan means the same under any database collation."""
    stripped = prefix.rstrip("z")
    if not stripped:
        return prefix + "{"  # unreachable for tagged keys, which start with f or k
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)
