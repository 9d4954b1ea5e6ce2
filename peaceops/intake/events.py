"""What the intake module announces (peaceops.core.events).

Facts: batch (id), import (its kind, e.g. "returns.registrations"), quarantined, saved (row counts)."""

from django.utils.translation import gettext_lazy as _

EVENT_KINDS = {
    "intake.quarantined_rows": _("An import finished with quarantined rows"),
}
