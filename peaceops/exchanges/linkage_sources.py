"""Reconciliation of party lists and tracing, for learning, the quality page and the background jobs
(peaceops.linkage.sources)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.linkage.sources import Decision, DecisionSource, JobKind


def _reconciliation_decisions():
    from peaceops.exchanges.models import MatchDecision

    for probability, status, reasons in MatchDecision.objects.values_list(
            "probability", "status", "reasons").iterator(chunk_size=2000):
        yield Decision(probability, status, reasons)


def _tracing_decisions():
    from peaceops.exchanges.models import TracingMatch

    for probability, status, reasons in TracingMatch.objects.values_list(
            "probability", "status", "reasons").iterator(chunk_size=2000):
        yield Decision(probability, status, reasons)


def _reconcile(user, arguments: dict, progress) -> str:
    from peaceops.exchanges.models import PartyList
    from peaceops.exchanges.services.reconcile import reconcile

    left = PartyList.objects.get(pk=arguments["left_list"])
    right = PartyList.objects.get(pk=arguments["right_list"]) if arguments.get("right_list") else None
    rec = reconcile(left, right, user=user, progress=progress)
    return _("Reconciliation %(id)s: %(count)s proposals await a decision.") % {
        "id": rec.pk, "count": rec.decisions.count()}


def _lists() -> list[tuple[int, str]]:
    from peaceops.exchanges.models import PartyList

    return [(pl.pk, str(pl)) for pl in PartyList.objects.select_related("party")[:200]]


def _tracing(user, arguments: dict, progress) -> str:
    from peaceops.exchanges.models import TracingRequest
    from peaceops.exchanges.models.tracing import TracingStatus
    from peaceops.exchanges.services.tracing import match_requests

    requests = list(TracingRequest.objects.filter(status=TracingStatus.OPEN))
    found = match_requests(requests, user, progress=progress)
    return _("%(found)s new possible matches for %(requests)s open tracing requests.") % {
        "found": found, "requests": len(requests)}


SOURCES = [
    DecisionSource("reconciliation", gettext_lazy("Party lists: reconciliation"), "exchanges.view_cases",
                   _reconciliation_decisions),
    DecisionSource("tracing", gettext_lazy("Tracing requests"), "exchanges.view_cases", _tracing_decisions),
]
JOBS = [
    JobKind("reconciliation", gettext_lazy("Reconcile a party list"), "exchanges.change_cases", _reconcile,
            _lists),
    JobKind("tracing", gettext_lazy("Match every open tracing request"), "exchanges.change_cases", _tracing),
]
