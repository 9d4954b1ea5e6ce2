"""What the ceasefire module announces (peaceops.core.events) for the alerts app's rules to match.

Facts: incident, place, district (gazetteer ids), type, sub_type, killed, injured, casualties, stage."""

from django.utils.translation import gettext_lazy as _

EVENT_KINDS = {
    "ceasefire.violation": _("A ceasefire violation was reported"),
    "ceasefire.casualties": _("A violation with casualties was reported or verified"),
}
