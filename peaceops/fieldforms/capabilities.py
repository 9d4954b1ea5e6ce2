from peaceops.core.roles import ANALYST, COORDINATOR, ENGINEER, EXCHANGE_OFFICER, MONITOR, RETURNS_OFFICER

# Which forms a role may submit is each form's own capability (catalogue.py); these only open the pages.
CAPABILITIES = {
    # Download the XLSForms and see how to point ODK Collect at PeaceOps: every role that fills a field form.
    "fieldforms.download": {MONITOR, ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER},
    # See the submissions received and the review queue; deciding one needs its form's review capability.
    "fieldforms.view_submissions": {ANALYST, RETURNS_OFFICER, EXCHANGE_OFFICER, ENGINEER, COORDINATOR},
}
