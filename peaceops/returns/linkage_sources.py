"""The registry's duplicate search, for learning, the quality page and the background jobs
(peaceops.linkage.sources)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peaceops.linkage.sources import Decision, DecisionSource, JobKind


def _decisions():
    from peaceops.returns.models import DuplicateProposal

    for probability, status, reasons in DuplicateProposal.objects.values_list(
            "probability", "status", "explanation").iterator(chunk_size=2000):
        yield Decision(probability, status, reasons)


def _search(user, arguments: dict, progress) -> str:
    from peaceops.returns.services import duplicates

    return duplicates.find_duplicates(user, arguments.get("threshold"), progress=progress).summary()


SOURCES = [DecisionSource("registry", _("Household registry: duplicate registrations"), "returns.view", _decisions)]
JOBS = [JobKind("registry", _("Search the household registry for duplicates"), "returns.change", _search)]
