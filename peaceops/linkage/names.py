"""Name normalisation: a name as written → script, romanisations, parts, order-free keys, name symbols.

Computed once per distinct name (cached), then stored as columns so the SQL engine compares strings only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

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


def _family_of_form(form: str) -> str:
    for fam, pattern in _SURNAME_FAMILIES:
        if pattern.search(form):
            return fam
    return ""


def _father_of_form(form: str) -> str:
    base = re.sub(r"(ovich|ovitch|ovna|yevich|yevna|evich|evna|ichna|inichna)$", "", form)
    if form.endswith(("evich", "evna", "yevich", "yevna")) and base.endswith("e"):
        base += "y"  # Серге+евич ← Сергей
    return base


# Scripts as parsing tells them apart: only "is the whole name Cyrillic" changes a decision, and a name without
# Armenian or Cyrillic letters never is, so Latin, Azerbaijani Latin and letterless tokens share a code.
_SCRIPT_CLASS = {"hy": 1, "cyrl": 2}
CYRILLIC_CLASS = 2
_FEMALE_MARKERS = ("kyzy", "qizi", "gizi", "kizi")  # "daughter of"


class TokenInfo(NamedTuple):
    """What name parsing needs of one token, worked out once per distinct token."""

    form: str  # match form (ASCII)
    skeleton: str
    family: str  # surname suffix family, "" if none
    father: str  # for a patronymic (Сергеевич), the father's given name (sergey); else ""
    female: bool  # a feminine surname or patronymic ending, or qızı
    scripts: tuple[int, int, int, bool]  # letters by script, see translit.script_counts
    # What parsing decides on, packed in an int so a name's tokens give a small hashable key: surname family
    # (1 weak, 2 strong), 4 patronymic, 8 Azerbaijani marker, script class << 4.
    role: int


@lru_cache(maxsize=500_000)
def token_info(token: str) -> TokenInfo:
    counts = tr.script_counts(token)
    script = tr.script_of_counts(*counts)
    form = tr.match_form_of(token, script)  # tr.match_form(token), the script counted once
    family = _family_of_form(form)
    patronymic, marker = bool(_PATRONYMIC_RE.search(form)), form in _AZ_MARKERS
    female = any(m in form for m in _FEMALE_MARKERS) if marker else bool(_FEMALE_HINT.search(form))
    role = ((1 if family in _WEAK_FAMILIES else 2) if family else 0) | (4 if patronymic else 0) | (
        8 if marker else 0) | (_SCRIPT_CLASS.get(script, 0) << 4)
    return TokenInfo(form, tr.skeleton(form), family, _father_of_form(form) if patronymic else "", female,
                     counts, role)


def surname_family(token: str) -> str:
    return token_info(token).family


def is_patronymic(token: str) -> bool:
    return bool(token_info(token).role & 4)


def father_from_patronymic(token: str) -> str:
    """Сергеевич → sergey, Иванович → ivan, Rəşad oğlu → rashad (match form of the father's given name)."""
    return _father_of_form(tr.match_form(token))


def _name_symbols(names: list[str]) -> dict[str, frozenset[str]]:
    """rigour's NAME symbols (Wikidata ids) for each string, in one call (each call has a fixed cost of ~0.1 ms,
    more than a Latin-script name's own lookup)."""
    from rigour.names import NameTypeTag, analyze_names

    def analyze(batch: list[str]) -> dict[str, frozenset[str]]:
        found: dict[str, frozenset[str]] = {}
        # rewrite=False skips title/prefix stripping, which one token never needs and which costs 10× the lookup.
        for name in analyze_names(NameTypeTag.PER, batch, consolidate=False, phonetics=False, rewrite=False):
            found[name.original] = frozenset(
                str(sym.id) for sym in name.symbols
                if str(getattr(sym.category, "value", sym.category)).upper() == "NAME")
        return found

    out = analyze(names)
    # rigour merges inputs that are equal after its own normalisation (Ivan, IVAN) and drops empty ones:
    # those come back under one spelling only, so the others are asked for one by one.
    for name in names:
        if name not in out:
            out[name] = analyze([name]).get(name, frozenset())
    return out


_SYMBOLS: dict[str, frozenset[str]] = {}
_SYMBOLS_KEPT = 500_000  # distinct tokens remembered by a long-running process


def symbols_of(tokens: Iterable[str]) -> dict[str, frozenset[str]]:
    """Name symbols for many tokens: cached ones looked up, the rest worked out in one batch."""
    wanted = set(tokens)
    new = [t for t in wanted if t not in _SYMBOLS]
    if new:
        if len(_SYMBOLS) + len(new) > _SYMBOLS_KEPT:
            _SYMBOLS.clear()
        _SYMBOLS.update(_name_symbols(new))
    return {t: _SYMBOLS[t] for t in wanted}


def token_symbols(token: str) -> frozenset[str]:
    """Cross-script name symbols (rigour/Wikidata ids): Հովհաննիսյան and Оганесян share one."""
    found = _SYMBOLS.get(token)
    return found if found is not None else symbols_of((token,))[token]


def names_loaded() -> bool:
    """Whether this process has rigour's name tables in memory (it has looked up a symbol)."""
    return bool(_SYMBOLS)


def load_name_tables() -> None:
    """Build rigour's name tagger now (~7 s, once per process) rather than on the first lookup."""
    symbols_of(("Hovhannisyan",))


_SPLIT_RE = re.compile(r"[\s,;/()\[\]\"]+")
_HYPHEN_RE = re.compile(r"(?<=\w)-(?=\w)")
_NEEDS_CARE_RE = re.compile(r"[,;/()\[\]\"\-.'’`]")  # a name without these splits on whitespace alone


def tokenize(name: str) -> list[str]:
    if not name:
        return []
    if not _NEEDS_CARE_RE.search(name):  # most names: words and spaces only
        return name.split()
    text = _HYPHEN_RE.sub("", name.strip())  # Тер-Петросян → ТерПетросян, one token
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


class ParsedName(NamedTuple):
    """A name's parts and keys, without name symbols (those come from rigour, in one batch per run)."""

    given: str  # match form (ASCII)
    surname: str
    patronymic: str  # the patronymic's match form, e.g. sergeevich / rashad oglu
    father: str  # father's given name derived from the patronymic, match form
    extra: tuple[str, ...]  # tokens that fit no part (second given names, particles)
    sex_hint: str  # "F" when a feminine surname/patronymic ending is seen
    sorted_key: str  # token-order-free key over given/surname/extra
    given_skeleton: str
    surname_skeleton: str
    given_token: str  # the given name and surname as written: their name symbols are looked up
    surname_token: str


class Plan(NamedTuple):
    """Which token plays which part, by position (-1: none)."""

    given: int
    surname: int
    patronymic: int  # a patronymic token, or the oğlu/qızı marker
    father: int  # with a marker, the father's name before it
    extra: tuple[int, ...]
    rest: tuple[int, ...]  # every token that is not part of the patronymic


def make_plan(roles: tuple[int, ...], cyrillic: bool) -> Plan:
    patronymic = father = -1
    rest: list[int] = []
    for i, role in enumerate(roles):
        if role & 8 and rest:  # "Rəşad oğlu": the token before is the father's name
            father, patronymic = rest.pop(), i
        elif role & 4 and patronymic < 0:
            patronymic, father = i, -1
        else:
            rest.append(i)
    given = surname = -1
    extra: tuple[int, ...] = ()
    if len(rest) == 1:
        if roles[rest[0]] & 3:
            surname = rest[0]
        else:
            given = rest[0]
    elif rest:
        fam = [j for j in rest if roles[j] & 3]
        fam = [j for j in fam if roles[j] & 3 == 2] or fam  # strong families first
        if fam:
            # A surname-looking token wins; if several do, the last written one (given names like "Ruslan"
            # can look like -an surnames, real surnames rarely precede... except in Russian order).
            surname = fam[0] if (fam[0] == rest[0] and cyrillic) else fam[-1]
        elif patronymic >= 0 or cyrillic:
            surname = rest[0]  # Russian official order: Surname Given Patronymic
        else:
            surname = rest[-1]  # Given Surname
        others = [j for j in rest if j != surname]
        given, extra = others[0], tuple(others[1:])
    return Plan(given, surname, patronymic, father, extra, tuple(rest))


# Plans by the tokens' roles: a registry's million names fall into a few hundred shapes.
_PLANS: dict[tuple[int, ...], Plan] = {}


def _plan(infos: list[TokenInfo]) -> Plan:
    roles = tuple(i.role for i in infos)
    plan = _PLANS.get(roles)
    if plan is None:
        scripts = {r >> 4 for r in roles}
        if len(scripts) > 1:  # mixed scripts: the name's script comes from its letter counts, not its shape
            return make_plan(roles, _script(infos) == "cyrl")
        if len(_PLANS) > 20_000:  # long names of odd shapes in a long-running process
            _PLANS.clear()
        plan = _PLANS[roles] = make_plan(roles, scripts == {CYRILLIC_CLASS})
    return plan


def _script(infos: list[TokenInfo]) -> str:
    return tr.script_of_counts(sum(i.scripts[0] for i in infos), sum(i.scripts[1] for i in infos),
                               sum(i.scripts[2] for i in infos), any(i.scripts[3] for i in infos))


def parse_name(name: str, given_hint: str = "", surname_hint: str = "") -> ParsedName:
    """Split a name as written into given name, surname and patronymic, and derive its keys.

    `given_hint`/`surname_hint` come from lists that keep the parts in separate columns; they win over parsing."""
    tokens = tokenize(name) if name else tokenize(f"{given_hint} {surname_hint}")
    return parse_tokens(tokens, given_hint, surname_hint)


def parse_tokens(tokens: list[str], given_hint: str = "", surname_hint: str = "") -> ParsedName:
    """`parse_name` on a tokenized name. Per-token work is cached (`token_info`) and so is the decision per shape
    of name (`_plan`): this only assembles, and a million names take seconds."""
    infos = [token_info(t) for t in tokens]
    plan = _plan(infos)
    if plan.patronymic < 0:
        patronymic = father = ""
        female = False
    else:
        p = infos[plan.patronymic]
        if plan.father < 0:
            patronymic, father = p.form, p.father
        else:
            father = infos[plan.father].form
            patronymic = f"{father} {p.form}"
        female = p.female
    if given_hint or surname_hint:
        given, surname = tr.match_form(given_hint), tr.match_form(surname_hint)
        extra = tuple(infos[j].form for j in plan.rest if infos[j].form not in {given, surname})
        g_sk, s_sk = tr.skeleton(given) if given else "", tr.skeleton(surname) if surname else ""
        g_tok, s_tok = given_hint if given else "", surname_hint if surname else ""
        female = female or bool(_FEMALE_HINT.search(surname))
    else:
        g = infos[plan.given] if plan.given >= 0 else None
        s = infos[plan.surname] if plan.surname >= 0 else None
        given, g_sk, g_tok = (g.form, g.skeleton, tokens[plan.given]) if g and g.form else ("", "", "")
        surname, s_sk, s_tok = (s.form, s.skeleton, tokens[plan.surname]) if s and s.form else ("", "", "")
        extra = tuple(infos[j].form for j in plan.extra) if plan.extra else ()
        female = female or bool(s and s.female)
    key = sorted(t for t in (given, surname, *extra) if t)
    return ParsedName(given, surname, patronymic, father, extra, "F" if female else "", " ".join(key),
                      g_sk, s_sk, g_tok, s_tok)


@lru_cache(maxsize=200_000)
def _normalise_cached(name: str, given_hint: str, surname_hint: str) -> NormalisedName:
    p = parse_name(name, given_hint, surname_hint)
    return NormalisedName(
        original=name,
        script=tr.detect_script(name or (given_hint + " " + surname_hint)),
        given=p.given,
        surname=p.surname,
        patronymic=p.patronymic,
        father=p.father,
        extra=p.extra,
        surname_family=_family_of_form(p.surname) if p.surname else "",
        sex_hint=p.sex_hint,
        sorted_key=p.sorted_key,
        given_skeleton=p.given_skeleton,
        surname_skeleton=p.surname_skeleton,
        given_symbols=token_symbols(p.given_token) if p.given_token else frozenset(),
        surname_symbols=token_symbols(p.surname_token) if p.surname_token else frozenset(),
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
    form, sk, token = parse_father(father_name)
    return form, sk, token_symbols(token) if token else frozenset()


def parse_father(father_name: str | None) -> tuple[str, str, str]:
    """(match form, skeleton, the token whose name symbols stand for the father) of a `father_name` field."""
    if not father_name or not father_name.strip():
        return "", "", ""
    return _father_cached(father_name.strip())


@lru_cache(maxsize=100_000)
def _father_cached(text: str) -> tuple[str, str, str]:
    tokens = tokenize(text)
    if not tokens:
        return "", "", ""
    infos = [token_info(t) for t in tokens]
    if len(tokens) == 1 and infos[0].role & 4:
        f = infos[0].father
        return f, tr.skeleton(f), f
    # "Rəşad oğlu" or a full name: take the first token that is neither a marker nor a surname.
    cands = [(t, i) for t, i in zip(tokens, infos, strict=True) if not i.role & 12]
    plain = [c for c in cands if not c[1].family] or cands or list(zip(tokens, infos, strict=True))
    tok, info = plain[0]
    return info.form, tr.skeleton(tok), tok
