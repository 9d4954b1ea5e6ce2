"""Name normalisation: a name as written → script, romanisations, parts, order-free keys, name symbols.

Computed once per distinct name (cached), then stored as columns so the SQL engine compares strings only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from peaceops.linkage import translit as tr

# Patronymics: Russian -ovich/-evich/-ich and -ovna/-evna/-ichna in Latin or Cyrillic match form.
_PATRONYMIC_RE = re.compile(r"(ovich|evich|yevich|ovitch|ovna|evna|yevna|ichna|inichna)$")
# Azerbaijani "son of"/"daughter of" markers that follow the father's given name.
_AZ_MARKERS = {"oglu", "ogly", "ogli", "oghlu", "ohlu", "kyzy", "qizi", "gizi", "kizi", "ghizi"}
# Surname suffix families (on the match form). Order matters: longest first.
_SURNAME_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("-zade", re.compile(r"(zade|zadeh|zada)$")),  # Rzazadə → rzazada
    ("-oglu", re.compile(r"..(oglu|ogly)$")),
    ("-yan", re.compile(r"..(yan|ian|jan|yants|ants|ianz|unts|yanc)$")),
    ("-uni", re.compile(r"...uni$")),
    ("-ov", re.compile(r"..(ov|ova|ev|eva|yev|yeva|iev|ieva|off)$")),
    ("-in", re.compile(r"...(in|ina|yn|yna)$")),
    ("-sky", re.compile(r"..(sky|skiy|skii|ski|skaya|skaia)$")),
    ("-li", re.compile(r"...(li|ly|lu)$")),
)
# Families that given names also end in (Elçin, Ramin, Vasili): they only decide when nothing stronger does.
_WEAK_FAMILIES = {"-in", "-li", "-uni"}
_FEMALE_HINT = re.compile(r"(ova|eva|ina|skaya|ovna|evna|ichna)$")


@lru_cache(maxsize=200_000)
def surname_family(token: str) -> str:
    m = tr.match_form(token)
    for fam, pattern in _SURNAME_FAMILIES:
        if pattern.search(m):
            return fam
    return ""


@lru_cache(maxsize=200_000)
def is_patronymic(token: str) -> bool:
    return bool(_PATRONYMIC_RE.search(tr.match_form(token)))


def father_from_patronymic(token: str) -> str:
    """Сергеевич → sergey, Иванович → ivan, Rəşad oğlu → rashad (match form of the father's given name)."""
    m = tr.match_form(token)
    base = re.sub(r"(ovich|ovitch|ovna|yevich|yevna|evich|evna|ichna|inichna)$", "", m)
    if m.endswith(("evich", "evna", "yevich", "yevna")) and base.endswith("e"):
        base += "y"  # Серге+евич ← Сергей
    return base


@lru_cache(maxsize=500_000)
def token_symbols(token: str) -> frozenset[str]:
    """Cross-script name symbols (rigour/Wikidata ids): Հովհաննիսյան and Оганесян share one."""
    from rigour.names import NameTypeTag, analyze_names

    out: set[str] = set()
    # rewrite=False skips title/prefix stripping, which one token never needs and which costs 10× the lookup.
    for name in analyze_names(NameTypeTag.PER, [token], consolidate=False, phonetics=False, rewrite=False):
        for sym in name.symbols:
            if str(sym.category.value if hasattr(sym.category, "value") else sym.category).upper() == "NAME":
                out.add(str(sym.id))
    return frozenset(out)


_SPLIT_RE = re.compile(r"[\s,;/()\[\]\"]+")
_HYPHEN_RE = re.compile(r"(?<=\w)-(?=\w)")


def tokenize(name: str) -> list[str]:
    text = _HYPHEN_RE.sub("", name.strip()) if name else ""  # Тер-Петросян → ТерПетросян, one token
    return [t.strip(".'’`") for t in _SPLIT_RE.split(text) if t.strip(".'’`")]


@dataclass(frozen=True)
class NormalisedName:
    original: str
    script: str
    given: str = ""  # match form (ASCII)
    surname: str = ""
    patronymic: str = ""  # the patronymic token's match form, e.g. sergeevich / rashad oglu
    father: str = ""  # father's given name derived from the patronymic, match form
    extra: tuple[str, ...] = ()  # tokens that fit no part (second given names, particles)
    surname_family: str = ""
    sex_hint: str = ""  # "F" when a feminine surname/patronymic ending is seen
    sorted_key: str = ""  # token-order-free key over given/surname/extra
    given_skeleton: str = ""
    surname_skeleton: str = ""
    given_symbols: frozenset[str] = frozenset()
    surname_symbols: frozenset[str] = frozenset()

    @property
    def romanisations(self) -> dict[str, str]:
        """Display romanisations by scheme; computed on demand (matching never needs them, and at a million
        names the published schemes cost more than everything else together)."""
        return romanise(self.original or f"{self.given} {self.surname}".strip(), self.script)

    @property
    def symbols(self) -> frozenset[str]:
        return self.given_symbols | self.surname_symbols

    @property
    def parts(self) -> dict[str, str]:
        return {"given": self.given, "surname": self.surname, "patronymic": self.patronymic}


def romanise(text: str, script: str) -> dict[str, str]:
    if script == "hy":
        return {"iso9985": tr.hy_iso9985(text), "bgn": tr.hy_bgn(text), "passport": tr.hy_passport(text),
                "ru": tr.hy_to_russian(text)}
    if script == "cyrl":
        return {"gost779": tr.ru_gost779(text), "gost779a": tr.ru_gost779a(text), "bgn": tr.ru_bgn(text), "icao": tr.ru_icao(text)}
    if script == "az":
        return {"ascii": " ".join(tr.match_form(t) for t in tokenize(text)), "ru": tr.az_to_russian(text)}
    return {"ascii": " ".join(tr.match_form(t) for t in tokenize(text))}


def _split_parts(tokens: list[str], script: str, given_hint: str = "", surname_hint: str = ""):
    """Assign tokens to given / surname / patronymic. Returns (given, surname, patronymic, father, extra)."""
    forms = [tr.match_form(t) for t in tokens]
    patronymic, father = "", ""
    rest: list[int] = []
    i = 0
    while i < len(tokens):
        f = forms[i]
        if f in _AZ_MARKERS and rest:  # "Rəşad oğlu": the token before is the father's name
            fi = rest.pop()
            father = forms[fi]
            patronymic = f"{forms[fi]} {f}"
        elif is_patronymic(tokens[i]) and not patronymic:
            patronymic, father = f, father_from_patronymic(tokens[i])
        else:
            rest.append(i)
        i += 1
    if given_hint or surname_hint:
        return (tr.match_form(given_hint) if given_hint else "",
                tr.match_form(surname_hint) if surname_hint else "", patronymic, father,
                tuple(forms[j] for j in rest if forms[j] not in {tr.match_form(given_hint),
                                                                 tr.match_form(surname_hint)}))
    if not rest:
        return "", "", patronymic, father, ()
    if len(rest) == 1:
        j = rest[0]
        return ("", forms[j], patronymic, father, ()) if surname_family(tokens[j]) else (
            forms[j], "", patronymic, father, ())
    fam = [j for j in rest if surname_family(tokens[j])]
    strong = [j for j in fam if surname_family(tokens[j]) not in _WEAK_FAMILIES]
    fam = strong or fam
    if fam:
        # A surname-looking token wins; if several do, the last written one (given names like "Ruslan"
        # can look like -an surnames, real surnames rarely precede... except in Russian order).
        sj = fam[0] if (script == "cyrl" and fam[0] == rest[0]) else fam[-1]
    elif script == "cyrl" or patronymic:
        sj = rest[0]  # Russian official order: Surname Given Patronymic
    else:
        sj = rest[-1]  # Given Surname
    others = [j for j in rest if j != sj]
    gj = others[0]
    extra = tuple(forms[j] for j in others[1:])
    return forms[gj], forms[sj], patronymic, father, extra


@lru_cache(maxsize=1_000_000)
def _normalise_cached(name: str, given_hint: str, surname_hint: str) -> NormalisedName:
    script = tr.detect_script(name or (given_hint + " " + surname_hint))
    tokens = tokenize(name) if name else tokenize(f"{given_hint} {surname_hint}")
    given, surname, patronymic, father, extra = _split_parts(tokens, script, given_hint, surname_hint)
    by_form = {tr.match_form(t): t for t in tokens}
    if given_hint:
        by_form[given] = given_hint
    if surname_hint:
        by_form[surname] = surname_hint
    g_tok, s_tok = by_form.get(given, given), by_form.get(surname, surname)
    key_tokens = sorted(t for t in (given, surname, *extra) if t)
    female = bool(_FEMALE_HINT.search(surname)) or bool(_FEMALE_HINT.search(patronymic)) or any(
        m in patronymic for m in ("kyzy", "qizi", "gizi", "kizi"))
    return NormalisedName(
        original=name,
        script=script,
        given=given,
        surname=surname,
        patronymic=patronymic,
        father=father,
        extra=extra,
        surname_family=surname_family(s_tok) if surname else "",
        sex_hint="F" if female else "",
        sorted_key=" ".join(key_tokens),
        given_skeleton=tr.skeleton(g_tok) if given else "",
        surname_skeleton=tr.skeleton(s_tok) if surname else "",
        given_symbols=token_symbols(g_tok) if given else frozenset(),
        surname_symbols=token_symbols(s_tok) if surname else frozenset(),
    )


def normalise_name(name: str | None, given: str | None = None, surname: str | None = None) -> NormalisedName:
    """Normalise a full name as written (any script, any order).

    `given`/`surname` may be passed when a source keeps them in separate columns; they then win over parsing.
    """
    return _normalise_cached((name or "").strip(), (given or "").strip(), (surname or "").strip())


def father_key(father_name: str | None) -> tuple[str, str, frozenset[str]]:
    """Father's given name from a `father_name` field: (match form, skeleton, symbols).

    Accepts a bare given name, a full name, or a patronymic form (Сергеевич → sergey).
    """
    if not father_name or not father_name.strip():
        return "", "", frozenset()
    return _father_cached(father_name.strip())


@lru_cache(maxsize=100_000)
def _father_cached(text: str) -> tuple[str, str, frozenset[str]]:
    tokens = tokenize(text)
    if not tokens:
        return "", "", frozenset()
    forms = [tr.match_form(t) for t in tokens]
    if len(tokens) == 1 and is_patronymic(tokens[0]):
        f = father_from_patronymic(tokens[0])
        return f, tr.skeleton(f), token_symbols(f)
    # "Rəşad oğlu" or a full name: take the first token that is neither a marker nor a surname.
    cands = [t for t, f in zip(tokens, forms) if f not in _AZ_MARKERS and not is_patronymic(t)]
    plain = [t for t in cands if not surname_family(t)] or cands or tokens
    tok = plain[0]
    return tr.match_form(tok), tr.skeleton(tok), token_symbols(tok)
