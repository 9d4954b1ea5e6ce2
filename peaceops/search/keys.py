"""Search keys of a name, with the linkage engine's own normalisation (peaceops.linkage): the same name
written in Armenian, Cyrillic, Azerbaijani or plain Latin gets the same keys.

Per name part two keys: `f` + its Latin match form (Савельев → fsavelev, Hüseynov → fhuseynov) and `k` + its
phonetic skeleton (Savelyev and Савельев → ksvlv; Հովհաննիսյան, Оганесян and Ованесян → kavnsn). A query is cut the
same way; a part matches a record when its form equals a stored form (or starts one, for the last part typed)
or the skeletons agree."""

from __future__ import annotations

from typing import NamedTuple

from peaceops.linkage import translit as tr
from peaceops.linkage.names import tokenize

FORM, SKELETON = "f", "k"
KEY_LENGTH = 64  # NameKey.key's width: a longer part (never a real name) is cut, which a prefix still finds
MIN_SKELETON_PREFIX = 4  # a shorter skeleton ("krl") is compared whole: as a prefix it would match too much
# A one-letter skeleton (Gnuni → "n") says nothing: such a part is found by its form only. Two letters (Ева,
# Եվա → "av") are kept: the search probes them only on the records a longer part found.
MIN_SKELETON = 2


def name_keys(name: str) -> set[str]:
    """Every key of one name as written."""
    keys: set[str] = set()
    for token in tokenize(name or ""):
        keys.update(token_keys(token))
    return keys


def token_keys(token: str) -> tuple[str, ...]:
    """The keys of one part of a name (a token of `tokenize`): its form and its skeleton, or none."""
    form = tr.match_form(token)
    if not form:
        return ()
    skeleton = tr.skeleton(token)
    return ((FORM + form)[:KEY_LENGTH],) + (((SKELETON + skeleton)[:KEY_LENGTH],) if skeleton else ())


class Term(NamedTuple):
    """One typed name part, as the probes into the key index need it."""

    form: str  # FORM + match form
    skeleton: str  # SKELETON + skeleton, "" when the part has none
    prefix: bool  # the part may be unfinished: compare the form as a prefix
    skeleton_prefix: bool  # ... and the skeleton too (long enough to be selective)


def query_terms(query: str) -> list[Term]:
    """The typed parts. Only the last may be unfinished (the officer is still typing it): the parts before it
    are whole names, compared whole, so "Aram Hovh" does not read every name that starts with "aram"."""
    tokens = [t for t in tokenize(query or "") if tr.match_form(t)]
    terms: list[Term] = []
    for i, token in enumerate(tokens):
        form, skeleton, last = tr.match_form(token), tr.skeleton(token), i == len(tokens) - 1
        terms.append(Term((FORM + form)[:KEY_LENGTH],
                          (SKELETON + skeleton)[:KEY_LENGTH] if len(skeleton) >= MIN_SKELETON else "",
                          last, last and len(skeleton) >= MIN_SKELETON_PREFIX))
    return terms


def after_prefix(prefix: str) -> str:
    """The least string above every string that starts with `prefix`, for keys of lower-case a–z.

    Written with letters only (azz → b), so a range scan means the same under any database collation."""
    stripped = prefix.rstrip("z")
    if not stripped:
        return prefix + "{"  # unreachable for tagged keys, which start with f or k
    return stripped[:-1] + chr(ord(stripped[-1]) + 1)
