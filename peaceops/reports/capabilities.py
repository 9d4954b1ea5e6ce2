from peaceops.core.roles import ADMIN, COORDINATOR, ROLES, STAFF_ROLES

CAPABILITIES = {
    # Working roles read drafts, every version and the figures' links to the records behind them.
    "reports.view_sitrep": STAFF_ROLES,
    "reports.view_dashboard": STAFF_ROLES,
    # Only a coordinator signs a report off for release.
    "reports.approve": {COORDINATOR},
    "reports.publish": {COORDINATOR},
    # Published reports are open to anyone, logged in or not; this only places them in the navigation.
    "reports.view_published": frozenset(ROLES) | {ADMIN},
}
