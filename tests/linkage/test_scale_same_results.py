"""The million-record dedupe's shortcuts give what the straightforward computations give (helper scale,
2026-12-04): each is compared here with the plain code it replaced, on inputs chosen to reach its edge cases."""

from __future__ import annotations

import math
import re
import unicodedata
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from peaceops.core.text import script_counts as text_script_counts
from peaceops.linkage import family, names
from peaceops.linkage import translit as tr
from peaceops.linkage.content_ids import content_digest, content_ids
from peaceops.linkage.synthetic import generate_registrations

EDGE_TOKENS = ["", "ow", "owen", "Owen", "OWEN", "łow", "a1b", "abc_", "Ağa", "İlham", "Ilham", "x", "ß", "ﬁ",
               "²", "h", "H", "hk", "kh", "hh", "hovh", "Hovhannes", "Һ", "Х", "Հ", "Հովհաննես", "Оганесян",
               "Сергеевич", "Rəşad", "oğlu", "qızı", "yy", "aa", "ǅ", "Ⅻ", "Тер-Петросян", "o'neil"]


def _tokens() -> list[str]:
    rows, _truth = generate_registrations(600, seed=11)
    found = {t for r in rows for field in ("name", "father_name") for t in names.tokenize(r.get(field) or "")}
    return sorted(found) + EDGE_TOKENS


# The computations as they were written before the shortcuts (peaceops/linkage/translit.py at 18148f3..main).
def _plain_script_counts(text: str) -> tuple[int, int, int, bool]:
    counts = text_script_counts(text)
    return (counts["Armn"], counts["Cyrl"], counts["Latn"] + counts["Geor"] + counts["Arab"],
            bool(re.search("[" + "".join(sorted(tr.AZ_LETTERS)) + "]", text)))


def _plain_match_form(token: str) -> str:
    script = tr.script_of_counts(*_plain_script_counts(token))
    if script == "hy":
        text = tr.hy_passport(token)
    elif script == "cyrl":
        text = "".join(tr._RU_MATCH.get(c, c) for c in token.lower())
    else:
        low = tr.az_lower(token) if script == "az" else token.lower()
        text = "".join(tr._AZ_MATCH.get(c, c) for c in low) if script == "az" else low
        text = text.replace("ł", "gh").replace("ow", "u")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", text)


def _plain_skeleton(token: str) -> str:
    m = _plain_match_form(token)
    if not m:
        return ""
    m = re.sub(r"^h", "", m)
    m = m.replace("ovh", "og")
    for a, b in tr._SKELETON_DIGRAPHS:
        m = m.replace(a, b)
    m = re.sub(r"^[kgqhx]", "", m)
    m = re.sub(r"^(ter)?h?o[vghkqx]an", r"\1ovan", m)
    if not m:
        return ""
    head = "a" if m[0] in "aeiouy" else ""
    body = re.sub(r"[aeiouy]", "", m).translate(tr._SKELETON_CLASSES)
    return head + re.sub(r"(.)\1+", r"\1", body)


def test_match_forms_skeletons_and_script_counts_are_the_plain_ones() -> None:
    tokens = _tokens()
    forms = [_plain_match_form(t) for t in tokens]
    for token in tokens + forms:  # a match form goes through match_form again (skeleton does it)
        assert tr.script_counts(token) == _plain_script_counts(token), token
        assert tr.match_form(token) == _plain_match_form(token), token
        assert tr.skeleton(token) == _plain_skeleton(token), token
        assert names.token_info(token).form == _plain_match_form(token), token


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 3_000
    words = np.array(["Արամ", "Ivan", "Əli", "", None, "ow"], dtype=object)
    frame = pd.DataFrame({
        "unique_id": [f"r{i}" for i in range(n)],
        "source": "left",
        "given": words[rng.integers(0, len(words), n)],  # "" and missing: hashed alike (pandas)
        "surname": words[rng.integers(0, 3, n)],
        "dob_y": pd.array(np.where(rng.random(n) < 0.2, None, rng.integers(1940, 1945, n)), dtype="Int64"),
        "score": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 3, n).astype(float)),  # floats: plain path
        # equal as keys, not as strings
        "mixed": np.array([[1, "1", 1.0, True, None][i % 5] for i in range(n)], dtype=object),
        "nul": np.array([["a\x00b", "a", "b"][i % 3] for i in range(n)], dtype=object),  # one C string: "a"
        "given_sym": [["Q1"] if i % 2 else None for i in range(n)],
    })
    return pd.concat([frame, frame.iloc[:40].assign(unique_id=lambda f: f["unique_id"] + "x")], ignore_index=True)


