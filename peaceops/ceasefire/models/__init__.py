from peaceops.ceasefire.models.field import ObservationPostLog, Patrol, PatrolStop
from peaceops.ceasefire.models.incidents import (
    CASUALTY_FIELDS,
    Bearing,
    Incident,
    LocationPrecision,
    Status,
    TimePrecision,
    VerificationStep,
)

__all__ = [
    "CASUALTY_FIELDS", "Bearing", "Incident", "LocationPrecision", "ObservationPostLog", "Patrol", "PatrolStop",
    "Status", "TimePrecision", "VerificationStep",
]
