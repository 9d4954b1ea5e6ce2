"""Matching jobs in the background: who may start which, the worker's run with its progress, the backend and
the Spark cluster taken from configuration."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from peaceops.linkage import config, jobs
from peaceops.linkage.models import JobStatus, LinkageJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(world):
    from peaceops.returns import services
    from peaceops.returns.services import MemberSpec

    for name, born in [("Армен Петросян", (1980, 5, 12)), ("Արմեն Պետրոսյան", (1980, 5, 12)),
                       ("Tigran Sargsyan", (2001, 9, 30))]:
        services.register_household([MemberSpec(name=name, sex="M", birth_year=born[0], birth_month=born[1],
                                                birth_day=born[2])],
                                    world["places"]["stepanakert"], registered_on=dt.date(2020, 11, 12))


def test_an_officer_queues_a_job_and_the_worker_runs_it_with_progress(client_for, registry, monkeypatch):
    from peaceops.returns.models import DuplicateProposal

    response = client_for("returns_officer").post("/linkage/jobs/", {"kind": "registry"})
    assert response.status_code == 302
    job = LinkageJob.objects.get()
    assert (job.status, job.backend, job.requested_by.username) == (JobStatus.QUEUED, "duckdb", "returns_officer")
    seen: list[str] = []
    record = jobs.record_progress
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0.0)
    monkeypatch.setattr(jobs, "record_progress", lambda pk, message: (seen.append(message), record(pk, message)))
    from peaceops.linkage.tasks import run_linkage_job

    outcome = run_linkage_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and outcome["status"] == "done"
    assert "new proposals" in job.summary and job.finished_at is not None
    assert any("scoring" in step for step in seen)  # the engine's own steps reach the job
    assert DuplicateProposal.objects.count() == 1


def test_a_tracing_job_matches_every_open_request_and_reports_its_batches(monkeypatch):
    from peaceops.exchanges.models import TracingRequest
    from peaceops.exchanges.models.tracing import TracingStatus

    for status in (TracingStatus.OPEN, TracingStatus.CLOSED):
        TracingRequest.objects.create(sought_name="Synthetic Person", requested_by="a relative", contact="hotline",
                                      received_on=dt.date(2020, 12, 1), status=status)
    seen: list[str] = []
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0.0)
    monkeypatch.setattr(jobs, "record_progress", lambda pk, message: seen.append(message))
    job = jobs.run(jobs.start("tracing", None))
    assert job.status == JobStatus.DONE
    assert "1 open tracing requests" in job.summary
    assert "requests 1 to 1 of 1" in seen


def test_the_page_shows_running_jobs_and_polls(client_for, registry):
    job = jobs.start("registry", None)
    LinkageJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress="scoring candidate pairs")
    body = client_for("coordinator").get("/linkage/quality/").content.decode()
    assert "scoring candidate pairs" in body and 'hx-get="/linkage/jobs/status/"' in body
    fragment = client_for("coordinator").get("/linkage/jobs/status/").content.decode()
    assert f'id="job-{job.pk}"' in fragment


@pytest.mark.parametrize("role, kind, status", [
    ("exchange_officer", "registry", 403),
    ("returns_officer", "tracing", 403),
    ("coordinator", "registry", 403),  # reads, does not run
    ("monitor", "registry", 404),
    ("exchange_officer", "tracing", 302),
    ("returns_officer", "nonsense", 404),
])
def test_who_may_start_which_job(client_for, role, kind, status):
    assert client_for(role).post("/linkage/jobs/", {"kind": kind}).status_code == status
    assert LinkageJob.objects.count() == (1 if status == 302 else 0)


def test_a_reconciliation_job_needs_a_list_the_officer_may_choose(client_for):
    response = client_for("exchange_officer").post("/linkage/jobs/", {"kind": "reconciliation", "left_list": "999"})
    assert response.status_code == 302 and not LinkageJob.objects.exists()


def test_a_failed_job_says_so_and_stores_nothing(registry):
    job = LinkageJob.objects.create(kind="reconciliation", arguments={"left_list": 424242}, backend="duckdb")
    job = jobs.run(job)
    assert job.status == JobStatus.FAILED and job.summary


def test_cli_runs_a_job_now(registry):
    out = io.StringIO()
    call_command("link", "job", "registry", stdout=out)
    assert "done on duckdb" in out.getvalue()


def test_spark_settings_from_configuration(settings):
    settings.PEACEOPS_LINKAGE_BACKEND = "spark"
    settings.PEACEOPS_SPARK_MASTER = "spark://spark-master:7077"
    settings.PEACEOPS_SPARK_CONF = "spark.executor.memory=4g, spark.executor.cores=2;spark.sql.shuffle.partitions=64"
    assert config.backend() == "spark"
    assert config.spark_master() == "spark://spark-master:7077"
    conf = config.spark_conf()
    assert conf["spark.executor.memory"] == "4g" and conf["spark.executor.cores"] == "2"
    assert conf["spark.sql.shuffle.partitions"] == "64"  # the operator's value over ours
    assert conf["spark.ui.enabled"] == "false"


def test_a_bad_spark_property_is_refused_loudly():
    with pytest.raises(ValueError, match="not a property=value"):
        config.parse_spark_conf("spark.executor.memory 4g")


def test_a_bad_backend_is_refused(settings):
    settings.PEACEOPS_LINKAGE_BACKEND = "hadoop"
    with pytest.raises(ValueError, match="PEACEOPS_LINKAGE_BACKEND"):
        config.backend()
