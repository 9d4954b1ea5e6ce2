from peaceops.core.roles import COORDINATOR, EXCHANGE_OFFICER, RETURNS_OFFICER

CAPABILITIES = {
    # Figures about past proposals (no person named): the roles that decide proposals, and coordinators. Each
    # job kind's figures need that kind's own capability as well (peaceops.linkage.sources).
    "linkage.view_quality": {RETURNS_OFFICER, EXCHANGE_OFFICER, COORDINATOR},
    # A new model changes every matching job of every module: the cross-module role decides.
    "linkage.learn": {COORDINATOR},
}
