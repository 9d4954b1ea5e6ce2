from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Alerts"), "alerts:alert_list", "alerts.view"),
    (_("My tasks"), "alerts:my_tasks", "alerts.view_tasks"),
]

# The open-alerts counter in the top bar of every page, polled by htmx.
LIVE = [("alerts:counter", "alerts.view")]
