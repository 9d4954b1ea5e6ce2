"""The record-linkage engine: Splink (Fellegi–Sunter, EM-trained) over normalised columns.

DuckDB is the embedded default; `backend="spark"` runs the same settings on a Spark session (local mode
unless the caller passes its own). Small inputs skip training and use the fixed m/u in `model.py`.
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
from dataclasses import dataclass
from typing import Any

import pandas as pd

from peaceops.linkage import model
from peaceops.linkage.interface import ComparisonExplanation, MatchProposal
from peaceops.linkage.places import PlaceKey
from peaceops.linkage.prepare import Schema, extra_columns, prepare_records, schema_for

DEFAULT_THRESHOLD = 0.9
# Below this many records on the smaller side EM has too little to learn from: keep the fixed m/u.
MIN_RECORDS_TO_TRAIN = 300
# Pairs sampled to estimate u, and pairs per EM pass: enough for every level's estimate to settle.
U_MAX_PAIRS = 1e6
EM_MAX_PAIRS = 1e6
log = logging.getLogger(__name__)
Progress = Callable[[str], None]

# Which prepared columns each comparison shows in an explanation.
_VALUE_COLUMNS = {"surname": "surname", "given_name": "given", "father_name": "father", "birth_date": "dob",
                  "birth_place": "place", "sex": "sex"}


@dataclass
class LinkageRun:
    """Scored pairs plus what an explanation needs (level labels per comparison)."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, gamma_*, mw_*, *_l, *_r
    labels: dict[str, dict[int, str]]
    comparisons: list[str]
    trained: bool


def _spark_session() -> Any:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    # Splink's Scala jar provides jaro_winkler & co. to Spark SQL; it ships inside the splink wheel.
    return (SparkSession.builder.master("local[2]").appName("peaceops-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false")
            .config("spark.driver.memory", "2g").getOrCreate())


# DuckDB's own default takes 80 % of the machine's RAM; a linkage run shares its server, so it gets a bounded
# buffer and spills to disk past it. Environment variables override (e.g. PEACEOPS_LINKAGE_MEMORY=2GB).
DUCKDB_MEMORY_LIMIT = "4GB"


def duckdb_connection(memory_limit: str | None = None, threads: int | None = None,
                      temp_directory: str | None = None) -> Any:
    """An in-memory DuckDB connection with bounded memory, spilling to `temp_directory`."""
    import duckdb

    memory_limit = memory_limit or os.environ.get("PEACEOPS_LINKAGE_MEMORY") or DUCKDB_MEMORY_LIMIT
    threads = threads or int(os.environ.get("PEACEOPS_LINKAGE_THREADS") or 0) or os.cpu_count() or 1
    temp_directory = temp_directory or os.environ.get("PEACEOPS_LINKAGE_TMP") or os.path.join(
        tempfile.gettempdir(), "peaceops-duckdb")
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET threads = {int(threads)}")
    con.execute(f"SET temp_directory = '{temp_directory}'")
    # Row order of intermediate tables is irrelevant to linkage; keeping it costs memory on large joins.
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")  # a bar on stderr for every query of a long run
    return con


def _db_api(backend: str, spark: Any = None) -> tuple[Any, model.Dialect]:
    if backend == "duckdb":
        from splink import DuckDBAPI

        return DuckDBAPI(connection=duckdb_connection()), model.DUCKDB
    if backend == "spark":
        from splink import SparkAPI

        session = spark or _spark_session()
        session.sparkContext.setCheckpointDir("/tmp/peaceops-spark-checkpoints")
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


def _register(db_api: Any, backend: str, df: pd.DataFrame, name: str) -> Any:
    if backend != "duckdb":
        return db_api.register(_to_backend_frame(df, backend, db_api), dataset_display_name=name)
    # Copied once into a DuckDB table: registered as a pandas view, every training and scoring query would
    # convert the object columns (strings, symbol lists) afresh, which at a million rows costs more than the SQL.
    con = db_api.duckdb_con
    con.register(f"{name}_src", df)
    try:
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_src")
    finally:
        con.unregister(f"{name}_src")
    return db_api.register(name, dataset_display_name=name)


def _prior(n_left: int, n_right: int | None) -> float:
    if n_right is None:  # dedupe: assume about one duplicate pair per ten records
        total = max(n_left * (n_left - 1) / 2, 1)
        return min(0.5, max(1e-7, 0.1 * n_left / total))
    total = max(n_left * n_right, 1)
    return min(0.5, max(1e-7, 0.5 * min(n_left, n_right) / total))


