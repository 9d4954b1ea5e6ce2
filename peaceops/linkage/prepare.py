"""Records (dicts) → the flat table the SQL engine compares: every key computed once, in Python."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from peaceops.linkage.dates import parse_birth_date
from peaceops.linkage.names import father_key, normalise_name
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


def prepare_records(records: Sequence[dict], extras: Sequence[str], place_key: PlaceKey | None = None,
                    source: str = "") -> pd.DataFrame:
    """One row per record with the comparison columns. Bad dates become missing (callers validate first)."""
    rows: list[dict] = []
    for rec in records:
        nn = normalise_name(rec.get("name"), rec.get("given_name"), rec.get("surname"))
        # A father's name field wins; else the father derived from a patronymic in the full name.
        f_form, f_sk, f_sym = father_key(rec.get("father_name"))
        if not f_form and nn.father:
            f_form, f_sk, f_sym = father_key(nn.father)
        try:
            bd = parse_birth_date(rec.get("birth_date"), allow_compact=True)
        except ValueError:
            bd = None
        sex = _norm_sex(rec.get("sex")) or (nn.sex_hint or None)
        sks = sorted(s for s in (nn.given_skeleton, nn.surname_skeleton) if s)
        row = {
            "unique_id": str(rec["id"]),
            "source": source,
            "name_raw": rec.get("name") or f"{rec.get('given_name') or ''} {rec.get('surname') or ''}".strip(),
            "given": _or_none(nn.given),
            "surname": _or_none(nn.surname),
            "given_sk": _or_none(nn.given_skeleton),
            "surname_sk": _or_none(nn.surname_skeleton),
            "name_sk_key": " ".join(sks) if sks else None,
            "name_key": _or_none(nn.sorted_key),
            "given_sym": _sym_list(nn.given_symbols),
            "surname_sym": _sym_list(nn.surname_symbols),
            "father": _or_none(f_form),
            "father_sk": _or_none(f_sk),
            "father_sym": _sym_list(f_sym),
            "dob": bd.iso() if bd else None,
            "dob_y": bd.year if bd else None,
            "dob_m": bd.month if bd else None,
            "dob_d": bd.day if bd else None,
            "place": _or_none(place_key_or_fold(rec.get("birth_place"), place_key)),
            "sex": sex,
        }
        for col in extras:
            row[f"x_{col}"] = _clean_extra(rec.get(col))
        rows.append(row)
    df = pd.DataFrame(rows)
    if df.empty:
        df = pd.DataFrame(columns=["unique_id"])
    for col in ("dob_y", "dob_m", "dob_d"):
        if col in df:
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
