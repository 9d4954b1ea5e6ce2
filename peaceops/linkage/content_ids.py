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
    content = frame[cols].astype("string").fillna("\x00")
    digest = pd.util.hash_pandas_object(content, index=False).to_numpy()
    hexed = pd.Series([f"{int(h):016x}" for h in digest], index=frame.index)
    nth = hexed.groupby(hexed).cumcount().to_numpy()
    new = [h if k == 0 else f"{h}-{k}" for h, k in zip(hexed.to_numpy(), nth, strict=True)]
    back = dict(zip(new, frame["unique_id"].astype(str).to_numpy(), strict=True))
    out = frame.copy()
    out["unique_id"] = new
    return out, back


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
