from peaceops.exchanges.models.cases import (
    Condition,
    DetentionCase,
    DetentionKind,
    DetentionStatus,
    Identification,
    IdentificationMethod,
    IntermediaryVisit,
    MissingCase,
    MissingStatus,
    RemainsCase,
)
from peaceops.exchanges.models.events import EventKind, EventStatus, EventSubject, ExchangeEvent, Handover
from peaceops.exchanges.models.identification import (
    AmPmCandidate,
    AnteMortem,
    BodyPart,
    DnaMatch,
    DnaSample,
    FamilyContact,
    PostMortem,
    RecoverySite,
    SampleKind,
)
from peaceops.exchanges.models.lists import ListKind, PartyList, PartyListEntry
from peaceops.exchanges.models.reconciliation import DecisionStatus, MatchDecision, Reconciliation
from peaceops.exchanges.models.tracing import TracingMatch, TracingRequest, TracingStatus

__all__ = [
    "AmPmCandidate", "AnteMortem", "BodyPart", "DnaMatch", "DnaSample", "FamilyContact", "PostMortem",
    "RecoverySite", "SampleKind",
    "Condition", "DecisionStatus", "DetentionCase", "DetentionKind", "DetentionStatus", "EventKind", "EventStatus",
    "EventSubject", "ExchangeEvent", "Handover", "Identification", "IdentificationMethod", "IntermediaryVisit",
    "ListKind", "MatchDecision", "MissingCase", "MissingStatus", "PartyList", "PartyListEntry", "Reconciliation",
    "RemainsCase", "TracingMatch", "TracingRequest", "TracingStatus",
]
