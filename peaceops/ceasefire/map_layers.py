from django.utils.translation import gettext_lazy as _

# (key, label, url name, query string, capability, colour, labels shown, visible at start)
MAP_LAYERS = [
    ("ceasefire_incidents", _("Ceasefire incidents (latest 30 days)"), "ceasefire:incidents_geojson", "",
     "ceasefire.view", "#a12a2a", False, True),
]
