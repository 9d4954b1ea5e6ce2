"""Ids a linkage run hands Splink: made from each record's content, so that a run is a function of the records
and not of the ids a database gave them (Splink draws its u sample by a hash of the ids)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Columns a record's content id is not computed from: its id, and the name symbols (read from its names).
_NOT_CONTENT = ("unique_id", "given_sym", "surname_sym", "father_sym")


def content_columns(columns: Iterable[str]) -> list[str]:
    """The columns a record's content id is computed from, in the frame's order."""
    return [c for c in columns if c not in _NOT_CONTENT]


@dataclass(frozen=True)
class ContentIds:
    """What `content_ids` puts in a frame: each record's content id (in the frame's order), and the map back."""

    ids: np.ndarray  # object array of str
    back: dict[str, str]


def content_ids(frame: pd.DataFrame, known: ContentIds | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame with each record's id replaced by a hash of what the record says, and the map back.

    Splink draws its u sample (and EM's pairs) by a hash of the records' ids, so the same people registered under
    other ids (another database's sequences, an import in another order) would be scored with another sample:
    other u, other probabilities. Ids made from the content make the run a function of the records alone. Records
    saying exactly the same thing are numbered in their input order, which cannot change a score (they are
    interchangeable).

    `known`: the frame's `content_ids_of`, worked out already (`prepare.prepare_with_ids`, while preparation
    waits for the name symbols)."""
    if frame.empty:
        return frame, {}
    if known is None:
        known = content_ids_of(frame)
    elif len(known.ids) != len(frame):
        raise ValueError("content ids of another frame")
    out = frame.copy(deep=False)
    out["unique_id"] = known.ids
    return out, known.back


def content_ids_of(frame: pd.DataFrame) -> ContentIds:
    """`content_ids`' ids and map back for a non-empty frame (its `_sym` columns may be there or not yet)."""
    digest = content_digest(frame, content_columns(frame.columns))
    hexed = [f"{h:016x}" for h in digest.tolist()]
    nth = _nth_of_value(digest)
    new = hexed if not nth.any() else [h if k == 0 else f"{h}-{k}" for h, k in zip(hexed, nth.tolist(), strict=True)]
    back = dict(zip(new, frame["unique_id"].astype(str).to_numpy(), strict=True))
    return ContentIds(np.array(new, dtype=object), back)


def content_digest(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> np.ndarray:
    """`pd.util.hash_pandas_object(frame[columns].astype("string").fillna("\\x00"), index=False)` (all columns
    when None), each column's strings hashed once per distinct value: a million records hold few distinct values
    per column, and converting and hashing every cell cost seconds. Columns whose values are not all strings (or
    integers) take the plain path."""
    from pandas.core.util.hashing import combine_hash_arrays

    columns = list(frame.columns) if columns is None else list(columns)
    return combine_hash_arrays((_column_hash(frame[c]) for c in columns), len(columns))


_MISSING = "\x00"


def _column_hash(column: pd.Series) -> np.ndarray:
    if column.dtype == object:
        fast = pd.api.types.infer_dtype(column.to_numpy(), skipna=True) in ("string", "empty")
    else:
        fast = isinstance(column.dtype, pd.Int64Dtype) or np.issubdtype(column.dtype, np.integer)
    if fast and column.dtype == object and _mostly_distinct(column.to_numpy()):
        hashed = _hash_each(column.to_numpy())
        if hashed is not None:
            return hashed
    if fast:
        codes, distinct = pd.factorize(column, use_na_sentinel=True)
        texts = np.empty(len(distinct) + 1, dtype=object)
        texts[:-1] = np.asarray(pd.Series(distinct).astype("string"), dtype=object)
        texts[-1] = _MISSING  # code -1: a missing value
        # pandas' hashing groups strings as C strings (up to a NUL: "" and the missing "\x00" are one, hashed as
        # whichever comes first); where two of these texts would be grouped so, the plain path decides.
        used = texts if (codes < 0).any() else texts[:-1]
        if len({t.split("\x00", 1)[0] for t in used}) == len(used):
            return pd.util.hash_array(texts, categorize=False)[codes]
    # the straightforward computation
    return pd.util.hash_array(np.asarray(column.astype("string").fillna(_MISSING), dtype=object))


# A column of strings mostly distinct (the names as written, 950,000 of a million) is hashed value by value: finding
# its distinct values first costs more than hashing the few repeats again.
_SAMPLE = 10_000


def _mostly_distinct(values: np.ndarray) -> bool:
    sample = values[:_SAMPLE]
    return len(sample) >= 1_000 and 2 * len(pd.unique(sample)) > len(sample)


def _hash_each(values: np.ndarray) -> np.ndarray | None:
    """Each string hashed as it is, missing as "\\x00": the plain path's hash wherever no two of the texts are one
    C string (see `_column_hash`), that is where no text holds a NUL and "" is not there beside a missing value;
    None where one might be."""
    missing = pd.isna(values)
    present = values[~missing] if missing.any() else values
    if "\x00" in "".join(present) or (missing.any() and (present == "").any()):
        return None
    texts = values.copy()
    texts[missing] = _MISSING
    return pd.util.hash_array(texts, categorize=False)


def _nth_of_value(values: np.ndarray) -> np.ndarray:
    """Each value's count of earlier equal values (a groupby's cumcount), by a stable sort."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(len(values)), 0))
    nth = np.empty(len(values), dtype=np.int64)
    nth[order] = np.arange(len(values)) - first
    return nth


def lower_id_left(pairs: pd.DataFrame) -> pd.DataFrame:
    """Each pair's two sides swapped (every `*_l` column with its `*_r`) where the left id is the higher."""
    swap = (pairs["unique_id_l"].astype(str) > pairs["unique_id_r"].astype(str)).to_numpy()
    if not swap.any():
        return pairs
    for col in [c for c in pairs.columns if c.endswith("_l") and f"{c[:-2]}_r" in pairs.columns]:
        other = f"{col[:-2]}_r"
        lv, rv = pairs[col].to_numpy(copy=True), pairs[other].to_numpy(copy=True)
        pairs[col] = np.where(swap, rv, lv)
        pairs[other] = np.where(swap, lv, rv)
    return pairs
