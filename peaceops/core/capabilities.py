from peaceops.core.roles import (
    ADMIN,
    ANALYST,
    COORDINATOR,
    EXCHANGE_OFFICER,
    MONITOR,
    RETURNS_OFFICER,
    STAFF_ROLES,
)

CAPABILITIES = {
    # Reference data every working role needs to name places and actors.
    "core.view_gazetteer": STAFF_ROLES | {ADMIN},
    "core.edit_gazetteer": {ANALYST, ADMIN},
    "core.view_reference": STAFF_ROLES | {ADMIN},
    "core.view_sources": {MONITOR, ANALYST, COORDINATOR},
    "core.grade_sources": {ANALYST},
    "core.report_information": {MONITOR, ANALYST},
    # Every item of information; monitors see only the items they recorded (SourceReport.objects.visible_to).
    "core.view_all_source_reports": {ANALYST, COORDINATOR},
    # Identity records: only the modules that must hold them.
    "core.view_persons": {RETURNS_OFFICER, EXCHANGE_OFFICER, COORDINATOR},
    "core.view_all_persons": {COORDINATOR},
    "core.view_audit": {ADMIN, COORDINATOR},
    # Role changes: administrators ask and approve (never for themselves); coordinators watch every change.
    "core.manage_roles": {ADMIN},
    "core.view_role_changes": {ADMIN, COORDINATOR},
    "core.view_map": STAFF_ROLES | {ADMIN},
    "core.view_dashboard": STAFF_ROLES | {ADMIN},
    # The mission's dates, area and reporting rules (peaceops.core.mission): the installation's administrator.
    "core.configure_mission": {ADMIN},
}