def _train(linker: Any, schema: Schema, n_small: int, progress: Progress) -> bool:
    """EM training; every step may fail on awkward data and then the fixed m/u simply stay."""
    if n_small < MIN_RECORDS_TO_TRAIN:
        return False
    trained = False
    # The prior stays the size-based guess from `_prior`: estimating it from exact-key rules collapses when
    # every duplicate carries an error (RLdata10000), and then no pair reaches the threshold.
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("u", lambda: linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=42)),
    ]
    for br in model.training_blocking_rules(schema):
        steps.append(("em", lambda br=br: linker.training.estimate_parameters_using_expectation_maximisation(
            br, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS)))
    for name, step in steps:
        progress(f"training: {name}")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                step()
            trained = trained or name == "em"
        except Exception as exc:  # noqa: BLE001 - Splink raises many types; training is optional
            log.warning("linkage training step %s skipped: %s", name, exc)
    return trained


def _labels(linker: Any) -> tuple[dict[str, dict[int, str]], list[str]]:
    labels: dict[str, dict[int, str]] = {}
    order: list[str] = []
    for comp in linker._settings_obj.comparisons:
        name = comp.output_column_name
        order.append(name)
        labels[name] = {lvl.comparison_vector_value: lvl.label_for_charts for lvl in comp.comparison_levels}
    return labels, order


def run(left: pd.DataFrame, right: pd.DataFrame | None, schema: Schema, *, backend: str = "duckdb",
        threshold: float = DEFAULT_THRESHOLD, train: bool = True, spark: Any = None,
        symbols_blocking: bool = True, progress: Progress | None = None, explain: bool = True) -> LinkageRun:
    """Score candidate pairs between prepared frames (or within one, for dedupe)."""
    from splink import Linker

    progress = progress or (lambda _msg: None)
    progress("loading records into the engine")
    db_api, dialect = _db_api(backend, spark)
    link_type = "dedupe_only" if right is None else "link_only"
    settings = model.settings_dict(schema, dialect, link_type, _prior(len(left), None if right is None
                                                                      else len(right)), symbols_blocking,
                                    max(len(left), len(right) if right is not None else 0), explain)
    frames = [left] if right is None else [left, right]
    tag = uuid.uuid4().hex[:8]  # a shared Spark session keeps temp views: names must be unique per run
    registered = [_register(db_api, backend, f, f"{name}_{tag}") for f, name in zip(frames, ("lk_left", "lk_right"))]
    linker = Linker(registered[0] if right is None else registered, settings, log_level=logging.WARNING)
    n_small = len(left) if right is None else min(len(left), len(right))
    trained = _train(linker, schema, n_small, progress) if train else False
    progress("scoring candidate pairs")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pred = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    if explain:
        pairs = pred.as_pandas_dataframe()
    else:  # only what a pairs file holds, straight from the backend
        pairs = pred.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_probability"]]
    labels, order = _labels(linker)
    return LinkageRun(pairs=pairs, labels=labels, comparisons=order, trained=trained)


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


def link_records(left: Sequence[dict], right: Sequence[dict], threshold: float | None = None,
                 backend: str = "duckdb", *, place_key: PlaceKey | None = None, spark: Any = None,
                 progress: Progress | None = None, explain: bool = True) -> list[MatchProposal]:
    """Propose pairs (left id, right id) that are likely the same person, most probable first.

    `explain=False` leaves the per-field explanations out (the pairs file without --explain): much faster
    on large inputs."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if not left or not right:
        return []
    extras = extra_columns(left, right)
    with _no_cyclic_gc():
        lf = prepare_records(left, extras, place_key, source="left")
        rf = prepare_records(right, extras, place_key, source="right")
    schema = schema_for([lf, rf], extras)
    run_ = run(lf, rf, schema, backend=backend, threshold=threshold, spark=spark, progress=progress,
               explain=explain)
    return proposals_from(run_, threshold, explain)


def dedupe_records(records: Sequence[dict], threshold: float | None = None, backend: str = "duckdb", *,
                   place_key: PlaceKey | None = None, spark: Any = None,
                   progress: Progress | None = None, explain: bool = True) -> list[MatchProposal]:
    """Propose pairs of records within one list that are likely the same person."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if len(records) < 2:
        return []
    extras = extra_columns(records)
    with _no_cyclic_gc():
        df = prepare_records(records, extras, place_key)
    schema = schema_for([df], extras)
    run_ = run(df, None, schema, backend=backend, threshold=threshold, spark=spark, progress=progress,
               explain=explain)
    return proposals_from(run_, threshold, explain)
