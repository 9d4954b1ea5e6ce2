from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Services"), "restoration:status", "restoration.view"),
    (_("Facilities"), "restoration:facility_list", "restoration.view"),
    (_("Works"), "restoration:work_list", "restoration.view"),
    (_("Mine action"), "restoration:mine_action", "restoration.view"),
]
