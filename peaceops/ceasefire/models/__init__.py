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
from peaceops.ceasefire.models.layers import FeatureKind, MapFeature

__all__ = [
    "CASUALTY_FIELDS", "Bearing", "FeatureKind", "Incident", "LocationPrecision", "MapFeature",
    "ObservationPostLog", "Patrol", "PatrolStop",
    "Status", "TimePrecision", "VerificationStep",
]
