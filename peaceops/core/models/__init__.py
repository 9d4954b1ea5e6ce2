from peaceops.core.models.access import CredentialsEpoch, RoleChange, RoleChangeKind, RoleChangeStatus
from peaceops.core.models.anchoring import AuditCheckpoint
from peaceops.core.models.attachments import Attachment
from peaceops.core.models.audit import AuditEvent, AuditHead
from peaceops.core.models.idempotency import IdempotencyKey
from peaceops.core.models.mission import Mission
from peaceops.core.models.parties import Organisation, Party
from peaceops.core.models.people import Person, PersonDocument, PersonName
from peaceops.core.models.places import Place, PlaceAlias
from peaceops.core.models.sources import Source, SourceReport

__all__ = [
    "Attachment",
    "CredentialsEpoch",
    "RoleChange",
    "RoleChangeKind",
    "RoleChangeStatus",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditHead",
    "IdempotencyKey",
    "Mission",
    "Organisation",
    "Party",
    "Person",
    "PersonDocument",
    "PersonName",
    "Place",
    "PlaceAlias",
    "Source",
    "SourceReport",
]
