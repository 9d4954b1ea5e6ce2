"""What the returns module announces (peaceops.core.events), for the alerts app to tell the duty officer."""

from django.utils.translation import gettext_lazy as _

EVENT_KINDS = {
    "returns.headcount_discrepancy": _("Checkpoint head count differs from the convoy manifest"),
}
