from peaceops.core.roles import ANALYST, COORDINATOR, MONITOR

CAPABILITIES = {
    # Pages of the module; what each role then sees is narrowed by visible_to (monitors: their own records).
    "ceasefire.view": {MONITOR, ANALYST, COORDINATOR},
    "ceasefire.view_all": {ANALYST, COORDINATOR},
    "ceasefire.file": {MONITOR, ANALYST},
    "ceasefire.log": {MONITOR},
    "ceasefire.review": {ANALYST},
    "ceasefire.view_counts": {MONITOR, ANALYST, COORDINATOR},
    "ceasefire.export": {ANALYST, COORDINATOR},
    "ceasefire.import": {ANALYST},
    # The line of contact and the areas of responsibility on the map (audited, every version kept).
    "ceasefire.edit_layers": {ANALYST},
}
