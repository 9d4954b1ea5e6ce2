"""What the open-source module announces (peaceops.core.events).

Facts: claim, document (ids), verdict."""

from django.utils.translation import gettext_lazy as _

EVENT_KINDS = {
    "sources.claim_contradicts_registry": _("A published claim contradicts the registry"),
}
