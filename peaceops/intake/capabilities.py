from peaceops.core.roles import ADMIN, ANALYST, ENGINEER, MONITOR, RETURNS_OFFICER

CAPABILITIES = {
    # Reaching the import pages at all; each importer also names the capability it needs. Exactly the roles that
    # hold an importer: a menu entry must never lead to "no importer is available to your role", and a role that
    # holds one must find it (the monitor imports checkpoint day sheets; exchange officers import party lists on
    # their own pages). tests/intake/test_every_problem.py keeps the two in step.
    "intake.use": {ANALYST, RETURNS_OFFICER, ENGINEER, MONITOR, ADMIN},
}
