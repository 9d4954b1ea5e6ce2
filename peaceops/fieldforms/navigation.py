from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Field forms"), "fieldforms:forms", "fieldforms.download"),
    (_("Field submissions"), "fieldforms:queue", "fieldforms.view_submissions"),
]
