"""The demo world's part: standing rules, a few alerts (one acknowledged) and tasks (one overdue, one referral)."""

import random

import pytest

from peaceops.alerts.models import Alert, AlertRule, Referral, Task
from peaceops.alerts.scenario import build_alerts
from peaceops.scenario.world import World, ensure_demo_users
from tests.returns.conftest import corridor  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_demo_has_rules_alerts_and_tasks(file, corridor, client_for):  # noqa: F811
    from peaceops.exchanges.models import TracingRequest

    file(killed_civilian=2)
    TracingRequest.objects.create(sought_name="Leyla Aliyeva", requested_by="x", contact="y",
                                  received_on="2020-12-01")
    world = World(seed=1, scale=0.01, rng=random.Random(1))
    ensure_demo_users(world)
    build_alerts(world)
    assert AlertRule.objects.filter(kind="ceasefire.violation", conditions__has_key="district").exists()
    assert set(Alert.objects.values_list("kind", flat=True)) >= {"ceasefire.casualties", "returns.corridor_closed",
                                                                 "exchanges.tracing_match", "alerts.task_overdue"}
    assert Alert.objects.filter(acknowledged_by__isnull=False).count() == 1
    assert Task.objects.filter(escalated_at__isnull=False).count() == 1 and Referral.objects.count() == 1
    page = client_for("analyst").get("/dashboard/").content.decode()
    assert "Open alerts and my tasks" in page
