"""A matching job of the app on the Spark backend, in local mode, with master and properties from settings:
the same proposals as DuckDB. Three people: Spark's start-up is the cost, not the data."""

from __future__ import annotations

import pytest

from peaceops.linkage import jobs
from peaceops.linkage.models import JobStatus, LinkageJob

from .test_jobs import registry  # noqa: F401 - the fixture

pyspark = pytest.importorskip("pyspark")  # the `spark` extra
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_registry_dedupe_job_runs_on_spark_from_configuration(registry, settings):  # noqa: F811
    from pyspark.sql import SparkSession

    from peaceops.returns.models import DuplicateProposal

    active = SparkSession.getActiveSession()
    if active is not None:  # an earlier test's session would be reused with its own master
        active.stop()
    settings.PEACEOPS_LINKAGE_BACKEND = "spark"
    settings.PEACEOPS_SPARK_MASTER = "local[1]"
    settings.PEACEOPS_SPARK_CONF = "spark.sql.shuffle.partitions=2, spark.driver.memory=1g"
    job = jobs.run(jobs.start("registry", None))
    assert (job.status, job.backend) == (JobStatus.DONE, "spark"), job.summary
    session = SparkSession.getActiveSession()
    try:
        assert session.sparkContext.master == "local[1]"
        assert session.conf.get("spark.sql.shuffle.partitions") == "2"
    finally:
        session.stop()
    on_spark = list(DuplicateProposal.objects.values_list("left_id", "right_id", "probability"))
    assert len(on_spark) == 1

    DuplicateProposal.objects.all().delete()
    settings.PEACEOPS_LINKAGE_BACKEND = "duckdb"
    job = jobs.run(LinkageJob.objects.create(kind="registry", backend="duckdb"))
    on_duckdb = list(DuplicateProposal.objects.values_list("left_id", "right_id", "probability"))
    assert [(a, b) for a, b, _p in on_spark] == [(a, b) for a, b, _p in on_duckdb]
    assert on_spark[0][2] == pytest.approx(on_duckdb[0][2], abs=1e-4)
