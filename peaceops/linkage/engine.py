"""The record-linkage engine: Splink (Fellegi–Sunter) over normalised columns, with shipped m-probabilities.

DuckDB is the embedded default; `backend="spark"` runs the same settings on a Spark session (local mode
unless the caller passes its own). How a run is calibrated: `run` and docs/linkage.md.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import tempfile
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from peaceops.linkage import config, family, households, model, run_levels
from peaceops.linkage.content_ids import ContentIds, content_ids, lower_id_left
from peaceops.linkage.interface import ComparisonExplanation, MatchProposal
from peaceops.linkage.notes import gettext as _
from peaceops.linkage.params import ModelParams, active_params
from peaceops.linkage.places import PlaceKey
from peaceops.linkage.prepare import Schema, extra_columns, prepare_with_ids, schema_for

DEFAULT_THRESHOLD = 0.9
# Below this many records on the smaller side the data cannot speak for its own u and prior: it is scored as a
# query, with the shipped model (a tracing request, a short party list, one pair).
MIN_RECORDS_TO_ESTIMATE = 300
# EM (only for comparisons without shipped m) needs at least this many records on the smaller side.
MIN_RECORDS_TO_TRAIN = 300
# log2 of how far EM may move a shipped m before the shipped value is kept instead (a factor of 4).
MAX_EM_SHIFT = 2.0
# Pairs sampled to estimate u, and pairs per EM pass: enough for every level's estimate to settle.
U_MAX_PAIRS = 1e6
EM_MAX_PAIRS = 1e6
log = logging.getLogger(__name__)
Progress = Callable[[str], None]

# Which prepared columns each comparison shows in an explanation.
_VALUE_COLUMNS = {"surname": "surname", "given_name": "given", "father_name": "father", "birth_date": "dob",
                  "birth_place": "place", "sex": "sex", households.COMPARISON: "household"}


@dataclass
class LinkageRun:
    """Scored pairs plus what an explanation needs (level labels per comparison)."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, gamma_*, mw_*, *_l, *_r
    labels: dict[str, dict[int, str]]
    comparisons: list[str]
    trained: bool  # EM ran (see _guarded_em)
    prior: float = 0.5  # probability that two records of the run are the same person, before comparing them
    query: bool = False  # scored with the shipped model and the query prior
    notes: list[str] = field(default_factory=list)  # what the run estimated and where it fell back, for its summary


