from peaceops.restoration.models.assessments import DamageAssessment, Severity
from peaceops.restoration.models.facilities import KIND_SECTOR, Facility, FacilityKind, Sector
from peaceops.restoration.models.mine_action import (
    ClearanceReport,
    ClearanceTask,
    HazardousArea,
    HazardStatus,
    LandRelease,
    MineAccident,
    OrdnanceCount,
    OrdnanceType,
    QAResult,
    ReleaseMethod,
    RiskEducationSession,
)
from peaceops.restoration.models.works import Work, WorkStatus

__all__ = [
    "KIND_SECTOR", "ClearanceReport", "ClearanceTask", "DamageAssessment", "Facility", "FacilityKind",
    "HazardStatus", "HazardousArea", "LandRelease", "MineAccident", "OrdnanceCount", "OrdnanceType", "QAResult",
    "ReleaseMethod", "RiskEducationSession", "Sector", "Severity", "Work", "WorkStatus",
]
