"""The Fellegi–Sunter model: comparisons, levels (with fixed fallback m/u), blocking rules.

Levels are written as plain SQL over the prepared columns; the few functions that differ between DuckDB and
Spark go through `Dialect`, so the same settings run on both backends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from splink import block_on

from peaceops.linkage.params import ModelParams, shipped
from peaceops.linkage.prepare import Schema


@dataclass(frozen=True)
class Dialect:
    name: str
    jw: str  # Jaro-Winkler similarity function
    lev: str = "levenshtein"

    def intersects(self, col: str) -> str:
        if self.name == "spark":
            return f"size(array_intersect({col}_l, {col}_r)) > 0"
        return f"len(list_intersect({col}_l, {col}_r)) > 0"


DUCKDB = Dialect("duckdb", "jaro_winkler_similarity")
SPARK = Dialect("spark", "jaro_winkler")


# A level's key names it in the shipped parameters (peaceops/linkage/data/model.json); its label is what an
# officer reads. Every non-null level has a key, so parameters learnt on labelled pairs can be stored and
# loaded by key whatever the order of the levels.
Level = dict[str, Any]


def _level(key: str, sql: str, label: str, m: float, u: float) -> Level:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u,
            "_key": key}


def _null(sql: str) -> Level:
    # Null levels carry no m/u: they are neutral by construction.
    return {"sql_condition": sql, "label_for_charts": "missing", "is_null_level": True, "_key": "missing"}


def _else(m: float, u: float, label: str = "different") -> Level:
    return _level("else", "ELSE", label, m, u)


def _name_comparison(d: Dialect, col: str, other: str, title: str) -> dict[str, Any]:
    """Given name or surname: exact → name symbol → phonetic skeleton → spelling → order swapped → loose JW.

    Close spellings come before "order swapped": a typo whose skeleton happens to equal the other part's
    (Mariza/Maria beside the surname Meier, all "mr") is a typo, not a swap. A swap needs both parts written
    the other way round, each as a name (same spelling or a close one), not merely as a skeleton: Shahen
    Rubinyan and Ruben Shchukin have swapped skeletons (skn/rpn) and are two different people."""
    def close(a: str, b: str) -> str:
        return f"({a} = {b} OR {d.jw}({a}, {b}) >= 0.92)"

    swapped = (f"{close(f'{col}_l', f'{other}_r')} AND {close(f'{other}_l', f'{col}_r')} "
               f"AND NOT {close(f'{col}_l', f'{col}_r')}")
    return {
        "output_column_name": title,
        "comparison_description": title,
        "comparison_levels": [
            _null(f"{col}_l IS NULL OR {col}_r IS NULL"),
            _level("exact", f"{col}_l = {col}_r", "exact (after transliteration)", 0.80, 0.004),
            _level("symbol", d.intersects(f"{col}_sym"), "same name symbol (cross-script)", 0.08, 0.002),
            # A skeleton is a coarse key: two surnames unlike in every letter share one at times (Ghaplanyan and
            # Abelyan are both "apln"). A name rewritten in another script stays close in its match form.
            _level("skeleton", f"{col}_sk_l = {col}_sk_r AND {d.jw}({col}_l, {col}_r) >= 0.70",
                   "same phonetic skeleton", 0.05, 0.004),
            _level("spelling", f"{d.jw}({col}_l, {col}_r) >= 0.92", "similar spelling (Jaro-Winkler ≥ 0.92)",
                   0.03, 0.004),
            # Jaro-Winkler is harsh on one typo in a short name (Bauer/Bquer: 0.88). The length test is cheap and
            # spares most pairs the Levenshtein call.
            _level("one_letter", f"abs(length({col}_l) - length({col}_r)) <= 1 AND {d.lev}({col}_l, {col}_r) <= 1",
                   "one letter different", 0.02, 0.002),
            _level("swapped", swapped, "matches the other name part (order swapped)", 0.02, 0.0005),
            _level("loose", f"{d.jw}({col}_l, {col}_r) >= 0.80", "loosely similar (Jaro-Winkler ≥ 0.80)",
                   0.01, 0.03),
            _else(0.01, 0.95),
        ],
    }


def _father_comparison(d: Dialect) -> dict[str, Any]:
    return {
        "output_column_name": "father_name",
        "comparison_description": "father's given name",
        "comparison_levels": [
            _null("father_l IS NULL OR father_r IS NULL"),
            _level("exact", "father_l = father_r", "exact (after transliteration)", 0.82, 0.01),
            _level("symbol", d.intersects("father_sym") + " OR father_sk_l = father_sk_r",
                   "same name symbol or phonetic skeleton", 0.10, 0.01),
            _level("spelling", f"{d.jw}(father_l, father_r) >= 0.88", "similar spelling (Jaro-Winkler ≥ 0.88)",
                   0.04, 0.02),
            # A transliteration the tables do not read, or a nickname, still looks like the name; a father's
            # name unlike it by every measure is, for a duplicate, a clerk's error, rare (the shipped m), and for
            # two namesakes the rule: the ELSE level is then a clearly different father.
            _level("loose", f"{d.jw}(father_l, father_r) >= 0.80", "loosely similar (Jaro-Winkler ≥ 0.80)",
                   0.01, 0.03),
            _else(0.03, 0.93, "clearly different"),
        ],
    }


def _given_differs(d: Dialect) -> str:
    """The given names are both known and unlike by every measure the name comparison has."""
    return (f"given_l IS NOT NULL AND given_r IS NOT NULL AND given_l <> given_r AND given_sk_l <> given_sk_r "
            f"AND NOT coalesce({d.intersects('given_sym')}, false) AND {d.jw}(given_l, given_r) < 0.92")


def _dob_comparison(d: Dialect) -> dict[str, Any]:
    full = "dob_d_l IS NOT NULL AND dob_d_r IS NOT NULL AND dob_y_l IS NOT NULL AND dob_y_r IS NOT NULL"
    y, m, dd = "dob_y_l = dob_y_r", "dob_m_l = dob_m_r", "dob_d_l = dob_d_r"
    # NULL = NULL is NULL, so "agrees where both are known" needs coalesce to count unknown parts as agreeing.
    known_agree = (f"coalesce({y}, true) AND coalesce({m}, true) AND coalesce({dd}, true) "
                   f"AND ({y} OR ({m} AND {dd}))")
    return {
        "output_column_name": "birth_date",
        "comparison_description": "date of birth (full, year-month, year, or day-month without year)",
        "comparison_levels": [
            # Missing, or no part that both sides know (1985 against --06-27): no evidence either way.
            _null("dob_l IS NULL OR dob_r IS NULL OR ((dob_y_l IS NULL OR dob_y_r IS NULL) AND "
                  "(dob_m_l IS NULL OR dob_m_r IS NULL))"),
            # Same date, another given name: in a registry of families that is most often twins, so the date
            # weighs only what the labelled data says such a pair weighs (a duplicate rarely loses its given name).
            _level("exact_other_given", f"dob_l = dob_r AND {full} AND {_given_differs(d)}",
                   "exact date, but another given name (twins?)", 0.002, 0.00005),
            _level("exact", f"dob_l = dob_r AND {full}", "exact date", 0.80, 0.00005),
            _level("transposed", f"{y} AND dob_m_l = dob_d_r AND dob_d_l = dob_m_r AND {full}",
                   "day and month transposed", 0.02, 0.00002),
            _level("partial", known_agree, "agrees as far as both are known (partial date)", 0.08, 0.015),
            _level("one_digit", f"{d.lev}(dob_l, dob_r) <= 1 AND {full}", "one digit different", 0.05, 0.002),
            # A clerk's error usually hits one part: two of year / month / day still agree.
            _level("day_month", f"{m} AND {dd}", "same day and month, year differs", 0.02, 0.003),
            _level("year_and_part", f"{y} AND ({m} OR {dd})", "same year and month or day", 0.02, 0.003),
            _level("year_only", y, "same year only", 0.02, 0.015),
            # Two full dates a year apart are rarely one person (siblings are); a year-only date a year off is an
            # estimated age.
            _level("near_full", f"abs(dob_y_l - dob_y_r) <= 1 AND {full}", "another full date within a year",
                   0.005, 0.03),
            _level("near", "abs(dob_y_l - dob_y_r) <= 1", "within a year (near)", 0.015, 0.03),
            # An age estimated by eye is a few years off; a namesake a generation apart is not the same person.
            _level("few_years_full", f"abs(dob_y_l - dob_y_r) <= 5 AND {full}", "another full date 2 to 5 years "
                   "apart", 0.005, 0.12),
            _level("few_years", "abs(dob_y_l - dob_y_r) <= 5", "2 to 5 years apart", 0.01, 0.12),
            # A full date copied from a document is not off by years in every part: that is another person's
            # date (a replaced year keeps day and month, a level above). A bare year far off is an age guessed
            # badly, rare but a clerk's habit.
            _level("far_full", full, "another full date more than 5 years apart", 0.002, 0.7),
            _else(0.005, 0.82, "more than 5 years apart"),
        ],
    }


# The birth-date levels of two different dates (full dates sharing the year only, a year or more apart): the
# signature of siblings and namesakes, rare among duplicates.
DATES_APART = ("year_only", "near_full", "few_years_full", "far_full", "else")


def dob_labels_apart(d: Dialect) -> set[str]:
    """The labels of the DATES_APART levels."""
    return {lvl["label_for_charts"] for lvl in _dob_comparison(d)["comparison_levels"] if lvl["_key"] in DATES_APART}


def dob_em_comparison(d: Dialect, start: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """The birth-date comparison for EM among same-name pairs (engine._dob_em): without the level that reads
    the given names (twins), which holding the names would make Splink switch the comparison off; m and u
    start from `start` (label → (m, u))."""
    comp = _dob_comparison(d)
    levels = []
    for level in comp["comparison_levels"]:
        if level.pop("_key") == "exact_other_given":
            continue
        if not level.get("is_null_level"):
            level["m_probability"], level["u_probability"] = start[level["label_for_charts"]]
        levels.append(level)
    comp["comparison_levels"] = levels
    return comp


def _simple(col: str, title: str, d: Dialect, jw: float | None, m_exact: float, u_exact: float,
            exact_label: str = "exact") -> dict[str, Any]:
    levels = [_null(f"{col}_l IS NULL OR {col}_r IS NULL"),
              _level("exact", f"{col}_l = {col}_r", exact_label, m_exact, u_exact)]
    if jw is not None:
        levels.append(_level("similar", f"{d.jw}({col}_l, {col}_r) >= {jw}", f"similar (Jaro-Winkler ≥ {jw})",
                             0.05, 0.01))
        levels.append(_level("two_edits", f"{d.lev}({col}_l, {col}_r) <= 2", "within two edits", 0.03, 0.01))
    levels.append(_else(1 - m_exact - (0.08 if jw is not None else 0), 1 - u_exact - (0.02 if jw else 0)))
    return {"output_column_name": title, "comparison_description": title, "comparison_levels": levels}


def _specs(schema: Schema, d: Dialect) -> list[dict[str, Any]]:
    comps = [_name_comparison(d, "surname", "given", "surname"),
             _name_comparison(d, "given", "surname", "given_name")]
    if schema.has_father:
        comps.append(_father_comparison(d))
    if schema.has_dob:
        comps.append(_dob_comparison(d))
    if schema.has_place:
        comps.append(_simple("place", "birth_place", d, 0.88, 0.85, 0.08, "same place (aliases resolved)"))
    if schema.has_sex:
        comps.append(_simple("sex", "sex", d, None, 0.97, 0.5, "same"))
    for extra in schema.extras:
        comps.append(_simple(f"x_{extra}", extra, d, 0.90, 0.85, 0.01))
    return comps


def level_keys(schema: Schema) -> dict[str, dict[int, str]]:
    """Comparison → {comparison-vector value (gamma): level key}. Splink numbers the non-null levels from the
    top down to 0 for ELSE, and the null level -1."""
    out: dict[str, dict[int, str]] = {}
    for comp in _specs(schema, DUCKDB):
        levels = [lvl["_key"] for lvl in comp["comparison_levels"] if not lvl.get("is_null_level")]
        out[comp["output_column_name"]] = {len(levels) - 1 - i: key for i, key in enumerate(levels)}
        out[comp["output_column_name"]][-1] = "missing"
    return out


def comparisons(schema: Schema, d: Dialect, params: ModelParams | None = None) -> list[dict[str, Any]]:
    """The comparisons this schema has, with the m/u of `params` (the shipped model when None) where it has
    them and the levels' generic values elsewhere (extra columns have no shipped values)."""
    params = params if params is not None else shipped()
    comps = _specs(schema, d)
    for comp in comps:
        values = params.comparisons.get(comp["output_column_name"], {})
        for level in comp["comparison_levels"]:
            key = level.pop("_key")
            if key in values and not level.get("is_null_level"):
                level["m_probability"], level["u_probability"] = values[key]["m"], values[key]["u"]
    return comps


