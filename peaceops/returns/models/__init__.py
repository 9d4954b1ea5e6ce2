from peaceops.returns.models.convoys import (
    CargoLine,
    CheckpointPassage,
    Convoy,
    ConvoyStatus,
    ManifestEntry,
    Vehicle,
)
from peaceops.returns.models.corridors import (
    Corridor,
    CorridorCheckpoint,
    CorridorStatus,
    CorridorStatusChange,
)
from peaceops.returns.models.duplicates import DuplicateProposal, DuplicateStatus
from peaceops.returns.models.flows import FlowCount, FlowDirection, FlowPurpose, FlowVehicle
from peaceops.returns.models.households import (
    Household,
    HouseholdMember,
    HouseholdState,
    SeatNeed,
    Vulnerability,
)
from peaceops.returns.models.movements import (
    Movement,
    MovementKind,
    ReturnDayTally,
    Returnee,
    ReturnMinuteTally,
)

__all__ = [
    "CargoLine", "CheckpointPassage", "Convoy", "ConvoyStatus", "Corridor", "CorridorCheckpoint", "CorridorStatus",
    "CorridorStatusChange", "DuplicateProposal", "DuplicateStatus", "FlowCount", "FlowDirection", "FlowPurpose",
    "FlowVehicle", "MovementKind", "Household", "HouseholdMember", "HouseholdState",
    "ManifestEntry", "Movement",
    "ReturnDayTally", "ReturnMinuteTally", "Returnee", "SeatNeed", "Vehicle", "Vulnerability",
]
