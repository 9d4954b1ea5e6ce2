"""What the exchanges module announces (peaceops.core.events). Never a name: a tracing match is told by the
request's id and link; the exchange officer opens it through the normal audited read.

Facts: request (id), matches (how many new), best (highest probability)."""

from django.utils.translation import gettext_lazy as _

EVENT_KINDS = {
    "exchanges.tracing_match": _("A tracing request has a proposed match"),
}
