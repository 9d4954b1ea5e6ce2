"""Records (dicts) → the flat table the SQL engine compares: every key computed once, in Python."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peaceops.core.text import SEX_WORDS
from peaceops.linkage import households
from peaceops.linkage.content_ids import ContentIds, content_ids_of
from peaceops.linkage.dates import salvage_birth_date
from peaceops.linkage.name_table import parse_columns
from peaceops.linkage.names import (
    names_loaded,
    parse_father,
    symbols_of,
    tokenize,
)
from peaceops.linkage.places import PlaceKey, place_key_or_fold
from peaceops.linkage.symbol_helper import SymbolHelper

# Fields understood by the engine; `given_name`/`surname` are optional split-name columns some lists carry.
# `household` and `person_key` are compared as a household (linkage.households), never as generic extra columns
# (agreement on a household id is no evidence for a match, and extras switch the family class off).
KNOWN_FIELDS = {"id", "name", "given_name", "surname", "father_name", "birth_date", "birth_place", "sex",
                *households.FIELDS}
_SEX = SEX_WORDS  # the one vocabulary (core.text), shared with the party-list imports


@dataclass(frozen=True)
class Schema:
    """Which optional comparisons a run has (only fields present on the input get a comparison)."""

    has_father: bool
    has_dob: bool
    has_place: bool
    has_sex: bool
    extras: tuple[str, ...]


def extra_columns(*record_lists: Sequence[dict]) -> tuple[str, ...]:
    """Extra keys present on every side (first record's keys decide; CSVs have a fixed header)."""
    key_sets = [set().union(*(r.keys() for r in recs[:50])) for recs in record_lists if recs]
    if not key_sets:
        return ()
    common = set.intersection(*key_sets) - KNOWN_FIELDS
    return tuple(sorted(common))


def _norm_sex(value: object) -> str | None:
    if value is None:
        return None
    s = str(value).strip().lower()
    return _SEX.get(s, s.upper()[:1] or None) if s else None


def _clean_extra(value: object) -> str | None:
    if value is None:
        return None
    s = re.sub(r"\s+", " ", str(value).strip().lower())
    return s or None


def _or_none(s: str) -> str | None:
    return s or None


_COLUMNS = ("unique_id", "source", "name_raw", "given", "surname", "given_sk", "surname_sk", "name_sk_key",
            "given_sym", "surname_sym", "father", "father_sk", "father_sym", "dob", "dob_y", "dob_m", "dob_d",
            "place", "sex")
_NAME_FIELDS = ("name", "given_name", "surname", "father_name")


def _nulls(values: np.ndarray) -> np.ndarray:
    """"" → None (missing, for the SQL engine)."""
    values = values.astype(object, copy=True)
    values[values == ""] = None
    return values


def _name_table(name_keys: list[tuple]) -> dict[str, np.ndarray]:
    """The name columns for each distinct (name, given, surname, father) combination, symbols left out (the
    *_tok columns say whose symbols fill them)."""
    names, givens, surnames, fathers = (list(col) for col in zip(*name_keys, strict=True))
    given_hints = [(g or "").strip() for g in givens]
    surname_hints = [(s or "").strip() for s in surnames]
    split = [tokenize(n.strip()) if n and n.strip() else tokenize(f"{g} {s}")
             for n, g, s in zip(names, given_hints, surname_hints, strict=True)]
    cols = parse_columns(split, given_hints, surname_hints)
    del split
    g_sk, s_sk = cols["given_sk"], cols["surname_sk"]
    first, second = np.where(g_sk <= s_sk, g_sk, s_sk), np.where(g_sk <= s_sk, s_sk, g_sk)
    sk_key = np.where((g_sk != "") & (s_sk != ""), first + " " + second, np.where(g_sk != "", g_sk, s_sk))
    # A father's name field wins; else the father derived from a patronymic in the full name.
    field = _by_value(fathers, parse_father)
    derived = _by_value(list(cols["father"]), parse_father)
    father = [fd if fd[0] else dd for fd, dd in zip(field, derived, strict=True)]
    table = {
        "name_raw": np.array([n or f"{g or ''} {s or ''}".strip() for n, g, s in zip(names, givens, surnames,
                                                                                   strict=True)], dtype=object),
        "given": _nulls(cols["given"]), "surname": _nulls(cols["surname"]), "given_sk": _nulls(g_sk),
        "surname_sk": _nulls(s_sk), "name_sk_key": _nulls(sk_key),
        "father": _nulls(np.array([f[0] for f in father], dtype=object)),
        "father_sk": _nulls(np.array([f[1] for f in father], dtype=object)),
        "sex_hint": np.where(cols["female"], "F", None),
        "given_tok": cols["given_tok"], "surname_tok": cols["surname_tok"],
        "father_tok": np.array([f[2] for f in father], dtype=object),
    }
    return table


def _by_value(values: list, fn: Callable[[object], object]) -> list:
    """fn of each value, worked out once per distinct value."""
    done: dict = {}
    return [done[v] if v in done else done.setdefault(v, fn(v)) for v in values]


def _date_cols(text: object) -> tuple:
    # What is valid of a dirty date is kept (1945-04-93 → 1945-04): a typo must not drop the date whole.
    bd = salvage_birth_date(None if text is None else str(text)).date
    return (bd.iso(), bd.year, bd.month, bd.day) if bd else (None, None, None, None)


def _codes(values: list | np.ndarray) -> tuple[np.ndarray, list]:
    """Each value's index among the distinct values (first-seen order), and those distinct values."""
    codes, distinct = pd.factorize(values if isinstance(values, np.ndarray) else np.array(values, dtype=object),
                                   use_na_sentinel=False)
    return codes, [None if isinstance(v, float) and v != v else v for v in distinct]  # factorize's NaN was None


def _name_codes(records: Sequence[dict]) -> tuple[np.ndarray, list[tuple]]:
    """`_codes` over (name, given_name, surname, father_name): field by field, the codes combined as integers
    (hashing a million tuples costs more than the rest of this)."""
    fields = [np.array([r.get(f) for r in records], dtype=object) for f in _NAME_FIELDS]
    codes = np.zeros(len(records), dtype=np.int64)
    for values in fields:
        field_codes, distinct = _codes(values)
        if len(distinct) > 1:  # a field with one value (often all missing) leaves the codes as they are
            codes = pd.factorize(codes * len(distinct) + field_codes)[0]
    first = _first_appearances(codes)
    return codes, list(zip(*(values[first] for values in fields), strict=True))


def _first_appearances(codes: np.ndarray) -> np.ndarray:
    """Where each code first appears, for codes numbering first appearances in order (0, 1, 2, ... as they come):
    `np.unique(codes, return_index=True)[1]` without sorting (a new code is the one above all before it)."""
    if not len(codes):
        return np.zeros(0, dtype=np.int64)
    seen = np.maximum.accumulate(codes)
    return np.flatnonzero(np.r_[True, codes[1:] > seen[:-1]])


def _spread(values: list | np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Per-distinct-value results → one per record (an object array; lists stay single cells)."""
    if isinstance(values, np.ndarray):
        return values[codes]
    return pd.Series(values, dtype=object).to_numpy()[codes] if values else np.empty(0, dtype=object)


# From this many records on, a helper process loads rigour's name tables (~7-10 s) while this process parses the
# names, then looks up the symbols of the tokens that fill a name part (not every token written: patronymics and
# second names need none) while this process builds the other columns and the content ids; below it the lookup
# runs in-process (the tables load once per process).
PARALLEL_FROM = 200_000


def prepare_records(records: Sequence[dict], extras: Sequence[str], place_key: PlaceKey | None = None,
                    source: str = "") -> pd.DataFrame:
    """One row per record with the comparison columns. A dirty date keeps its valid parts (callers report it).

    Registries repeat the same names, dates and places endlessly, so each distinct value is worked out once and
    the columns are filled from those small tables by index: a million records cost little more than their
    distinct values.
    """
    return _prepare(records, extras, place_key, source, with_ids=False)[0]


def prepare_with_ids(records: Sequence[dict], extras: Sequence[str], place_key: PlaceKey | None = None,
                     source: str = "") -> tuple[pd.DataFrame, ContentIds | None]:
    """`prepare_records`, and the frame's `content_ids_of` (None when it is empty), worked out while a large
    input waits for its name symbols (they are not part of a record's content): hand both to `engine.run`
    unchanged."""
    return _prepare(records, extras, place_key, source, with_ids=True)


def _prepare(records: Sequence[dict], extras: Sequence[str], place_key: PlaceKey | None, source: str,
             with_ids: bool) -> tuple[pd.DataFrame, ContentIds | None]:
    if not records:
        return pd.DataFrame(columns=["unique_id"]), None
    helper = SymbolHelper.start() if len(records) >= PARALLEL_FROM and not names_loaded() else None
    try:
        name_codes, name_keys = _name_codes(records)
        parsed = _name_table(name_keys)
        del name_keys
        wanted = set(parsed["given_tok"]) | set(parsed["surname_tok"]) | set(parsed["father_tok"])
        wanted.discard("")
        if helper:
            helper.look_up(wanted)  # answered while the columns below are built
        cols = _other_columns(records, extras, place_key, source, parsed, name_codes)
        ids = content_ids_of(cols) if with_ids else None
        symbols = helper.symbols_of(wanted) if helper else symbols_of(wanted)
    finally:
        if helper:
            helper.close()
    lists = {t: sorted(syms) or None for t, syms in symbols.items()}
    for col in ("given", "surname", "father"):
        syms = _by_value(list(parsed[f"{col}_tok"]), lists.get)
        cols.insert(_COLUMNS.index(f"{col}_sym"), f"{col}_sym", _spread(syms, name_codes))
    return cols, ids


def _other_columns(records: Sequence[dict], extras: Sequence[str], place_key: PlaceKey | None, source: str,
                   parsed: dict[str, np.ndarray], name_codes: np.ndarray) -> pd.DataFrame:
    """The prepared frame without its *_sym columns (`prepare_records` adds them in their places)."""
    dates, places, sexes = _small_columns(records, place_key)
    cols: dict[str, object] = {"unique_id": [str(r["id"]) for r in records], "source": source}
    for col in _COLUMNS[2:13]:
        if not col.endswith("_sym"):
            cols[col] = _spread(parsed[col], name_codes)
    cols.update(dates)
    cols["place"] = places
    hints = parsed["sex_hint"][name_codes]
    cols["sex"] = [s or h for s, h in zip(sexes, hints, strict=True)]  # a sex column wins over the name's ending
    for col in extras:
        ext_codes, distinct = _codes([r.get(col) for r in records])
        cols[f"x_{col}"] = _spread([_clean_extra(v) for v in distinct], ext_codes)
    if households.has_households(records):  # records without one get no column: they score as before
        cols.update(households.columns(records, list(cols["name_sk_key"]), list(cols["dob_y"]),
                                      list(cols["father_sk"])))
    # On the arrays as they are (all made here, for this frame alone): consolidating them into one block copied
    # every column (0.7 CPU s at a million records).
    return pd.DataFrame(cols, copy=False)


def _small_columns(records: Sequence[dict], place_key: PlaceKey | None) -> tuple[dict, np.ndarray, np.ndarray]:
    """Birth date parts, place key and sex: few distinct values each."""
    date_codes, date_texts = _codes([r.get("birth_date") for r in records])
    date_rows = pd.DataFrame.from_records([_date_cols(t) for t in date_texts], columns=["dob", "y", "m", "d"])
    dates: dict[str, object] = {"dob": _spread(list(date_rows["dob"]), date_codes)}
    for part in ("y", "m", "d"):
        dates[f"dob_{part}"] = pd.array(date_rows[part], dtype="Int64").take(date_codes)
    place_codes, place_texts = _codes([r.get("birth_place") for r in records])
    places = _spread([_or_none(place_key_or_fold(t, place_key)) for t in place_texts], place_codes)
    sex_codes, sex_values = _codes([r.get("sex") for r in records])
    return dates, places, _spread([_norm_sex(v) for v in sex_values], sex_codes)


def schema_for(frames: Sequence[pd.DataFrame], extras: Sequence[str]) -> Schema:
    def any_value(col: str) -> bool:
        return any(col in f and f[col].notna().any() for f in frames)

    return Schema(
        has_father=any_value("father"),
        has_dob=any_value("dob"),
        has_place=any_value("place"),
        has_sex=any_value("sex"),
        extras=tuple(e for e in extras if any_value(f"x_{e}")),
    )
