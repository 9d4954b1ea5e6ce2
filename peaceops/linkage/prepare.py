"""Records (dicts) → the flat table the SQL engine compares: every key computed once, in Python."""

from __future__ import annotations

import multiprocessing as mp
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from peaceops.linkage.dates import parse_birth_date
from peaceops.linkage.names import father_key, normalise_name, token_symbols
from peaceops.linkage.places import PlaceKey, place_key_or_fold

# Fields understood by the engine; `given_name`/`surname` are optional split-name columns some lists carry.
KNOWN_FIELDS = {"id", "name", "given_name", "surname", "father_name", "birth_date", "birth_place", "sex"}
_SEX = {"m": "M", "male": "M", "man": "M", "м": "M", "муж": "M", "kişi": "M", "ա": "M",
        "f": "F", "female": "F", "woman": "F", "ж": "F", "жен": "F", "qadın": "F", "w": "F"}


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


def _sym_list(syms: Iterable[str]) -> list[str] | None:
    out = sorted(syms)
    return out or None


_COLUMNS = ("unique_id", "source", "name_raw", "given", "surname", "given_sk", "surname_sk", "name_sk_key",
            "name_key", "given_sym", "surname_sym", "father", "father_sk", "father_sym", "dob", "dob_y", "dob_m",
            "dob_d", "place", "sex")


def _name_cols(name: object, given: object, surname: object, father_name: object) -> tuple:
    """The name-derived columns for one (name, given, surname, father) combination."""
    nn = normalise_name(name, given, surname)  # type: ignore[arg-type]
    # A father's name field wins; else the father derived from a patronymic in the full name.
    f_form, f_sk, f_sym = father_key(father_name)  # type: ignore[arg-type]
    if not f_form and nn.father:
        f_form, f_sk, f_sym = father_key(nn.father)
    sks = sorted(s for s in (nn.given_skeleton, nn.surname_skeleton) if s)
    raw = name or f"{given or ''} {surname or ''}".strip()
    return (raw, _or_none(nn.given), _or_none(nn.surname), _or_none(nn.given_skeleton),
            _or_none(nn.surname_skeleton), " ".join(sks) if sks else None, _or_none(nn.sorted_key),
            _sym_list(nn.given_symbols), _sym_list(nn.surname_symbols), _or_none(f_form), _or_none(f_sk),
            _sym_list(f_sym), nn.sex_hint or None)


def _date_cols(text: object) -> tuple:
    try:
        bd = parse_birth_date(text, allow_compact=True)  # type: ignore[arg-type]
    except ValueError:
        bd = None
    return (bd.iso(), bd.year, bd.month, bd.day) if bd else (None, None, None, None)


# Above this many records the work is split over the machine's cores (forked workers share the warmed caches).
PARALLEL_FROM = 200_000


def prepare_records(records: Sequence[dict], extras: Sequence[str], place_key: PlaceKey | None = None,
                    source: str = "") -> pd.DataFrame:
    """One row per record with the comparison columns (see `_prepare_chunk`); parallel on large inputs."""
    workers = min(os.cpu_count() or 1, 4)
    if len(records) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return _prepare_chunk(records, extras, place_key, source)
    token_symbols("Hovhannisyan")  # load rigour's name tables once, before forking
    global _FORKED
    step = -(-len(records) // workers)
    # Forked workers read the records from the parent's memory; only the prepared frames travel back.
    _FORKED = (records, extras, place_key, source, step)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_prepare_forked, range(workers))
    finally:
        _FORKED = None
    df = pd.concat(parts, ignore_index=True)
    for col in ("dob_y", "dob_m", "dob_d"):
        df[col] = df[col].astype("Int64")
    return df


_FORKED: tuple | None = None


def _prepare_forked(i: int) -> pd.DataFrame:
    records, extras, place_key, source, step = _FORKED  # type: ignore[misc]
    return _prepare_chunk(records[i * step:(i + 1) * step], extras, place_key, source)


def _prepare_chunk(records: Sequence[dict], extras: Sequence[str], place_key: PlaceKey | None = None,
                   source: str = "") -> pd.DataFrame:
    """One row per record with the comparison columns. Bad dates become missing (callers validate first).

    Registries repeat the same names, dates and places endlessly, so each distinct value is worked out once
    (per call) and the columns are filled from those small tables: a million records cost little more than
    their distinct values.
    """
    names: dict[tuple, tuple] = {}
    dates: dict[object, tuple] = {}
    places: dict[object, str | None] = {}
    cols: dict[str, list] = {c: [] for c in _COLUMNS}
    ext: dict[str, list] = {f"x_{c}": [] for c in extras}
    name_cols = _COLUMNS[2:14]
    for rec in records:
        get = rec.get
        nkey = (get("name"), get("given_name"), get("surname"), get("father_name"))
        nc = names.get(nkey)
        if nc is None:
            nc = names[nkey] = _name_cols(*nkey)
        for col, val in zip(name_cols, nc[:-1], strict=True):
            cols[col].append(val)
        bd_text = get("birth_date")
        dc = dates.get(bd_text)
        if dc is None:
            dc = dates[bd_text] = _date_cols(bd_text)
        for col, val in zip(("dob", "dob_y", "dob_m", "dob_d"), dc, strict=True):
            cols[col].append(val)
        bp = get("birth_place")
        if bp not in places:
            places[bp] = _or_none(place_key_or_fold(bp, place_key))
        cols["place"].append(places[bp])
        cols["unique_id"].append(str(rec["id"]))
        cols["source"].append(source)
        cols["sex"].append(_norm_sex(get("sex")) or nc[-1])
        for col in extras:
            ext[f"x_{col}"].append(_clean_extra(get(col)))
    if not records:
        return pd.DataFrame(columns=["unique_id"])
    df = pd.DataFrame({**cols, **ext})
    for col in ("dob_y", "dob_m", "dob_d"):
        df[col] = df[col].astype("Int64")
    return df


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
