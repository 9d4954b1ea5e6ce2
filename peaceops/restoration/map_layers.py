from django.utils.translation import gettext_lazy as _

# (key, label, url name, query string, capability, colour, labels shown, visible at start)
MAP_LAYERS = [
    ("facilities", _("Facilities by status"), "restoration:facilities_geojson", "", "restoration.view", "#2e7d32",
     False, False),
    ("hazardous_areas", _("Hazardous areas"), "restoration:areas_geojson", "", "restoration.view", "#b00020", False,
     False),
]