class Notes:
    """The run's summary lines, each said once."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)


def _spark_session() -> Any:
    from peaceops.linkage import config

    return config.spark_session()


# DuckDB's own default takes 80 % of the machine's RAM; a linkage run shares its server, so it gets a bounded
# buffer and spills to disk past it. Environment variables override (e.g. PEACEOPS_LINKAGE_MEMORY=2GB).
DUCKDB_MEMORY_LIMIT = "4GB"


def _setting(name: str) -> str:
    """From Django's settings (checked at start-up) when configured; scripts using the engine alone (bench/) read
    the same variable from the environment."""
    from django.conf import settings

    if settings.configured:
        return str(getattr(settings, name, "") or "")
    return os.environ.get(name, "")


def duckdb_connection(memory_limit: str | None = None, threads: int | None = None,
                      temp_directory: str | None = None) -> Any:
    """An in-memory DuckDB connection with bounded memory, spilling to `temp_directory`."""
    import duckdb

    memory_limit = memory_limit or _setting("PEACEOPS_LINKAGE_MEMORY") or DUCKDB_MEMORY_LIMIT
    threads = threads or int(_setting("PEACEOPS_LINKAGE_THREADS") or 0) or os.cpu_count() or 1
    temp_directory = temp_directory or _setting("PEACEOPS_LINKAGE_TMP") or os.path.join(
        tempfile.gettempdir(), "peaceops-duckdb")
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET temp_directory = '{temp_directory}'")
    # Row order of intermediate tables is irrelevant to linkage; keeping it costs memory on large joins.
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # a bar on stderr for every query of a long run
    return con


def _db_api(backend: str | None, spark: Any = None) -> tuple[Any, model.Dialect]:
    backend = backend or config.backend()
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI(connection=duckdb_connection()), model.DUCKDB
    if backend == "spark":
        from splink import SparkAPI

        session = spark or _spark_session()
        # On a cluster this must be a path every executor reaches (hdfs://, s3a://): PEACEOPS_SPARK_CHECKPOINT_DIR.
        session.sparkContext.setCheckpointDir(config.spark_checkpoint_dir())
        return SparkAPI(spark_session=session, break_lineage_method="persist"), model.SPARK
    raise ValueError(f"unknown backend {backend!r}: use 'duckdb' or 'spark'")


def _to_backend_frame(df: pd.DataFrame, backend: str, db_api: Any) -> Any:
    if backend != "spark":
        return df
    from pyspark.sql import types as T

    fields = []
    for col in df.columns:
        if col.endswith("_sym"):
            typ: Any = T.ArrayType(T.StringType())
        elif col in ("dob_y", "dob_m", "dob_d"):
            typ = T.LongType()
        else:
            typ = T.StringType()
        fields.append(T.StructField(col, typ, True))
    rows = [tuple(None if (v is pd.NA or (isinstance(v, float) and math.isnan(v))) else
                  (int(v) if col in ("dob_y", "dob_m", "dob_d") else v) for col, v in zip(df.columns, r))
            for r in df.itertuples(index=False, name=None)]
    return db_api.spark.createDataFrame(rows, T.StructType(fields))


def _register(db_api: Any, backend: str, df: pd.DataFrame, name: str, display: str | None = None) -> Any:
    """`name` is the run's own table (unique in a shared Spark session); `display` the side's stable name, which
    Splink writes into each record's composite id (source_dataset) and so into the hash its u sample draws on
    (the table's name when None)."""
    display = display or name
    if backend != "duckdb":
        return db_api.register(_to_backend_frame(df, backend, db_api), dataset_display_name=display,
                               table_name=name)
    # Copied once into a DuckDB table: registered as a pandas view, every training and scoring query would
    # convert the object columns (strings, symbol lists) afresh, which at a million rows costs more than the SQL.
    con = db_api.duckdb_con
    con.register(f"{name}_src", df)
    try:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_src")
    finally:
        con.unregister(f"{name}_src")
    return db_api.register(name, dataset_display_name=display, table_name=name)


def total_pairs(n_left: int, n_right: int | None) -> float:
    """Every pair the data could hold (not only those blocking lets through)."""
    return max(n_left * (n_left - 1) / 2 if n_right is None else n_left * n_right, 1)


def _guarded_em(linker: Any, schema: Schema, params: ModelParams, notes: Notes, progress: Progress) -> None:
    """EM where it can help: comparisons the shipped model has no m for (a list's extra columns). The shipped m
    of the other comparisons are learnt from labelled pairs and are kept unless EM agrees with them closely;
    a level EM cannot train, or a move past MAX_EM_SHIFT, puts the comparison back on its starting values
    and the run's notes say so."""
    start = {c.output_column_name: {lvl.label_for_charts: lvl.m_probability for lvl in c.comparison_levels
                                    if not lvl.is_null_level} for c in linker._settings_obj.comparisons}
    for br in model.training_blocking_rules(schema):
        progress("training: em")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                linker.training.estimate_parameters_using_expectation_maximisation(
                    br, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS)
        except Exception as exc:  # noqa: BLE001 - Splink raises many types; EM is optional
            log.warning("linkage EM pass skipped: %s", exc)
            notes.add(_("EM could not run (%(error)s): the shipped m-probabilities were used.") % {
                "error": str(exc)[:120]})
    for comp in linker._settings_obj.comparisons:
        name = comp.output_column_name
        levels = [lvl for lvl in comp.comparison_levels if not lvl.is_null_level]
        untrained = [lvl.label_for_charts for lvl in levels if not lvl._has_estimated_m_values]
        shift = max((abs(math.log2(max(lvl.m_probability, 1e-6) / max(start[name][lvl.label_for_charts], 1e-6)))
                     for lvl in levels if start[name][lvl.label_for_charts] >= 0.005), default=0.0)
        has_shipped = name in params.comparisons
        keep = not untrained and (not has_shipped or shift <= MAX_EM_SHIFT)
        if keep and not has_shipped:
            notes.add(_("%(field)s: no shipped m-probabilities; EM estimated them from this data.") % {
                "field": name})
        elif not keep:
            for lvl in levels:
                lvl.m_probability = start[name][lvl.label_for_charts]
            if untrained:
                notes.add(_("%(field)s: EM could not train the level \u201c%(level)s\u201d; its starting "
                            "m-probabilities were kept.") % {"field": name, "level": untrained[0]})
            elif has_shipped:
                notes.add(_("%(field)s: EM moved far from the shipped m-probabilities (%(bits).1f bits); the "
                            "shipped values were kept.") % {"field": name, "bits": shift})


# EM on the birth date with the names held runs up to this many records (larger inputs keep the shipped m).
DOB_EM_MAX_RECORDS = 50_000
# A level of two different dates (model.DATES_APART) may take at most this factor more of EM's matches than
# the shipped m say, and at most DOB_EM_MAX_GAIN more in absolute share, before EM's class is taken for
# namesakes or relatives.
DOB_EM_MAX_FACTOR = 4.0
DOB_EM_MAX_GAIN = 0.02
# EM learns dates only where the deterministic rule expects at least this many duplicate pairs: a handful of
# pairs (a registry with 0.1 % duplicates) is too few to tell their dates from namesakes' (issue 15).
DOB_EM_MIN_PAIRS = 100
# EM's m below this is floored (as params.MIN_SHARE floors the shipped ones): no date level becomes a veto.
MIN_EM_M = 0.001


def _dob_em(linker: Any, registered: list[Any], dialect: model.Dialect, notes: Notes, progress: Progress) -> bool:
    """How this data's duplicates differ in their birth dates, learnt by EM among the pairs that share both name
    skeletons: the names held, the dates alone compared (a model of its own over the same records, with the
    u just sampled), the result copied into the run's birth-date levels.

    Clerks' date slips differ from registry to registry (a list copied from damaged documents has a digit or a
    part wrong far more often than the shipped model's labelled registries), and where the data holds a
    duplicate class EM finds it among same-name pairs. Where the duplicates are few, EM's "matches" are
    namesakes or relatives instead: two different full dates. So EM's dates are kept only if no level of two
    different dates (`model.DATES_APART`: full dates sharing only the year, another full date within a year, 2 to
    5 years, more than 5 years apart) gains more than DOB_EM_MAX_FACTOR times its shipped share of the matches
    (and DOB_EM_MAX_GAIN in absolute terms); otherwise the shipped m stay and the run's notes say so. A level EM
    saw no pair at keeps its shipped m. Measured in bench/RESULTS.md (kept on RLdata10000, refused on
    registries with 1 % duplicates)."""
    from splink import Linker, block_on

    comps = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    if "birth_date" not in comps:
        return False
    levels = {lvl.label_for_charts: lvl for lvl in comps["birth_date"].comparison_levels if not lvl.is_null_level}
    start = {label: (lvl.m_probability, lvl.u_probability) for label, lvl in levels.items()}
    settings = {"link_type": linker._settings_obj._link_type, "unique_id_column_name": "unique_id",
                "probability_two_random_records_match": 0.01,
                "comparisons": [model.dob_em_comparison(dialect, start)],
                "blocking_rules_to_generate_predictions": [], "retain_intermediate_calculation_columns": False,
                "retain_matching_columns": False, "additional_columns_to_retain": []}
    progress("training: em (birth dates)")
    try:
        em = Linker(registered[0] if len(registered) == 1 else registered, settings, log_level=logging.WARNING)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            em.training.estimate_parameters_using_expectation_maximisation(
                block_on("surname_sk", "given_sk"), estimate_without_term_frequencies=True,
                max_pairs=EM_MAX_PAIRS)
    except Exception as exc:  # noqa: BLE001 - Splink raises many types; EM is optional
        log.warning("linkage EM pass on birth dates skipped: %s", exc)
        notes.add(_("EM could not run (%(error)s): the shipped m-probabilities were used.") % {
            "error": str(exc)[:120]})
        return False
    learnt = {lvl.label_for_charts: lvl.m_probability for lvl in em._settings_obj.comparisons[0].comparison_levels
              if not lvl.is_null_level and lvl._has_estimated_m_values and lvl.m_probability is not None}
    against = dates_apart_against(learnt, {label: m for label, (m, _u) in start.items()},
                                  model.dob_labels_apart(dialect))
    if against:
        notes.add(_("birth_date: EM among same-name pairs found a class whose dates are far apart "
                    "(\u201c%(level)s\u201d): namesakes or relatives, not duplicates; the shipped "
                    "m-probabilities were kept.") % {"level": against[0]})
        return False
    for label, m in learnt.items():
        levels[label].m_probability = max(m, MIN_EM_M)
    notes.add(_("birth_date: m-probabilities estimated by EM from this data's same-name pairs."))
    return True


def dates_apart_against(learnt: dict[str, float], shipped: dict[str, float], apart: set[str]) -> list[str]:
    """The levels of two different dates (`apart`) at which EM's m passed DOB_EM_MAX_FACTOR times the shipped m
    and DOB_EM_MAX_GAIN above it: where EM's class holds namesakes or relatives (see `_dob_em`)."""
    return [label for label, m in learnt.items()
            if label in apart and m > max(DOB_EM_MAX_FACTOR * shipped[label], shipped[label] + DOB_EM_MAX_GAIN)]


def _estimate_u(linker: Any, notes: Notes, progress: Progress) -> bool:
    progress("training: u")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=42)
    except Exception as exc:  # noqa: BLE001 - Splink raises many types; the shipped u remain
        log.warning("linkage u sampling skipped: %s", exc)
        notes.add(_("u-probabilities could not be estimated from this data (%(error)s): the shipped ones "
                    "were used.") % {"error": str(exc)[:120]})
        return False
    return True


