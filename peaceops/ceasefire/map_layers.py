from django.utils.translation import gettext_lazy as _

# (key, label, url name, query string, capability, colour, labels shown, visible at start)
MAP_LAYERS = [
    ("areas_of_responsibility", _("Areas of responsibility"), "ceasefire:features_geojson",
     "kind=area_of_responsibility", "core.view_map", "#5b6f2e", False, True),
    ("line_of_contact", _("Line of contact"), "ceasefire:features_geojson", "kind=line_of_contact",
     "core.view_map", "#6b2d8a", False, True),
    ("post_buffers", _("What the observation posts see"), "ceasefire:post_buffers", "", "core.view_map", "#1f5f8b",
     False, False),
    ("patrol_tracks", _("Patrol tracks"), "ceasefire:patrol_tracks", "", "ceasefire.view", "#2e7d6b", False, True),
    ("ceasefire_incidents", _("Ceasefire incidents"), "ceasefire:incidents_geojson", "period=all",
     "ceasefire.view", "#a12a2a", False, True),
]
