from peaceops.core.roles import ANALYST, COORDINATOR, ENGINEER, EXCHANGE_OFFICER, MONITOR, RETURNS_OFFICER

# Which forms a role may submit is each form's own capability (catalogue.py); these only open the pages.
CAPABILITIES = {
    # Download the XLSForms and see how to point ODK Collect at PeaceOps: every role that fills a field form.
    "fieldforms.download": {MONITOR, ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER},
    # Import a KoboToolbox or ODK Central export on the web; each form still needs its own capability (the roles
    # that may submit it), so the list offered is the forms the user may submit.
    "fieldforms.import": {MONITOR, ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER},
    # See the submissions received and the review queue; deciding one needs its form's review capability.
    "fieldforms.view_submissions": {ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER, COORDINATOR},
}
