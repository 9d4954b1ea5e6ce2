"""Ceasefire business rules. Views, API, CLI, imports and the scenario all go through these functions; every name
stays importable from `peaceops.ceasefire.services` as it was before the package was split (issue 18)."""

from __future__ import annotations

from peaceops.ceasefire.services.corroboration import (
    RELIABLE_GRADES,
    Corroboration,
    Grade,
    _corroborate,
    _independent_sources,
    attach_source,
    corroboration,
    grade,
    reopen,
)
from peaceops.ceasefire.services.duplicates import (
    DUPLICATE_HOURS,
    DUPLICATE_KM,
    MERGE_MAX_HOURS,
    MERGE_MAX_KM,
    Proposal,
    incompatibility,
    merge,
    propose_duplicates,
)
from peaceops.ceasefire.services.field import log_post, observation_posts, record_patrol, store_attachment
from peaceops.ceasefire.services.workflow import (
    INCIDENT_FIELDS,
    _announce,
    _located_places,
    _locked,
    _step,
    claim,
    decide,
    district_for,
    file_incident,
    mark_unconfirmed,
    prepare,
    refute,
    resolve_place,
    verify,
)

__all__ = [
    "DUPLICATE_HOURS", "DUPLICATE_KM", "INCIDENT_FIELDS", "MERGE_MAX_HOURS", "MERGE_MAX_KM", "RELIABLE_GRADES",
    "Corroboration", "Grade", "Proposal", "_announce", "_corroborate", "_independent_sources", "_located_places", "_locked",
    "_step", "attach_source", "claim", "corroboration", "decide", "district_for", "file_incident", "grade", "incompatibility",
    "log_post", "mark_unconfirmed", "merge", "observation_posts", "prepare", "propose_duplicates", "record_patrol",
    "refute", "reopen", "resolve_place", "store_attachment", "verify",
]