def test_content_ids_are_the_hash_of_the_records_as_strings() -> None:
    frame = _frame()
    cols = [c for c in frame.columns if c not in ("unique_id", "given_sym")]
    plain = pd.util.hash_pandas_object(frame[cols].astype("string").fillna("\x00"), index=False).to_numpy()
    assert (content_digest(frame[cols]) == plain).all()
    hexed = pd.Series([f"{int(h):016x}" for h in plain])
    nth = hexed.groupby(hexed).cumcount().to_numpy()
    expected = [h if k == 0 else f"{h}-{k}" for h, k in zip(hexed, nth, strict=True)]
    before = frame.copy()
    out, back = content_ids(frame)
    assert list(out["unique_id"]) == expected and max(nth) >= 1
    assert back == dict(zip(expected, frame["unique_id"], strict=True))
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame keeps its ids


def _linker() -> SimpleNamespace:
    def level(g: int, u: float = 0.1, null: bool = False) -> SimpleNamespace:
        return SimpleNamespace(comparison_vector_value=g, is_null_level=null, u_probability=u, m_probability=0.9)

    return SimpleNamespace(_settings_obj=SimpleNamespace(comparisons=[
        SimpleNamespace(output_column_name=comp, comparison_levels=[level(-1, null=True), level(0, 0.9), level(1),
                                                                    level(2, 0.01)])
        for comp in ("surname", "given_name", "father_name")]))


def _pairs_and_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(9)
    n, p = 400, 3_000
    names_ = np.array(["aram", "ivan", "ali", None, "gor"], dtype=object)
    sk = np.array(["arm", "ivn", None, "al"], dtype=object)
    frame = pd.DataFrame({"unique_id": [f"id{i:04d}" for i in range(n)],
                          "given": names_[rng.integers(0, 5, n)], "surname": names_[rng.integers(0, 5, n)],
                          "father": names_[rng.integers(0, 5, n)], "given_sk": sk[rng.integers(0, 4, n)],
                          "surname_sk": sk[rng.integers(0, 4, n)]})
    frame["name_sk_key"] = np.where(rng.random(n) < 0.8, frame["surname_sk"], None)
    left, right = rng.integers(0, n, p), rng.integers(0, n, p)
    keep = left < right
    pairs = pd.DataFrame({"unique_id_l": frame["unique_id"].to_numpy()[left[keep]],
                          "unique_id_r": frame["unique_id"].to_numpy()[right[keep]]}).drop_duplicates()
    pairs.loc[pairs.index[:3], "unique_id_r"] = "not-in-frame"  # an id the frame lacks: NaN, as map gives
    for comp in ("surname", "given_name", "father_name"):
        pairs[f"gamma_{comp}"] = rng.integers(-1, 3, len(pairs))
    pairs["match_weight"] = rng.normal(0, 12, len(pairs))
    return pairs.reset_index(drop=True), frame


def _plain_tf_deltas(pairs: pd.DataFrame, frame: pd.DataFrame, linker: SimpleNamespace) -> dict[str, np.ndarray]:
    out = {}
    for comp_obj in linker._settings_obj.comparisons:
        comp, col = comp_obj.output_column_name, family.TF_COLUMNS[comp_obj.output_column_name]
        exact = max((lv for lv in comp_obj.comparison_levels if not lv.is_null_level),
                    key=lambda lv: lv.comparison_vector_value)
        values = frame[col].dropna()
        freq = values.value_counts() / len(values)
        by_id = pd.Series(frame[col].to_numpy(), index=frame["unique_id"].to_numpy())
        names_l = pairs["unique_id_l"].map(by_id)
        is_exact = ((pairs[f"gamma_{comp}"].to_numpy() == exact.comparison_vector_value)
                    & (names_l.to_numpy() == pairs["unique_id_r"].map(by_id).to_numpy()))
        f = names_l.map(freq).to_numpy(dtype=float)
        f = np.where(np.isnan(f), 1.0 / len(values), np.maximum(f, 1.0 / len(values)))
        out[comp] = np.where(is_exact, np.log2(exact.u_probability) - np.log2(f), 0.0)
    return out


