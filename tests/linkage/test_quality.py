"""The matching quality page: precision and recall of past proposals against the officers' decisions, per job
kind and probability band; who may read it, who may make the model learn; reads audited."""

from __future__ import annotations

import pytest

from peaceops.core.models import AuditEvent
from peaceops.linkage import quality
from peaceops.linkage.models import ModelVersion
from peaceops.linkage.sources import sources

from .decisions import registry_decision, tracing_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    # Registry: above 0.99 four confirmed; 0.9–0.99 three confirmed, one rejected, one open; 0.5–0.7 one
    # confirmed, three rejected.
    for p, status in [(0.995, "confirmed")] * 4 + [(0.95, "confirmed")] * 3 + [(0.92, "rejected"), (0.93, "proposed")] \
            + [(0.6, "confirmed")] + [(0.55, "rejected")] * 3:
        registry_decision(p, status)
    tracing_decision(0.8, "confirmed")
    tracing_decision(0.75, "rejected")


def _registry():
    return quality.measure(next(s for s in sources() if s.kind == "registry"))


def test_precision_and_recall_by_band(decided):
    q = _registry()
    assert [b.low for b in q.bands] == [0.99, 0.9, 0.5]  # bands with no proposal are left out
    top, high, low = q.bands
    assert (top.proposed, top.confirmed, top.precision, top.recall) == (4, 4, 1.0, 0.5)
    assert (high.proposed, high.decided, high.open) == (5, 4, 1)
    assert high.precision == 0.75 and high.recall == pytest.approx(7 / 8)
    assert low.precision == 0.25 and low.recall == 1.0
    assert q.precision == pytest.approx(8 / 12)


def test_cli_prints_the_figures(decided):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("link", "quality", stdout=out)
    text = out.getvalue()
    assert "0.90–0.99: 5 proposed, 3 confirmed, 1 rejected, precision 75 %, recall from here up 88 %" in text
    assert "Tracing requests: 2 proposed" in text


def test_no_decisions_no_figures():
    q = _registry()
    assert q.bands == [] and q.precision is None


@pytest.mark.parametrize("role, kinds", [
    ("coordinator", {"registry", "reconciliation", "tracing"}),
    ("returns_officer", {"registry"}),
    ("exchange_officer", {"reconciliation", "tracing"}),
])
def test_each_role_sees_the_kinds_it_may_see(client_for, decided, role, kinds):
    response = client_for(role).get("/linkage/quality/")
    assert response.status_code == 200
    shown = {k.kind for k in response.context["kinds"]}
    assert shown == kinds
    body = response.content.decode()
    if "registry" in kinds:
        assert 'id="quality-registry"' in body and "75 %" in body  # the 0.90–0.99 band's precision
    else:
        assert 'id="quality-registry"' not in body
    event = AuditEvent.objects.filter(model="linkage.quality").latest("pk")
    assert event.actor == role and event.action == "read"


@pytest.mark.parametrize("role", ["monitor", "analyst", "engineer", "public", "admin"])
def test_other_roles_get_404(client_for, role):
    assert client_for(role).get("/linkage/quality/").status_code == 404


def test_anonymous_goes_to_login(client):
    response = client.get("/linkage/quality/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_a_coordinator_makes_the_model_learn(client_for, decided, settings):
    settings.PEACEOPS_LINKAGE_MIN_LABELS = 5
    assert client_for("exchange_officer").post("/linkage/learn/").status_code == 403
    assert client_for("returns_officer").post("/linkage/learn/").status_code == 403
    assert client_for("monitor").post("/linkage/learn/").status_code == 404
    assert not ModelVersion.objects.exists()
    coordinator = client_for("coordinator")
    response = coordinator.post("/linkage/learn/", follow=True)
    version = ModelVersion.objects.get(active=True)
    assert version.created_by.username == "coordinator"
    assert version.labels == {"registry": {"confirmed": 8, "rejected": 4}, "tracing": {"confirmed": 1, "rejected": 1}}
    body = response.content.decode()
    assert f"version {version.pk}" in body
    coordinator.post("/linkage/shipped/")
    assert not ModelVersion.objects.filter(active=True).exists()


def test_learning_refused_with_too_few_decisions_says_so(client_for, decided, settings):
    settings.PEACEOPS_LINKAGE_MIN_LABELS = 100
    response = client_for("coordinator").post("/linkage/learn/", follow=True)
    assert "shipped model stays in use" in response.content.decode()
    assert not ModelVersion.objects.exists()


def test_learn_is_post_only(client_for):
    assert client_for("coordinator").get("/linkage/learn/").status_code == 405
