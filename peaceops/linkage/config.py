"""Where the engine runs: the backend and the Spark cluster, from Django's settings or, outside Django (scripts,
benchmarks), from the same environment variables. docs/linkage.md, "Running on a Spark cluster"."""

from __future__ import annotations

import os
from typing import Any

BACKENDS = ("duckdb", "spark")


def _setting(name: str, default: str) -> str:
    try:
        from django.conf import settings

        if settings.configured and hasattr(settings, name):
            return str(getattr(settings, name))
    except ImportError:  # pragma: no cover - Django is a dependency
        pass
    return os.environ.get(name, default)


def backend() -> str:
    """The backend every matching job uses unless its caller names one."""
    value = _setting("PEACEOPS_LINKAGE_BACKEND", "duckdb").strip().lower()
    if value not in BACKENDS:
        raise ValueError(f"PEACEOPS_LINKAGE_BACKEND must be one of {', '.join(BACKENDS)}, not {value!r}")
    return value


def spark_master() -> str:
    return _setting("PEACEOPS_SPARK_MASTER", "local[2]").strip() or "local[2]"


def parse_spark_conf(text: str) -> dict[str, str]:
    """"spark.executor.memory=4g, spark.executor.cores=2" (commas, semicolons or new lines between) → a dict.
    A property without "=" is a mistake said at once, not a Spark default silently kept."""
    out: dict[str, str] = {}
    for item in text.replace(";", ",").replace("\n", ",").split(","):
        item = item.strip()
        if not item:
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"PEACEOPS_SPARK_CONF: {item!r} is not a property=value pair")
        out[key.strip()] = value.strip()
    return out


def spark_checkpoint_dir() -> str:
    return _setting("PEACEOPS_SPARK_CHECKPOINT_DIR", "/tmp/peaceops-spark-checkpoints")


# Our defaults for a session we start; the operator's PEACEOPS_SPARK_CONF overrides any of them.
SPARK_DEFAULTS = {
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.driver.memory": "2g",
}


def spark_conf() -> dict[str, str]:
    return {**SPARK_DEFAULTS, **parse_spark_conf(_setting("PEACEOPS_SPARK_CONF", ""))}


def spark_session(app_name: str = "peaceops-linkage") -> Any:
    """A session on the configured master. Splink's Scala jar (jaro_winkler & co. for Spark SQL) ships in the
    splink wheel and travels to the executors through spark.jars."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    conf = spark_conf()
    jars = [similarity_jar_location(), *filter(None, conf.pop("spark.jars", "").split(","))]
    builder = SparkSession.builder.master(spark_master()).appName(app_name).config("spark.jars", ",".join(jars))
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