# Above this many records (on the larger side) blocking switches to the selective keys of `_large_input_rules`.
LARGE_INPUT = 50_000


def prediction_blocking_rules(schema: Schema, symbols: bool = True, n_records: int = 0) -> list[Any]:
    """Keys that survive a change of script: phonetic skeletons, name symbols, dates, places."""
    if n_records > LARGE_INPUT:
        return _large_input_rules(schema, symbols)
    rules: list[Any] = [block_on("name_sk_key")]
    if schema.has_dob and n_records <= 50_000:
        rules.append(block_on("dob"))  # small lists: a full date alone is cheap and catches rewritten names
        # A misspelt name and one rewritten date part together: the intact name with the two intact date parts.
        rules += [block_on("given_sk", "dob_y"), block_on("given_sk", "dob_m", "dob_d"),
                  block_on("surname_sk", "dob_m", "dob_d")]
    if schema.has_dob:
        rules += [block_on("surname_sk", "dob_y"), block_on("given_sk", "dob")]
        if symbols:
            rules.append(block_on("surname_sym", "dob_y", arrays_to_explode=["surname_sym"]))
        if schema.has_place:
            rules.append(block_on("dob", "place"))
        if schema.has_father:  # a rewritten surname with an estimated age: given and father's names hold
            rules.append(block_on("father_sk", "given_sk"))
    else:
        rules.append(block_on("surname_sk"))
        if symbols:
            rules.append(block_on("given_sym", arrays_to_explode=["given_sym"]))
    return rules + _extra_column_rules(schema)


