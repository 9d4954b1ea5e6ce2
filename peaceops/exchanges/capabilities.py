from peaceops.core.roles import COORDINATOR, EXCHANGE_OFFICER

CAPABILITIES = {
    # Case files are the most sensitive data in the system: exchange officers work them, coordinators read them.
    "exchanges.view_cases": {EXCHANGE_OFFICER, COORDINATOR},
    "exchanges.change_cases": {EXCHANGE_OFFICER},
}
