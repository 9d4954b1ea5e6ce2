"""The optional read replica: listed pages' safe requests read non-sensitive records there; writes, persons,
cases, the audit chain and every other page stay on the primary."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest
from django.test import RequestFactory

from peaceops.core import dbrouter
from peaceops.core.models import AuditEvent, Person, Place
from peaceops.reports.models import Sitrep

SCRIPT = textwrap.dedent("""
    import django
    django.setup()
    from peaceops.core.dbrouter import replica_reads
    from peaceops.core.models import Person, Place
    place = Place.objects.order_by("pk").first()
    with replica_reads():
        on_replica = Place.objects.get(pk=place.pk).name
        people_on_replica = Person.objects.count()
    print(place.name, "|", on_replica, "|", people_on_replica, "|", Person.objects.count())
""")


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": {"NAME": "replica"}}
    settings.PEACEOPS_REPLICA_PATHS = ["/reports/public/", "/api/places/"]


def _route(path: str, method: str, model) -> str | None:
    seen = {}

    def view(request):
        seen["db"] = dbrouter.ReplicaRouter().db_for_read(model)
        return None

    request = getattr(RequestFactory(), method.lower())(path)
    dbrouter.ReplicaMiddleware(view)(request)
    return seen["db"]


def test_the_router_sends_only_safe_reads_of_listed_pages_and_plain_records_to_the_replica(with_replica):
    assert _route("/reports/public/2020-11-21/", "GET", Sitrep) == "replica"
    assert _route("/api/places/", "HEAD", Place) == "replica"
    assert _route("/api/places/", "POST", Place) is None  # a write's request reads the primary
    assert _route("/reports/sitrep/2020-11-21/", "GET", Sitrep) is None  # not listed
    assert _route("/api/places/", "GET", Person) is None  # identity records: always the primary
    assert _route("/api/places/", "GET", AuditEvent) is None
    assert _route("/api/places/", "GET", Person.history.model) is None
    assert dbrouter.ReplicaRouter().db_for_write(Place) is None
    assert dbrouter.ReplicaRouter().allow_migrate("replica", "core") is False


def test_without_a_replica_everything_reads_the_primary(settings):
    settings.PEACEOPS_REPLICA_PATHS = ["/api/places/"]
    assert "replica" not in settings.DATABASES
    assert _route("/api/places/", "GET", Place) is None


@pytest.mark.django_db(transaction=True)
def test_a_configured_replica_really_answers_the_routed_reads(shared_db, tmp_path):
    if shared_db.path is None:
        pytest.skip("the two-database check copies the SQLite file; on PostgreSQL a replica is a server")
    replica = tmp_path / "replica.sqlite3"
    source, target = sqlite3.connect(shared_db.path), sqlite3.connect(replica)
    source.backup(target)
    target.execute("UPDATE core_place SET name = 'ON THE REPLICA' WHERE id = (SELECT min(id) FROM core_place)")
    target.execute("INSERT INTO core_person (uuid, created_at, updated_at, revision, sex, birthplace_text, father_name, "
                   "notes, withdrawn_reason) VALUES ('00000000000000000000000000000001', '2020-01-01', '2020-01-01', 1, "
                   "'U', '', '', '', '')")
    target.commit()
    env = {**shared_db.env, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    primary_name, replica_name, people_routed, people_primary = (p.strip() for p in result.stdout.split("|"))
    assert replica_name == "ON THE REPLICA" and primary_name != replica_name
    assert people_routed == people_primary  # persons are never read from the replica
