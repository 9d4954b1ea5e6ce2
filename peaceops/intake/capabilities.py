from peaceops.core.roles import ADMIN, ANALYST, ENGINEER, RETURNS_OFFICER

CAPABILITIES = {
    # Reaching the import pages at all; each importer also names the capability it needs. Only roles that hold
    # an importer: the monitor's menu led to a page saying "no importer is available to your role" (exchange
    # officers import party lists on their own pages).
    "intake.use": {ANALYST, RETURNS_OFFICER, ENGINEER, ADMIN},
}
