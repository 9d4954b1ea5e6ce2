from peaceops.core.roles import ADMIN, ANALYST, ENGINEER, EXCHANGE_OFFICER, MONITOR, RETURNS_OFFICER

CAPABILITIES = {
    # Reaching the import pages at all; each importer also names the capability it needs.
    "intake.use": {MONITOR, ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER, ADMIN},
}
