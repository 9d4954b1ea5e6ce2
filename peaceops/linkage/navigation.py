from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Matching quality"), "linkage:quality", "linkage.view_quality"),
]
