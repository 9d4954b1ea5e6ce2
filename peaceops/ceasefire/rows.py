"""The incident list's rows from column values (peaceops.api.rows): what IncidentSerializer shows, without
instantiating incidents, their source items, sources, steps and users (a page cost ~2× the API root in queries
and ~5× in model instances and field walks). tests/ceasefire/test_list_rows.py holds every row equal to the
serializer's, in English and Russian."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from types import SimpleNamespace

from peaceops.api.prepared import Prepared
from peaceops.api.rows import Plan, column_plan, row_builder
from peaceops.ceasefire.models import Incident, VerificationStep
from peaceops.ceasefire.models.incidents import location_text
from peaceops.ceasefire.services.corroboration import corroboration_of
from peaceops.ceasefire.taxonomy import is_violation
from peaceops.core.models import SourceReport
from peaceops.core.placenames import local_name

COMPUTED = ("location", "corroboration", "is_violation", "claimed_by", "reported_by", "sources", "steps")
STEP_FIELDS = ("action", "from_status", "to_status", "actor", "at", "rationale")


def _plans() -> tuple[Plan, object] | None:
    from peaceops.ceasefire.serializers import IncidentSerializer, StepSerializer

    plan = column_plan(IncidentSerializer(), COMPUTED)
    steps = StepSerializer().fields
    if plan is None or tuple(name for name, f in steps.items() if not f.write_only) != STEP_FIELDS:
        return None
    return plan, steps["at"].to_representation


@cache
def _records(plan: Plan) -> Prepared:
    return Prepared(Incident, lambda ids: Incident.objects.filter(pk__in=ids).values(
        *plan.attnames, "place__name", "claimed_by__username", "reported_by__username"))


_SOURCES = Prepared(SourceReport, lambda ids: SourceReport.objects.filter(ceasefire_incidents__in=ids)
                    .order_by("-received_at", "id")
                    .values("ceasefire_incidents", "id", "summary", "reliability", "credibility", "source_id",
                            "source__name", "source__kind", "source__party_id", "source__reliability"))
_STEPS = Prepared(VerificationStep, lambda ids: VerificationStep.objects.filter(incident_id__in=ids)
                  .order_by("at", "id")
                  .values("incident_id", "action", "from_status", "to_status", "actor__username", "at", "rationale"))


@row_builder(_plans)
def incident_rows(plans: tuple[Plan, object], ids: list[int]) -> list[dict]:
    """The JSON rows of these incidents, or None when the serializer shows something this builder does not know
    (then the caller serializes)."""
    plan, step_time = plans
    records = _records(plan)(ids)
    sources: dict[int, list] = defaultdict(list)
    for item in _SOURCES(ids):
        sources[item["ceasefire_incidents"]].append(item)
    steps: dict[int, list] = defaultdict(list)
    for step in _STEPS(ids):
        steps[step["incident_id"]].append({
            "action": step["action"], "from_status": step["from_status"], "to_status": step["to_status"],
            "actor": step["actor__username"], "at": step_time(step["at"]) if step["at"] is not None else None,
            "rationale": step["rationale"]})
    rows = []
    for record in records:
        items = sources[record["id"]]
        c = corroboration_of((i["source__kind"], i["source__party_id"], i["source_id"], i["reliability"],
                              i["source__reliability"]) for i in items)
        place = (local_name(SimpleNamespace(pk=record["place_id"], name=record["place__name"]))
                 if record["place_id"] else None)
        rows.append(plan.row(record, {
            "location": location_text(place, record["bearing"], record["distance_km"], record["latitude"],
                                      record["longitude"]),
            "corroboration": {"sources": c.origins, "reliable": c.reliable, "confirmed": c.confirmed,
                              "text": c.sentence},
            "is_violation": is_violation(record["incident_type"]),
            "claimed_by": record["claimed_by__username"],
            "reported_by": record["reported_by__username"],
            "sources": [{"id": i["id"], "source": i["source__name"], "grade": f"{i['reliability']}{i['credibility']}",
                         "summary": i["summary"]} for i in items],
            "steps": steps[record["id"]],
        }))
    return rows


available = incident_rows.available
