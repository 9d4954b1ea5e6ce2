"""Many names parsed at once, by columns: what `names.parse_tokens` gives one name at a time.

A million-record registry holds nearly as many distinct names, and assembling each one's parts in Python costs
~10 µs. Here the per-token facts (`token_info`) and the per-shape decisions (`make_plan`) are worked out once
each, and every name's parts are gathered with array indexing. Names with split-name hints, mixed scripts or
more than `MAX_TOKENS` tokens take the per-name path: same result, only slower.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
import pandas as pd

from peaceops.linkage.names import CYRILLIC_CLASS, Plan, make_plan, parse_tokens, token_info

# A name's shape key packs each token's role (< 128, 8 bits) and the token count into one int64.
MAX_TOKENS = 7


def _plan_for_key(key: int) -> Plan | None:
    """The plan for one shape key; None when the tokens' scripts differ (the name's letter counts decide)."""
    roles = tuple((key >> (8 * i)) & 0xFF for i in range(key >> 56))
    scripts = {r >> 4 for r in roles}
    if len(scripts) > 1:
        return None
    return make_plan(roles, scripts == {CYRILLIC_CLASS})


def parse_columns(token_lists: Sequence[list[str]], given_hints: Sequence[str] | None = None,
                  surname_hints: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Columns given, surname, given_sk, surname_sk, father, female, given_tok, surname_tok (one row per name;
    "" where a part is missing): `parse_tokens` field by field, for every name."""
    n = len(token_lists)
    lens = np.fromiter(map(len, token_lists), dtype=np.int64, count=n)
    flat = np.array(list(chain.from_iterable(token_lists)), dtype=object)
    codes, distinct = pd.factorize(flat) if len(flat) else (np.zeros(0, np.int64), np.zeros(0, object))
    infos = [token_info(t) for t in distinct]

    def table(values: list, empty: object) -> np.ndarray:  # per distinct token, then a sentinel for "none" (-1)
        out = np.empty(len(values) + 1, dtype=object)
        out[:-1] = values
        out[-1] = empty
        return out

    form, skeleton = table([i.form for i in infos], ""), table([i.skeleton for i in infos], "")
    patronymic_father = table([i.father for i in infos], "")
    written = table(list(distinct), "")
    female = np.array([i.female for i in infos] + [False], dtype=bool)
    role = np.fromiter((i.role for i in infos), dtype=np.int64, count=len(infos))

    starts = np.zeros(n, dtype=np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    owner = np.repeat(np.arange(n), lens)
    pos = np.arange(len(flat)) - starts[owner]
    key = np.minimum(lens, MAX_TOKENS + 1) << 56
    np.bitwise_or.at(key, owner, role[codes] << np.minimum(pos, MAX_TOKENS) * 8)
    shapes, shape_of = np.unique(key, return_inverse=True)
    plans = [_plan_for_key(int(k)) for k in shapes]
    slow = (lens > MAX_TOKENS) | np.array([p is None for p in plans], dtype=bool)[shape_of]
    hinted = None
    if given_hints is not None or surname_hints is not None:
        hinted = np.array([bool(g or s) for g, s in zip(given_hints or [""] * n, surname_hints or [""] * n,
                                                        strict=True)], dtype=bool)
        slow |= hinted

    def token_at(field: str) -> np.ndarray:
        """Distinct-token index of each name's token in that part (-1: none)."""
        j = np.array([getattr(p, field) if p else -1 for p in plans], dtype=np.int64)[shape_of]
        j[slow] = -1
        return np.where(j >= 0, codes[np.where(j >= 0, starts + j, 0)] if len(flat) else -1, -1)

    g, s, p, f = (token_at(field) for field in ("given", "surname", "patronymic", "father"))
    given, surname = form[g], form[s]
    cols = {
        "given": given, "surname": surname, "given_sk": skeleton[g], "surname_sk": skeleton[s],
        # the father's name: from a patronymic (Сергеевич → sergey), or the name before oğlu/qızı
        "father": np.where(f >= 0, form[f], patronymic_father[p]),
        "female": female[p] | female[s],
        "given_tok": np.where(given == "", "", written[g]), "surname_tok": np.where(surname == "", "", written[s]),
    }
    for i in np.flatnonzero(slow):
        parsed = parse_tokens(token_lists[i], given_hints[i] if given_hints else "",
                              surname_hints[i] if surname_hints else "")
        for col, value in (("given", parsed.given), ("surname", parsed.surname), ("given_sk", parsed.given_skeleton),
                           ("surname_sk", parsed.surname_skeleton), ("father", parsed.father),
                           ("female", parsed.sex_hint == "F"), ("given_tok", parsed.given_token),
                           ("surname_tok", parsed.surname_token)):
            cols[col][i] = value
    return cols
