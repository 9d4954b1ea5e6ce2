"""Tracing requests from families, matched against every case and the returnee registry.

Matches are shown to the officer only; what is told to the family is the officer's decision, outside the system.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from peaceops.core import audit
from peaceops.core.events import announce
from peaceops.core.models import Person
from peaceops.core.models.audit import AuditAction
from peaceops.exchanges import matching
from peaceops.exchanges.models import (
    DecisionStatus,
    DetentionCase,
    MissingCase,
    RemainsCase,
    TracingMatch,
    TracingRequest,
)
from peaceops.exchanges.services.people import person_record
from peaceops.exchanges.services.reconcile import reasons_of
from peaceops.linkage.engine import MIN_RECORDS_TO_ESTIMATE
from peaceops.linkage.interface import MatchProposal


def returnee_person_ids() -> set[int]:
    """Persons in the returns app's registry, when that app is installed (it may not be on every deployment)."""
    if not apps.is_installed("peaceops.returns"):
        return set()
    ids: set[int] = set()
    for model in apps.get_app_config("returns").get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Person:
                ids |= set(model._default_manager.exclude(**{field.name: None}).values_list(field.attname, flat=True))
    return ids


def candidates() -> dict[int, list[str]]:
    """person id → where that person appears."""
    found: dict[int, list[str]] = {}
    for case in DetentionCase.objects.only("pk", "person_id", "status"):
        found.setdefault(case.person_id, []).append(_("detention case #%(id)s (%(status)s)") % {
            "id": case.pk, "status": case.get_status_display()})
    for missing in MissingCase.objects.only("pk", "person_id", "status"):
        found.setdefault(missing.person_id, []).append(_("missing case #%(id)s (%(status)s)") % {
            "id": missing.pk, "status": missing.get_status_display()})
    for remains in RemainsCase.objects.exclude(person=None).only("pk", "person_id", "reference"):
        if remains.person_id is not None:  # as asked: the type checker does not read the query
            found.setdefault(remains.person_id, []).append(_("remains case %(ref)s") % {
                "ref": remains.reference})
    for pk in returnee_person_ids():
        found.setdefault(pk, []).append(_("returnee registry"))
    return found


def request_record(request: TracingRequest) -> dict:
    return {"id": "request", "name": request.sought_name, "father_name": request.sought_father_name,
            "birth_date": request.sought_birth_date, "birth_place": request.sought_birth_place,
            "sex": request.sought_sex}


@transaction.atomic
def match_request(request: TracingRequest, user=None, threshold: float = matching.DEFAULT_THRESHOLD) -> int:
    """Propose the persons this request may be about. Re-running keeps earlier decisions."""
    return match_requests([request], user, threshold)


@transaction.atomic
def decide_match(match: TracingMatch, confirm: bool, user) -> TracingMatch:
    """An officer confirms or rejects a proposed match (only a proposed one): saved, with its decision event."""
    match = TracingMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != DecisionStatus.PROPOSED:
        raise ValidationError(_("That match is not open for a decision."))
    match.decide(DecisionStatus.CONFIRMED if confirm else DecisionStatus.REJECTED, user)
    match.save()
    audit.append(AuditAction.DECISION, TracingMatch._meta.label, match.pk, "",
                 {"status": match.status, "request": match.request_id}, actor=user.get_username())
    return match


def _candidate_records() -> tuple[dict, list[dict]]:
    where = candidates()
    right = []
    ids = sorted(where)
    # In chunks: a registry of a million returnees is more ids than one SQL statement may carry (SQLite).
    for start in range(0, len(ids), CHUNK):
        for person in Person.objects.filter(pk__in=ids[start:start + CHUNK]).prefetch_related("names"):
            for i, record in enumerate(person_record(person, "")):
                right.append({**record, "id": f"{person.pk}-{i}"})
    return where, right


CHUNK = 5000
# Requests linked in one run: below the engine's MIN_RECORDS_TO_ESTIMATE, so every batch is scored as a query.
QUERY_BATCH = MIN_RECORDS_TO_ESTIMATE - 1


def match_requests(requests: list[TracingRequest], user=None, threshold: float = matching.DEFAULT_THRESHOLD,
                   progress=None) -> int:
    """`match_request` for several requests, reading the case files and the registry once and linking them in
    batches. Each batch is a query (fewer records than the engine estimates from), scored with the shipped model,
    so a request's proposals are exactly those `match_request` makes: they depend neither on the pool nor on the
    other requests."""
    where, right = _candidate_records()
    found: dict[int, list] = {}
    for start in range(0, len(requests), QUERY_BATCH):
        batch = requests[start:start + QUERY_BATCH]
        records = [{**request_record(r), "id": f"request-{r.pk}"} for r in batch]
        if progress is not None:
            progress(_("requests %(start)s to %(end)s of %(total)s") % {
                "start": start + 1, "end": start + len(batch), "total": len(requests)})
        for proposal in matching.link(records, right, threshold):
            found.setdefault(int(proposal.left_id.split("-")[1]), []).append(proposal)
    # Only the writes are one transaction: the linking before them reports its progress to a job's page, which
    # a transaction held open over it would hide until the end.
    with transaction.atomic():
        return _store(requests, found, where, user)


def _store(requests: list[TracingRequest], found: dict[int, list], where: dict, user) -> int:
    total = 0
    for request in requests:
        best: dict[int, MatchProposal] = {}
        for proposal in found.get(request.pk, []):
            pk = int(proposal.right_id.split("-")[0])
            if pk not in best or proposal.probability > best[pk].probability:
                best[pk] = proposal
        known = set(request.matches.values_list("person_id", flat=True))
        new = [TracingMatch(request=request, person_id=pk, found_in="; ".join(where[pk])[:200],
                            probability=round(p.probability, 4), reasons=reasons_of(p))
               for pk, p in best.items() if pk not in known]
        bulk_create_with_history(new, TracingMatch)
        if new:
            audit.record_bulk(TracingMatch, len(new), f"tracing request {request.pk}",
                              actor=getattr(user, "username", None))
            announce("exchanges.tracing_match", request, request=request.pk, matches=len(new),
                     best=max(m.probability for m in new))
        total += len(new)
    return total
