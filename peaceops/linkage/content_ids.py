"""Ids a linkage run hands Splink: made from each record's content, so that a run is a function of the records
and not of the ids a database gave them (Splink draws its u sample by a hash of the ids)."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Columns a record's content id is not computed from: its id, and the name symbols (read from its names).
_NOT_CONTENT = ("unique_id", "given_sym", "surname_sym", "father_sym")


def content_ids(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame with each record's id replaced by a hash of what the record says, and the map back.

    Splink draws its u sample (and EM's pairs) by a hash of the records' ids, so the same people registered under
    other ids (another database's sequences, an import in another order) would be scored with another sample:
    other u, other probabilities. Ids made from the content make the run a function of the records alone. Records
    saying exactly the same thing are numbered in their input order, which cannot change a score (they are
    interchangeable)."""
    if frame.empty:
        return frame, {}
    cols = [c for c in frame.columns if c not in _NOT_CONTENT]
    digest = content_digest(frame[cols])
    hexed = [f"{h:016x}" for h in digest.tolist()]
    nth = _nth_of_value(digest)
    new = hexed if not nth.any() else [h if k == 0 else f"{h}-{k}" for h, k in zip(hexed, nth.tolist(), strict=True)]
    back = dict(zip(new, frame["unique_id"].astype(str).to_numpy(), strict=True))
    out = frame.copy(deep=False)
    out["unique_id"] = new
    return out, back


def content_digest(frame: pd.DataFrame) -> np.ndarray:
    """`pd.util.hash_pandas_object(frame.astype("string").fillna("\\x00"), index=False)`, each column's strings
    hashed once per distinct value: a million records hold few distinct values per column, and converting and
    hashing every cell cost seconds. Columns whose values are not all strings (or integers) take the plain path."""
    from pandas.core.util.hashing import combine_hash_arrays

    return combine_hash_arrays((_column_hash(frame[c]) for c in frame.columns), len(frame.columns))


_MISSING = "\x00"


def _column_hash(column: pd.Series) -> np.ndarray:
    if column.dtype == object:
        fast = pd.api.types.infer_dtype(column.to_numpy(), skipna=True) in ("string", "empty")
    else:
        fast = isinstance(column.dtype, pd.Int64Dtype) or np.issubdtype(column.dtype, np.integer)
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
