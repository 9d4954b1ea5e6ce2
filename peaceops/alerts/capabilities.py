from peaceops.core.roles import ANALYST, COORDINATOR, ENGINEER, EXCHANGE_OFFICER, RETURNS_OFFICER, STAFF_ROLES

OFFICERS = {ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER}

CAPABILITIES = {
    # Alerts: every working role sees the alerts addressed to it (visible_to narrows to its recipients) and
    # acknowledges them by name; coordinators see every alert and set the rules.
    "alerts.view": STAFF_ROLES,
    "alerts.acknowledge": STAFF_ROLES,
    # Every working role reads the rules (what is told to whom, so an officer knows why an alert reached them);
    # coordinators set, edit, deactivate and reactivate them.
    "alerts.view_rules": STAFF_ROLES,
    "alerts.manage_rules": {COORDINATOR},
    # Tasks: an officer (not the read-only coordinator) opens one from an incident, a tracing request, a facility or an alert; its owner moves it
    # along. Coordinators see every task; others their own (owned or opened).
    "alerts.view_tasks": STAFF_ROLES,
    "alerts.open_task": OFFICERS,
    # A referral passes part of a person's case to another organisation: the officers who hold such cases.
    "alerts.refer": {EXCHANGE_OFFICER, RETURNS_OFFICER},
}
