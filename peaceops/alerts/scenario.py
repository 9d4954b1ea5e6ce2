"""The alerts part of the demo world: the coordinators' standing rules, and a few alerts and tasks raised from
the world the other apps built (looked up through the app registry: this app imports no other domain app)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils import timezone

from peaceops.alerts.models import Severity, TaskKind
from peaceops.alerts.services import rules, work
from peaceops.core import record_state
from peaceops.core.events import event_kinds
from peaceops.core.models import Organisation, Place
from peaceops.core.models.places import PlaceKind
from peaceops.core.roles import ANALYST, COORDINATOR, EXCHANGE_OFFICER, RETURNS_OFFICER


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def build_rules(world) -> list:
    district = Place.objects.filter(kind=PlaceKind.REGION, parent__isnull=False).order_by("name").first()
    specs: list[tuple[str, str, dict, str, list[str], int | None]] = [
        ("Casualties anywhere", "ceasefire.casualties", {}, Severity.CRITICAL, [COORDINATOR, ANALYST], 30),
        ("Corridor closed", "returns.corridor_closed", {}, Severity.CRITICAL, [COORDINATOR, RETURNS_OFFICER], 60),
        ("Convoy stopped at a checkpoint", "returns.convoy_stopped", {}, Severity.CRITICAL, [RETURNS_OFFICER], 30),
        ("Convoy overdue at a checkpoint", "returns.convoy_overdue", {}, Severity.WARNING, [RETURNS_OFFICER], 60),
        ("Head count differs from the manifest", "returns.headcount_discrepancy", {}, Severity.WARNING,
         [RETURNS_OFFICER], 60),
        ("Tracing match proposed", "exchanges.tracing_match", {}, Severity.INFO, [EXCHANGE_OFFICER], None),
        ("Import left rows in quarantine", "intake.quarantined_rows", {}, Severity.INFO, [ANALYST], None),
        ("Claim contradicts the registry", "sources.claim_contradicts_registry", {}, Severity.WARNING, [ANALYST],
         None),
    ]
    if district is not None:
        specs.insert(1, (f"Any violation in {district.name}", "ceasefire.violation", {"district": district.pk},
                         Severity.WARNING, [ANALYST], None))
    kinds = event_kinds()
    return [rules.create_rule(name, kind, conditions=conditions, severity=severity, roles=roles,
                              escalate_after=after, escalate_to=[COORDINATOR] if after else [])
            for name, kind, conditions, severity, roles, after in specs if kind in kinds]


def build_alerts(world) -> None:
    build_rules(world)
    users = world.users or {}
    Incident = _model("ceasefire.Incident")
    raised, casualties = [], []
    if Incident is not None:
        for incident in Incident.objects.filter(killed_civilian__gt=0).order_by("-occurred_from")[:3]:
            casualties += rules.on_event("ceasefire.casualties", incident, {
                "incident": incident.pk, "place": incident.place_id, "district": incident.district_id,
                "casualties": incident.killed + incident.injured, "stage": "verified",
                "link": f"/ceasefire/incidents/{incident.pk}/"})
    raised += casualties
    Corridor = _model("returns.Corridor")
    corridor = Corridor.objects.order_by("id").first() if Corridor is not None else None
    if corridor is not None:
        raised += rules.on_event("returns.corridor_closed", corridor, {
            "corridor": corridor.pk, "status": "closed", "link": f"/returns/corridors/{corridor.pk}/"})
    TracingRequest = _model("exchanges.TracingRequest")
    request = TracingRequest.objects.order_by("id").first() if TracingRequest is not None else None
    if request is not None:
        raised += rules.on_event("exchanges.tracing_match", request, {"request": request.pk, "matches": 1})
    if raised and COORDINATOR in users:  # one already taken, so the list shows both states
        rules.acknowledge(raised[-1], users[COORDINATOR])
    now = timezone.now()
    if ANALYST in users and casualties:
        work.open_task(users[ANALYST], kind=TaskKind.INVESTIGATE, title="Investigate the casualty report",
                       owner=users[ANALYST], due_at=now + dt.timedelta(hours=6), alert=casualties[0])
        work.open_task(users[ANALYST], kind=TaskKind.PATROL, title="Send a patrol to the reported place",
                       owner=users[ANALYST], due_at=now - dt.timedelta(hours=2), alert=casualties[0])
    if EXCHANGE_OFFICER in users and request is not None:
        officer = users[EXCHANGE_OFFICER]
        task = work.open_task(officer, kind=TaskKind.REFER_INTERMEDIARY, title="Refer the family's request",
                              owner=officer, due_at=now + dt.timedelta(days=2), subject=("tracing", request.pk))
        work.accept(task, officer)
        intermediary = Organisation.objects.filter(acronym="RC").first()
        if intermediary is not None:
            work.refer(task, officer, organisation=intermediary, consent_basis="family",
                       consent_note="Signed form from the family, kept with the request",
                       shared="The request's reference number, the sought person's year of birth and last known "
                              "place; no contact details of the family")
    rules.escalate_tasks(now)
    _into_the_operation(world)


def _into_the_operation(world) -> None:
    """Alerts raised while the world was built carry the build's clock; the demo shows them on its own last
    day, a quarter of an hour apart, acknowledged a few minutes after they came (a demo load only)."""
    from peaceops.alerts.models import Alert

    alerts = list(Alert.objects.order_by("id"))
    first = world.at(world.end, 8)
    for n, alert in enumerate(alerts):
        alert.created_at = first + dt.timedelta(minutes=15 * n)
        if alert.acknowledged_at is not None:
            alert.acknowledged_at = alert.created_at + dt.timedelta(minutes=7)
    Alert.objects.bulk_update(alerts, ["created_at", "acknowledged_at"])
    # A bulk update sends no signal: record the new state so `audit verify --records` knows it is ours.
    record_state.record_bulk_update(Alert, [alert.pk for alert in alerts], "demo alerts dated into the operation")


BUILDERS = [build_alerts]