def _extra_column_rules(schema: Schema) -> list[Any]:
    """Generic extra columns help when names and dates are both corrupted (FEBRL-style lists)."""
    rules: list[Any] = []
    for extra in schema.extras[:4]:
        rules.append(block_on(f"x_{extra}", "given_sk"))
        rules.append(block_on(f"x_{extra}", "surname_sk"))
        if schema.has_dob:
            rules.append(block_on(f"x_{extra}", "dob"))
    return rules


def _large_input_rules(schema: Schema, symbols: bool) -> list[Any]:
    """The same keys made selective enough for a million registrations (~2 M candidate pairs, not ~37 M).

    Measured on 1,000,000 synthetic registrations (bench/linkage): the pairs these rules generate hold 98.8 %
    of the true duplicates, against 99.5 % for the small-input rules, at a seventeenth of the pairs. Name
    skeletons with the birth year, or with the birthplace when the year is off (an estimated age against a
    registered date), or with the father; a surname with year and month, a given name with the full date,
    shared surname symbols with the full date, date and place only for full dates. Sex splits the larger blocks
    nearly for free (given names are gendered).
    """
    sex = ("sex",) if schema.has_sex else ()
    if not schema.has_dob:
        rules: list[Any] = [block_on("name_sk_key", *sex), block_on("surname_sk", "given_sk")]
        if symbols:
            rules.append(block_on("given_sym", "surname_sk", arrays_to_explode=["given_sym"]))
        return rules + _extra_column_rules(schema)
    rules = [block_on("name_sk_key", "dob_y")]
    if schema.has_place:
        rules.append(block_on("name_sk_key", "place", *sex))
    if schema.has_father:
        rules.append(block_on("name_sk_key", "father_sk"))
    if not (schema.has_place or schema.has_father):
        rules.append(block_on("name_sk_key", *sex))  # nothing else catches a year that is off
    rules += [block_on("surname_sk", "dob_y", "dob_m", *sex), block_on("given_sk", "dob")]
    if symbols:
        rules.append(block_on("surname_sym", "dob", arrays_to_explode=["surname_sym"]))
    if schema.has_place:
        rules.append(block_on("dob", "dob_d", "place", *sex))  # dob_d = dob_d is false for year-only dates
    if schema.has_father:
        rules.append(block_on("father_sk", "given_sk", "dob_y"))
    return rules + _extra_column_rules(schema)


