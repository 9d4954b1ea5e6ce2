from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Open sources"), "sources:claim_list", "sources.view"),
]
