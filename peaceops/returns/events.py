"""What the returns module announces (peaceops.core.events) for the alerts app's rules to match.

Facts: corridor, convoy, checkpoint (a gazetteer place id), status, minutes (how long overdue); for a head
count, counted, manifest, difference (how many more or fewer), checkpoint_id (the place id; there `checkpoint` is
the place's name)."""

from django.utils.translation import gettext_lazy as _

EVENT_KINDS = {
    "returns.corridor_closed": _("A corridor was closed"),
    "returns.convoy_stopped": _("A convoy was stopped and turned back"),
    "returns.convoy_overdue": _("A convoy is overdue at a checkpoint"),
    "returns.headcount_discrepancy": _("Checkpoint head count differs from the convoy manifest"),
}


def _check_overdue_convoys(now) -> int:
    from peaceops.returns.services.convoys import announce_overdue

    return announce_overdue(now)


# Periodic checks the alerts app's worker job runs (peaceops.alerts.tasks).
CHECKS = [_check_overdue_convoys]
