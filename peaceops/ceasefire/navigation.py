from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Incidents"), "ceasefire:incident_list", "ceasefire.view"),
    (_("Review queue"), "ceasefire:review_queue", "ceasefire.review"),
    (_("Violation counts"), "ceasefire:counts", "ceasefire.view_counts"),
    (_("Posts & patrols"), "ceasefire:post_logs", "ceasefire.view"),
]