def estimate_prior(log2_bayes: np.ndarray, pairs: float, start: float) -> float:
    """The share of all pairs that are matches, with m and u held: the one-parameter EM (the expected number of
    matches among the scored pairs, over every pair the data could hold). Unlike EM over m as well, it cannot
    mistake a class of namesakes for the duplicates, and it works at any duplicate rate."""
    bayes = np.exp2(np.clip(log2_bayes.astype(float), -60, 60))
    lam = start
    for _i in range(500):
        p = lam * bayes / (lam * bayes + 1 - lam)
        new = float(p.sum()) / pairs
        if abs(new - lam) <= 1e-4 * lam:
            lam = new
            break
        lam = new
    return float(min(0.5, max(lam, 0.5 / pairs)))


def rule_prior(left: pd.DataFrame, right: pd.DataFrame | None, pairs: float, params: ModelParams) -> float | None:
    """The deterministic-rule estimate: pairs meeting `model.rule_keys` (the same name skeletons and full date),
    divided by the share of true pairs that meet it in the labelled training registries (`rule_recall`). It
    counts what is there at any duplicate rate; the one-parameter EM over the scored pairs, by contrast, reads
    every namesake pair as a fraction of a match and overestimates a registry with few duplicates."""
    recall = params.meta.get("rule_recall")
    keys = model.rule_keys(left)
    if not recall or keys is None:
        return None
    counts = keys.value_counts()
    if right is None:
        meeting = float((counts * (counts - 1) / 2).sum())
    else:
        other = model.rule_keys(right)
        if other is None:
            return None
        meeting = float((counts * other.value_counts().reindex(counts.index, fill_value=0)).sum())
    if not meeting:
        return None
    return float(min(0.5, max(meeting / recall / pairs, 0.5 / pairs)))


