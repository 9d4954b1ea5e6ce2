from peaceops.core.roles import COORDINATOR, EXCHANGE_OFFICER

CAPABILITIES = {
    # Case files are the most sensitive data in the system: exchange officers work them, coordinators read them.
    "exchanges.view_cases": {EXCHANGE_OFFICER, COORDINATOR},
    "exchanges.change_cases": {EXCHANGE_OFFICER},
    # Identification of the dead (ante-mortem, post-mortem, DNA, family contacts): medical and genetic data,
    # exchange officers only; coordinators see the aggregate figures in the daily report.
    "exchanges.view_identification": {EXCHANGE_OFFICER},
}
