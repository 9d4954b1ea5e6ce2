from peaceops.core.roles import ADMIN, ANALYST, COORDINATOR, MONITOR, PUBLIC, RETURNS_OFFICER, STAFF_ROLES

CAPABILITIES = {
    # Records (households, manifests, movements hold personal data): returns officers write, coordinators read.
    "returns.view": {RETURNS_OFFICER, COORDINATOR},
    "returns.change": {RETURNS_OFFICER},
    # Aggregate counts ("returned as of D"): anyone signed in. Working roles see live figures; the public role
    # sees the newest published report's figures only (small cells suppressed), which move on publication.
    "returns.view_counts": STAFF_ROLES | {PUBLIC, ADMIN},
    "returns.view_live_counts": STAFF_ROLES | {ADMIN},
    # Flow counts at checkpoints carry no names: monitors and returns officers at a checkpoint enter them.
    "returns.view_flows": {RETURNS_OFFICER, MONITOR, ANALYST, COORDINATOR},
    "returns.record_flows": {RETURNS_OFFICER, MONITOR},
}
