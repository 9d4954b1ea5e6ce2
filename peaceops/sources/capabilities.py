from peaceops.core.roles import ANALYST, COORDINATOR, MONITOR

# Open-source claims are public statements, not personal data, but they are unverified: staff who work on the
# ceasefire picture read them (like the core's sources); monitors and analysts bring reports in; analysts correct
# or reject what the extraction read and run the cross-check. The public never sees them (no public block).
CAPABILITIES = {
    "sources.view": {MONITOR, ANALYST, COORDINATOR},
    "sources.ingest": {MONITOR, ANALYST},
    "sources.review": {ANALYST},
}