def probability(log2_bayes: Any, prior: float) -> Any:
    """Posterior probability from the Bayes factor (log2) and the pair prior."""
    odds = np.exp2(np.clip(np.asarray(log2_bayes, dtype=float) + math.log2(prior / (1 - prior)), -1000, 1000))
    return odds / (1 + odds)


def _labels(linker: Any) -> tuple[dict[str, dict[int, str]], list[str]]:
    labels: dict[str, dict[int, str]] = {}
    order: list[str] = []
    for comp in linker._settings_obj.comparisons:
        name = comp.output_column_name
        order.append(name)
        labels[name] = {lvl.comparison_vector_value: lvl.label_for_charts for lvl in comp.comparison_levels}
    return labels, order


def run(left: pd.DataFrame, right: pd.DataFrame | None, schema: Schema, *, backend: str | None = None,
        threshold: float = DEFAULT_THRESHOLD, train: bool = True, spark: Any = None,
        symbols_blocking: bool = True, progress: Progress | None = None, explain: bool = True,
        params: ModelParams | None = None, ids: tuple[ContentIds | None, ContentIds | None] = (None, None)) -> LinkageRun:
    """Score candidate pairs between prepared frames (or within one, for dedupe).

    A query (a side below MIN_RECORDS_TO_ESTIMATE: a tracing request, a short party list, a pair) is scored
    with the shipped m and u and the query prior, so its probability does not depend on what else is in the
    database. Larger data has its own u sampled and its prior estimated, so the probability means the same at
    any duplicate rate; m stays the shipped one (see `_guarded_em` for the exception). `ids`: each frame's content
    ids as `prepare_with_ids` gave them with it (worked out here when None)."""
    from splink import Linker

    progress = progress or (lambda _msg: None)
    backend = backend or config.backend()
    notes = Notes()
    if params is None:  # the operation's model learnt from its officers' decisions, else the shipped one
        params, about = active_params()
        if about:
            notes.add(about)
    progress("loading records into the engine")
    db_api, dialect = _db_api(backend, spark)
    link_type = "dedupe_only" if right is None else "link_only"
    n_small = len(left) if right is None else min(len(left), len(right))
    query = n_small < MIN_RECORDS_TO_ESTIMATE or not train
    # A dedupe of a registry with fathers' names may hold families: name frequencies and the family class are
    # applied after scoring (peaceops/linkage/family.py), which needs each comparison's level and weight.
    families = right is None and not query and schema.has_father and schema.has_dob and not schema.extras
    # The prior is applied here, after scoring: Splink's match weight is then the pair's log2 Bayes factor.
    settings = model.settings_dict(schema, dialect, link_type, 0.5, symbols_blocking,
                                   max(len(left), len(right) if right is not None else 0), explain, params,
                                   intermediate=explain or families)
    # Splink sees content ids (`content_ids`): the run does not depend on the records' ids; mapped back below.
    left, back_left = content_ids(left, ids[0])
    if right is not None:
        right, back_right = content_ids(right, ids[1])
    frames = [left] if right is None else [left, right]
    tag = uuid.uuid4().hex[:8]  # a shared Spark session keeps temp views: names must be unique per run
    registered = [_register(db_api, backend, f, f"{name}_{tag}", name) for f, name in zip(frames, ("lk_left", "lk_right"))]
    linker = Linker(registered[0] if right is None else registered, settings, log_level=logging.WARNING)
    estimated_u = trained = False
    if not query:
        estimated_u = _estimate_u(linker, notes, progress)
        if estimated_u:
            run_levels.exact_date_u_of_the_date(linker)
        if schema.extras and n_small >= MIN_RECORDS_TO_TRAIN:
            _guarded_em(linker, schema, params, notes, progress)
            trained = True
        elif right is None and schema.has_dob and estimated_u and len(left) <= DOB_EM_MAX_RECORDS:
            n_all = total_pairs(len(left), None)
            early_prior = rule_prior(left, None, n_all, params)
            if early_prior is not None and early_prior * n_all < DOB_EM_MIN_PAIRS:
                notes.add(_("birth_date: about %(n)s duplicate pairs in this data, too few for EM to learn their "
                            "dates from; the shipped m-probabilities were kept.") % {"n": f"{early_prior * n_all:,.0f}"})
            else:
                trained = _dob_em(linker, registered, dialect, notes, progress)
    run_levels.swap_weighs_as_exact(linker)
    progress("scoring candidate pairs")
    # Pairs below an even Bayes factor cannot reach a threshold of 1/2 or more under any prior ≤ 1/2; the prior's
    # estimate needs them all the same only where they are many and it is tiny, which their omission errs below.
    floor = None if threshold <= 0 else min(0.0, math.log2(threshold / (1 - threshold)) if threshold < 1 else 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pred = linker.inference.predict(threshold_match_weight=floor, warning_mode="never")
    pairs = pred.as_pandas_dataframe()
    if not explain and not families:
        pairs = pairs[["unique_id_l", "unique_id_r", "match_weight"]]
    n_pairs = total_pairs(len(left), None if right is None else len(right))
    if query:
        prior = params.query_prior
        notes.add(_("Scored as a query against the shipped model (prior %(prior).1e per pair), so the probability "
                    "does not depend on the other records.") % {"prior": prior})
    else:
        prior = rule_prior(left, right, n_pairs, params)
        if prior is None:  # no full dates to count on: the mixing proportion of the scored pairs
            prior = estimate_prior(pairs["match_weight"].to_numpy(), n_pairs, params.query_prior)
    if families:
        progress("scoring: name frequencies and families")
        pairs, fam = family.apply(pairs, left, linker, prior)
        if fam is not None:
            notes.add(_("Names weighed by their frequency in this data; families read as families: about "
                        "%(n)s pairs of relatives (same surname and father's name, another given name), whose "
                        "birth dates were learnt from %(seen)s such pairs.") % {
                "n": f"{fam.phi * n_pairs:,.0f}", "seen": f"{fam.pairs_seen:,}"})
        if not explain:
            pairs = pairs[["unique_id_l", "unique_id_r", "match_weight"]]
    if not query:  # the summary's last line
        notes.add(_("Prior estimated from this data: %(prior).2e per pair, about %(n)s matching pairs among "
                    "%(records)s records; u-probabilities %(u)s.") % {
            "prior": prior, "n": f"{prior * n_pairs:,.0f}", "records": f"{len(left) + len(right if right is not None else []):,}",
            "u": _("sampled from this data") if estimated_u else _("shipped")})
    with_households = "household" in left.columns or (right is not None and "household" in right.columns)
    if with_households:  # after scoring, with the family class's: learnt m, u from these pairs (linkage.households)
        progress("scoring: households")
        hh_left, hh_right = _with_household(left), None if right is None else _with_household(right)
        hh_params, seen = (params, 0.0) if query else households.m_from_data(
            pairs, probability(pairs["match_weight"].to_numpy(dtype=float), prior), hh_left, hh_right, params)
        pairs = households.apply(pairs, hh_left, hh_right, explain, prior=None if query else prior, params=hh_params)
        used = pairs.attrs.get("household_weights")
        if used:
            w = used["weights"]
            if params.meta.get("learnt_from_decisions") and not seen:  # the operation's own model
                m_source = _("m of the model learnt from the officers' decisions")
            elif seen:  # the data's own habit (households.m_from_data)
                m_source = _("m read from this data's %(n)s sure pairs with a household on both sides, shrunk "
                             "towards the model's m") % {"n": f"{seen:,.0f}"}
            else:
                m_source = _("m learnt from generated households")
            notes.add(_("Households: a co-member in common %(common)+.1f bits, co-members on both sides and none in "
                        "common %(none)+.1f, the same household %(same)+.1f, a side registered alone 0 (%(m)s; u "
                        "%(u)s).") % {"common": w[households.COMMON], "none": w[households.NONE],
                                      "same": w[households.SAME], "m": m_source,
                                      "u": _("from this data's pairs") if used["u_from_data"] else _("shipped")})
    pairs["match_probability"] = probability(pairs["match_weight"].to_numpy(), prior)
    pairs = pairs[pairs["match_probability"] >= threshold].copy()
    pairs["unique_id_l"] = pairs["unique_id_l"].map(back_left)
    pairs["unique_id_r"] = pairs["unique_id_r"].map(back_left if right is None else back_right)
    if right is None:  # a dedupe's pair reads (lower id, higher id), as Splink gives it on the records' own ids
        pairs = lower_id_left(pairs)
    labels, order = _labels(linker)
    if with_households and explain:
        labels[households.COMPARISON], order = dict(households.LABELS), [*order, households.COMPARISON]
    return LinkageRun(pairs=pairs, labels=labels, comparisons=order, trained=trained, prior=prior,
                      query=query, notes=notes.lines)


def _with_household(frame: pd.DataFrame) -> pd.DataFrame:
    """A side of a link that carries no household still needs the columns (all unknown)."""
    if "household" in frame.columns:
        return frame
    return frame.assign(**{col: None for col in households.COLUMNS})


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def explanation_for(row: Any, run_: LinkageRun) -> tuple[ComparisonExplanation, ...]:
    out: list[ComparisonExplanation] = []
    for comp in run_.comparisons:
        gamma = int(row[f"gamma_{comp}"])
        # Splink 5 emits the per-comparison match weight (log2 Bayes factor) as mw_<comparison>.
        mw = float(row[f"mw_{comp}"])
        col = _VALUE_COLUMNS.get(comp, f"x_{comp}")
        out.append(ComparisonExplanation(
            field=comp,
            level=run_.labels[comp].get(gamma, str(gamma)),
            match_weight=round(mw, 3),
            left_value=_text(row.get(f"{col}_l")),
            right_value=_text(row.get(f"{col}_r")),
        ))
    return tuple(out)


def proposals_from(run_: LinkageRun, threshold: float, explain: bool = True) -> list[MatchProposal]:
    df = run_.pairs
    if df.empty:
        return []
    df = df[df["match_probability"] >= threshold].sort_values("match_probability", ascending=False)
    if not explain:
        return [MatchProposal(str(a), str(b), float(p)) for a, b, p in
                zip(df["unique_id_l"], df["unique_id_r"], df["match_probability"], strict=True)]
    result = []
    for row in df.to_dict("records"):
        result.append(MatchProposal(left_id=str(row["unique_id_l"]), right_id=str(row["unique_id_r"]),
                                    probability=float(row["match_probability"]),
                                    explanation=explanation_for(row, run_)))
    return result


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Preparation builds millions of small tuples and strings, none of them cyclic; the collector's passes over
    the growing heap cost about a quarter of the CPU at a million records."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class LinkageResult:
    """Proposals and what the run said about its own calibration (for the caller's summary)."""

    proposals: list[MatchProposal]
    notes: list[str] = field(default_factory=list)
    prior: float | None = None
    query: bool = False


def link(left: Sequence[dict], right: Sequence[dict], threshold: float | None = None, backend: str | None = None, *,
         place_key: PlaceKey | None = None, spark: Any = None, progress: Progress | None = None,
         explain: bool = True, params: ModelParams | None = None) -> LinkageResult:
    """Propose pairs (left id, right id) that are likely the same person, most probable first.

    `explain=False` leaves the per-field explanations out (the pairs file without --explain): much faster
    on large inputs."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if not left or not right:
        return LinkageResult([])
    extras = extra_columns(left, right)
    with _no_cyclic_gc():
        (lf, l_ids), (rf, r_ids) = (prepare_with_ids(recs, extras, place_key, source=side)
                                    for recs, side in ((left, "left"), (right, "right")))
    run_ = run(lf, rf, schema_for([lf, rf], extras), backend=backend, threshold=threshold, spark=spark,
               progress=progress, explain=explain, params=params, ids=(l_ids, r_ids))
    return LinkageResult(proposals_from(run_, threshold, explain), run_.notes, run_.prior, run_.query)


def dedupe(records: Sequence[dict], threshold: float | None = None, backend: str | None = None, *,
           place_key: PlaceKey | None = None, spark: Any = None, progress: Progress | None = None,
           explain: bool = True, params: ModelParams | None = None) -> LinkageResult:
    """Propose pairs of records within one list that are likely the same person."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if len(records) < 2:
        return LinkageResult([])
    extras = extra_columns(records)
    with _no_cyclic_gc():
        df, df_ids = prepare_with_ids(records, extras, place_key)
    run_ = run(df, None, schema_for([df], extras), backend=backend, threshold=threshold, spark=spark,
               progress=progress, explain=explain, params=params, ids=(df_ids, None))
    return LinkageResult(proposals_from(run_, threshold, explain), run_.notes, run_.prior, run_.query)


def link_records(left: Sequence[dict], right: Sequence[dict], threshold: float | None = None,
                 backend: str | None = None, **kwargs: Any) -> list[MatchProposal]:
    """`link`'s proposals alone."""
    return link(left, right, threshold, backend, **kwargs).proposals


def dedupe_records(records: Sequence[dict], threshold: float | None = None, backend: str | None = None,
                   **kwargs: Any) -> list[MatchProposal]:
    """`dedupe`'s proposals alone."""
    return dedupe(records, threshold, backend, **kwargs).proposals
