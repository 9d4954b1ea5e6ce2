from django.utils.translation import gettext_lazy as _

EVENT_KINDS = {
    "alerts.task_overdue": _("A task is past its due time"),
}
