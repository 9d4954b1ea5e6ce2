from peaceops.restoration.models.assessments import DamageAssessment, Severity
from peaceops.restoration.models.facilities import KIND_SECTOR, Facility, FacilityKind, Sector
from peaceops.restoration.models.mine_action import (
    ClearanceReport,
    ClearanceTask,
    HazardousArea,
    HazardStatus,
    OrdnanceCount,
    OrdnanceType,
)
from peaceops.restoration.models.works import Work, WorkStatus

__all__ = [
    "KIND_SECTOR", "ClearanceReport", "ClearanceTask", "DamageAssessment", "Facility", "FacilityKind",
    "HazardStatus", "HazardousArea", "OrdnanceCount", "OrdnanceType", "Sector", "Severity", "Work", "WorkStatus",
]