def _plain_joint(pairs: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    n, ids = len(frame), frame["unique_id"].to_numpy()

    def per_record(col: str) -> pd.Series:
        return pd.Series(frame[col].map(frame[col].value_counts()).to_numpy(dtype=float), index=ids)

    key = pd.Series(frame["name_sk_key"].to_numpy(), index=ids)
    left, right = pairs["unique_id_l"], pairs["unique_id_r"]
    kl, kr = left.map(key).to_numpy(), right.map(key).to_numpy()
    same = pd.notna(kl) & (kl == kr)
    sur, giv = per_record("surname_sk"), per_record("given_sk")
    s = np.nan_to_num(np.minimum(left.map(sur).to_numpy(float), right.map(sur).to_numpy(float)), nan=2.0)
    g = np.nan_to_num(np.minimum(left.map(giv).to_numpy(float), right.map(giv).to_numpy(float)), nan=2.0)
    j = np.nan_to_num(left.map(per_record("name_sk_key")).to_numpy(float), nan=2.0)
    expected = np.maximum(s - 2, 0) * np.maximum(g - 2, 0) / n
    observed = np.maximum(j - 2, 0)
    return np.where(same, -np.log2((observed + family.JOINT_PSEUDO) / (expected + family.JOINT_PSEUDO)), 0.0)


def _plain_rivals(pairs: pd.DataFrame, prior: float) -> np.ndarray:
    w = pairs["match_weight"].to_numpy(dtype=float)
    odds = np.exp2(np.clip(w + math.log2(prior / (1 - prior)), -60, 60))
    keep = np.where(odds >= family.MIN_RIVAL_ODDS)[0]
    left, right = pairs["unique_id_l"].to_numpy()[keep], pairs["unique_id_r"].to_numpy()[keep]
    o = odds[keep]
    edges = pd.DataFrame({"a": np.concatenate([left, right]), "b": np.concatenate([right, left]),
                          "o": np.concatenate([o, o]), "row": np.concatenate([keep, keep])})
    same = pd.Series((edges["o"] / (1 + edges["o"])).to_numpy(),
                     index=pd.MultiIndex.from_arrays([edges["a"], edges["b"]]))
    both = edges.merge(edges, on="a", suffixes=("", "_k"))
    both = both[both["b"] != both["b_k"]]
    p_bk = same.reindex(pd.MultiIndex.from_arrays([both["b"], both["b_k"]])).to_numpy()
    rival = (both["o_k"].to_numpy() * (1 - np.nan_to_num(p_bk, nan=0.0)))
    total = pd.Series(rival).groupby(both["row"].to_numpy()).sum()
    out = w.copy()
    out[total.index.to_numpy()] -= np.log2(1 + total.to_numpy())
    return out


def test_family_step_reads_the_pairs_records_as_the_id_maps_did() -> None:
    pairs, frame = _pairs_and_frame()
    linker = _linker()
    fast = family.tf_deltas(pairs, frame, linker)
    plain = _plain_tf_deltas(pairs, frame, linker)
    assert fast.keys() == plain.keys()
    for comp in plain:
        np.testing.assert_array_equal(fast[comp], plain[comp])
        assert (plain[comp] != 0).any()
    joint = family.joint_name_deltas(pairs, frame)
    assert joint is not None
    np.testing.assert_array_equal(joint, _plain_joint(pairs, frame))
    assert (joint != 0).any()


@pytest.mark.parametrize("prior", [1e-3, 0.2])
def test_rivals_are_counted_as_the_string_join_counted_them(prior) -> None:
    pairs, _frame = _pairs_and_frame()
    pairs = pairs[pairs["unique_id_r"] != "not-in-frame"]
    fast, plain = family.rivals(pairs, prior), _plain_rivals(pairs, prior)
    np.testing.assert_array_equal(fast, plain)
    assert (plain != pairs["match_weight"].to_numpy()).any()


def test_surname_and_father_counted_together_as_joined_strings() -> None:
    pairs, frame = _pairs_and_frame()
    both = frame.dropna(subset=["surname", "father"])
    joined = both["surname"].astype(str) + "\x1f" + both["father"].astype(str)
    key = family._joint_key(both["surname"], both["father"])
    assert family._pair_counts(key) == family._pair_counts(joined) > 0
    assert (pd.factorize(joined)[0] == key.to_numpy()).all()  # the same groups, numbered alike
    assert family.estimate_phi(frame, 0.7, 0.8, 0.0) >= 0.0


def test_date_lookup_is_the_dict_per_pair() -> None:
    table = {0: 0.5, 3: -1.25, 4: 2.0}
    keys = np.array([4, 0, 0, 7, 3, -1, 4])
    np.testing.assert_array_equal(family._lookup(table, keys), [table.get(int(k), 0.0) for k in keys])


def _plain_sibling_candidates(frame: pd.DataFrame) -> pd.DataFrame:
    cols = ["unique_id", "surname", "father", "given", "given_sk", "given_sym", "dob", "dob_y", "dob_m", "dob_d"]
    both = frame.loc[frame["surname"].notna() & frame["father"].notna() & frame["dob"].notna(), cols].copy()
    both["fkey"] = both["surname"].astype(str) + "\x1f" + both["father"].astype(str)
    size = both.groupby("fkey")["fkey"].transform("size")
    both = both[(size >= 2) & (size <= family.MAX_GROUP)]
    pairs = both.merge(both, on="fkey", suffixes=("_l", "_r"))
    pairs = pairs[pairs["unique_id_l"] < pairs["unique_id_r"]]
    if len(pairs) > family.MAX_PAIRS:
        pairs = pairs.sample(family.MAX_PAIRS, random_state=42)
    return pairs


@pytest.mark.parametrize("max_pairs", [family.MAX_PAIRS, 300])
def test_sibling_candidates_are_the_merged_and_drawn_pairs(monkeypatch, max_pairs) -> None:
    from peaceops.linkage.prepare import prepare_records

    rows, _truth = generate_registrations(3_000, seed=4)
    frame = prepare_records(rows, ())
    monkeypatch.setattr(family, "MAX_PAIRS", max_pairs)
    fast, plain = family._sibling_candidates(frame), _plain_sibling_candidates(frame)
    assert len(plain) >= 300  # with 300, a draw
    plain["fkey"] = fast["fkey"]  # the key's values are the fast path's own (integers, not joined strings)
    pd.testing.assert_frame_equal(fast, plain)
    np.testing.assert_array_equal(family.dob_gammas(fast), family.dob_gammas(plain))


def test_name_codes_number_the_distinct_name_fields_in_order() -> None:
    from peaceops.linkage.prepare import _NAME_FIELDS, _first_appearances, _name_codes

    rows, _truth = generate_registrations(2_000, seed=6)
    rows = [*rows, {"id": "x1", "given_name": "Aram", "surname": "Petrosyan"}, {"id": "x2", "name": "Aram"},
            {"id": "x3", "given_name": "Aram", "surname": "Petrosyan"}, {"id": "x4"}]
    codes, keys = _name_codes(rows)
    plain = pd.factorize(pd.Series([tuple(r.get(f) for f in _NAME_FIELDS) for r in rows]))[0]
    np.testing.assert_array_equal(codes, plain)
    assert keys == [tuple(rows[i].get(f) for f in _NAME_FIELDS) for i in np.unique(plain, return_index=True)[1]]
    for sample in (np.array([0, 0, 1, 0, 2, 1, 3, 3]), np.zeros(5, dtype=np.int64), plain):
        np.testing.assert_array_equal(_first_appearances(sample), np.unique(sample, return_index=True)[1])


def test_levels_read_back_from_weights_as_pair_by_pair() -> None:
    levels = [SimpleNamespace(comparison_vector_value=-1, is_null_level=True, m_probability=1.0, u_probability=1.0),
              *(SimpleNamespace(comparison_vector_value=g, is_null_level=False, m_probability=m, u_probability=u)
                for g, m, u in ((0, 0.05, 0.9), (1, 0.2, 0.05), (2, 0.7, 0.001), (3, 0.3, 0.3)))]
    comp = SimpleNamespace(comparison_levels=levels)
    table = np.array([0.0 if lv.is_null_level else math.log2(lv.m_probability / lv.u_probability) for lv in levels])
    gammas = np.array([lv.comparison_vector_value for lv in levels])
    rng = np.random.default_rng(2)
    weights = np.concatenate([rng.choice(table, 500), rng.normal(0, 6, 500), [np.nan, np.nan, 0.0, -0.0]])
    plain = gammas[np.abs(weights[:, None] - table[None, :]).argmin(axis=1)]
    np.testing.assert_array_equal(family._gammas_from_weights(pd.Series(weights), comp), plain)


def _varied_records() -> list[dict]:
    """Registrations with households, an extra column, split names, dirty dates and two records saying the same."""
    from peaceops.linkage.synthetic import household_registry

    rows, _truth = household_registry(1_500, seed=8, dup_rate=0.2)
    rows = [dict(r, village=["Ağdam", "", None][i % 3]) for i, r in enumerate(rows)]
    same = {"given_name": "Aram", "surname": "Petrosyan", "birth_date": "1945-04-93", "village": "x"}
    return [*rows, {"id": "s1", **same}, {"id": "s2", **same}, {"id": "s3", **same, "birth_date": "1961"}]


def _plain_ids(frame: pd.DataFrame) -> list[str]:
    """Content ids as `content_ids` first computed them: the records as strings, hashed; repeats numbered."""
    cols = [c for c in frame.columns if c not in ("unique_id", "given_sym", "surname_sym", "father_sym")]
    plain = pd.util.hash_pandas_object(frame[cols].astype("string").fillna("\x00"), index=False).to_numpy()
    hexed = pd.Series([f"{int(h):016x}" for h in plain])
    nth = hexed.groupby(hexed).cumcount().to_numpy()
    return [h if k == 0 else f"{h}-{k}" for h, k in zip(hexed, nth, strict=True)]


@pytest.mark.parametrize("helper", [False, True])
def test_content_ids_made_while_preparing_are_those_of_the_prepared_frame(monkeypatch, helper) -> None:
    """`prepare_with_ids` works the content ids out before the name symbols arrive (with a helper: while it waits
    for them); they must be those of the finished frame: every content column (households, extras), none of the
    symbols, in the frame's order."""
    from peaceops.linkage import prepare
    from peaceops.linkage.prepare import extra_columns, prepare_with_ids

    rows = _varied_records()
    extras = extra_columns(rows)
    assert extras == ("village",)
    if helper:
        monkeypatch.setattr(prepare, "PARALLEL_FROM", 100)
        monkeypatch.setattr(prepare, "names_loaded", lambda: False)
    frame, ids = prepare_with_ids(rows, extras)
    assert ids is not None and {"household", "x_village", "given_sym"} <= set(frame.columns)
    pd.testing.assert_frame_equal(frame, prepare.prepare_records(rows, extras))
    expected = _plain_ids(frame)
    assert list(ids.ids) == expected and any("-" in i for i in expected)  # the repeats numbered
    assert ids.back == dict(zip(expected, frame["unique_id"], strict=True))
    out, back = content_ids(frame, ids)
    assert list(out["unique_id"]) == expected and back == ids.back
    assert out["unique_id"].dtype == content_ids(frame)[0]["unique_id"].dtype
    with pytest.raises(ValueError, match="another frame"):
        content_ids(frame.iloc[1:], ids)  # another frame's ids are refused


@pytest.mark.parametrize("link", [False, True])
def test_dedupe_and_link_hand_the_prepared_ids_to_the_run(monkeypatch, link) -> None:
    """The ids are worked out once, in preparation, and the run scores with them as it scores without them."""
    from peaceops.linkage import content_ids as ci
    from peaceops.linkage import engine
    from peaceops.linkage.prepare import prepare_records, schema_for

    rows, _truth = generate_registrations(1_400, seed=12)
    left, right = (rows[::2], rows[1::2]) if link else (rows, None)
    handed: list = []
    real_run = engine.run
    monkeypatch.setattr(engine, "run", lambda *a, **k: handed.append(k["ids"]) or real_run(*a, **k))
    monkeypatch.setattr(ci, "content_ids_of", lambda frame: pytest.fail("content ids worked out again in the run"))
    got = engine.link(left, right, 0.5, explain=False) if right else engine.dedupe(left, 0.5, explain=False)
    assert all(i is not None for i in handed[0][:2 if link else 1])
    monkeypatch.undo()
    frames = [prepare_records(side, (), source=source) for side, source in ((left, "left" if link else ""),
                                                                           (right, "right")) if side]
    plain = engine.run(frames[0], frames[1] if link else None, schema_for(frames, ()), threshold=0.5,
                       explain=False)
    expected = sorted((p.left_id, p.right_id, p.probability) for p in engine.proposals_from(plain, 0.5, False))
    assert len(expected) > 50
    assert sorted((p.left_id, p.right_id, p.probability) for p in got.proposals) == expected


@pytest.mark.parametrize("odd, direct", [
    ([], True),  # names as written, some missing: hashed one by one
    ([""], False),  # "" beside a missing value: one C string for pandas, so the factorizing path decides
    (["a\x00b", "a"], False),  # one C string
    (["a\x00b"], False),  # a NUL, alone: not grouped, but the check is on any NUL
])
def test_mostly_distinct_strings_hashed_one_by_one_as_the_plain_hash(odd, direct) -> None:
    from peaceops.linkage import content_ids as ci

    rng = np.random.default_rng(7)
    n = 5_000
    names = np.array([f"Name{i} Surname{rng.integers(0, 10**6)}" for i in range(n)], dtype=object)
    names[rng.random(n) < 0.05] = None
    names[rng.integers(0, n, 200)] = "Aram Petrosyan"  # a few repeats
    for k, text in enumerate(odd):
        names[10 + 7 * k: 4_000: 50] = text
    frame = pd.DataFrame({"name_raw": names, "sex": np.where(rng.random(n) < 0.5, "F", "M")})
    assert ci._mostly_distinct(names) and not ci._mostly_distinct(frame["sex"].to_numpy())
    assert (ci._hash_each(names) is not None) == direct
    plain = pd.util.hash_pandas_object(frame.astype("string").fillna("\x00"), index=False).to_numpy()
    np.testing.assert_array_equal(content_digest(frame), plain)
    np.testing.assert_array_equal(ci._column_hash(frame["name_raw"]),
                                  pd.util.hash_array(np.asarray(frame["name_raw"].astype("string").fillna("\x00"),
                                                                dtype=object)))


def test_prepared_frame_owns_its_columns() -> None:
    """The prepared frame is built on its column arrays without copying them (`pd.DataFrame(cols, copy=False)`):
    it is the frame `pd.DataFrame(cols)` builds, and no two columns, nor two preparations, share an array."""
    from peaceops.linkage import prepare
    from peaceops.linkage.prepare import extra_columns, prepare_records

    rows = _varied_records()
    extras = extra_columns(rows)
    codes, keys = prepare._name_codes(rows)
    built = prepare._other_columns(rows, extras, None, "", prepare._name_table(keys), codes)
    assert built._mgr.nblocks == len(built.columns)  # not consolidated: not copied
    pd.testing.assert_frame_equal(built, pd.DataFrame({c: built[c].array for c in built.columns}))
    arrays = [(c, built[c].to_numpy()) for c in built.columns if built[c].dtype == object and c != "source"]
    for i, (a, left) in enumerate(arrays):
        for b, right in arrays[i + 1:]:
            assert not np.shares_memory(left, right), (a, b)
    first = prepare_records(rows, extras)
    expected = first.copy()
    for col in first.columns:  # written over in place: another preparation keeps its own values
        if first[col].dtype == object:
            first[col].to_numpy()[:] = None
    assert first["given"].isna().all()
    pd.testing.assert_frame_equal(prepare_records(rows, extras), expected)
