"""The JSON shape of a checked claim, shared by the command line and the API."""

from __future__ import annotations

from peaceops.sources.models import Claim


def claim_json(claim: Claim) -> dict:
    source = claim.document.report.source
    return {
        "id": claim.pk, "kind": claim.kind, "value": claim.value, "qualifier": claim.qualifier,
        "period": claim.period, "since": claim.since.isoformat() if claim.since else None,
        "as_of": claim.as_of.isoformat() if claim.as_of else None,
        "place": claim.place.name if claim.place else None, "attributed_to": claim.attributed_to,
        "party": claim.party.code if claim.party else None, "sentence": claim.sentence,
        "source": source.name, "grade": claim.document.report.grade, "document": claim.document_id,
        "review": claim.review,
    }


def checked_json(claim: Claim) -> dict:
    return {"claim": claim_json(claim), "verdict": claim.verdict, "registered": claim.registered,
            "registered_range": [claim.registered_low, claim.registered] if claim.registered is not None else None,
            "reason": claim.reason,
            "contradicts": sorted(c.pk for c in claim.contradicts.all())}


def checked_claims(queryset):
    return queryset.select_related("document__report__source", "place", "party").prefetch_related("contradicts")