def training_blocking_rules(schema: Schema) -> list[Any]:
    """EM passes: each one fixes a field so the others' m values can be learnt."""
    rules: list[Any] = []
    if schema.has_dob:
        rules.append(block_on("dob"))
    rules.append(block_on("surname_sk", "given_sk"))
    return rules


def settings_dict(schema: Schema, d: Dialect, link_type: str, prior: float,
                  symbols_blocking: bool = True, n_records: int = 0, explain: bool = True,
                  params: ModelParams | None = None, intermediate: bool | None = None) -> dict[str, Any]:
    """`intermediate` keeps the per-comparison gamma_ and mw_ columns without the values (default: `explain`)."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons(schema, d, params),
        "blocking_rules_to_generate_predictions": prediction_blocking_rules(schema, symbols_blocking, n_records),
        # Explanations need every level and value; bare id pairs (the CLI without --explain) do not, and at a
        # million records carrying them through the scoring SQL costs more than the scoring.
        "retain_intermediate_calculation_columns": explain if intermediate is None else intermediate,
        "retain_matching_columns": explain,
        "additional_columns_to_retain": ["name_raw"] if explain else [],
    }


def rule_keys(frame: Any) -> Any:
    """The deterministic rule behind the prior's estimate: the same pair of name skeletons (in either order) and
    the same full birth date. None where a record cannot meet it."""
    full = frame["dob_d"].notna() & frame["name_sk_key"].notna() if "dob_d" in frame else None
    if full is None:
        return None
    return (frame["name_sk_key"].astype(str) + "|" + frame["dob"].astype(str)).where(full)
