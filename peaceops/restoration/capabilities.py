from peaceops.core.roles import COORDINATOR, ENGINEER, MONITOR, STAFF_ROLES

# Restoration and mine-action records are operational, not personal: every staff role may read the register,
# the works and the service status; only engineers change them. Monitors file damage assessments and see their
# own (DESIGN.md); the public sees region aggregates only (public.py).
CAPABILITIES = {
    "restoration.view": STAFF_ROLES,
    "restoration.edit": {ENGINEER},
    "restoration.view_assessments": {ENGINEER, COORDINATOR, MONITOR},
    "restoration.assess": {ENGINEER, MONITOR},
}
