from peaceops.core.roles import (
    ADMIN,
    ANALYST,
    COORDINATOR,
    ENGINEER,
    EXCHANGE_OFFICER,
    RETURNS_OFFICER,
    ROLES,
    STAFF_ROLES,
)

CAPABILITIES = {
    # Working roles read drafts, every version and the figures' links to the records behind them.
    "reports.view_sitrep": STAFF_ROLES,
    "reports.view_dashboard": STAFF_ROLES,
    # Only a coordinator signs a report off for release, and never one who drafted it (peaceops.reports.services).
    "reports.approve": {COORDINATOR},
    "reports.publish": {COORDINATOR},
    # A section's narrative paragraph: the roles that own the section, and coordinators for every section
    # (peaceops.core.reporting.narrative_capability picks the one for a section; a section with none of its own
    # falls back to "reports.write_narrative").
    "reports.write_narrative": {COORDINATOR},
    # Writes the narrative of at least one section: the roles the API lets try (the section decides).
    "reports.narrate": {ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER, COORDINATOR},
    "reports.write_narrative.ceasefire": {ANALYST, COORDINATOR},
    "reports.write_narrative.sources": {ANALYST, COORDINATOR},
    "reports.write_narrative.returns": {RETURNS_OFFICER, COORDINATOR},
    "reports.write_narrative.exchanges": {EXCHANGE_OFFICER, COORDINATOR},
    "reports.write_narrative.restoration": {ENGINEER, COORDINATOR},
    "reports.write_narrative.mine_action": {ENGINEER, COORDINATOR},
    # Published reports are open to anyone, logged in or not; this only places them in the navigation.
    "reports.view_published": frozenset(ROLES) | {ADMIN},
}
