from django.utils.translation import gettext_lazy as _

# (key, label, url name, query string, capability, colour, labels shown, visible at start)
MAP_LAYERS = [
    ("settlements", _("Settlements"), "core:places_geojson", "kind=settlement", "core.view_map", "#39424e", True, True),
    ("observation_posts", _("Observation posts"), "core:places_geojson", "kind=observation_post", "core.view_map",
     "#1f5f8b", False, True),
    ("checkpoints", _("Checkpoints"), "core:places_geojson", "kind=checkpoint", "core.view_map", "#8a6100", False,
     True),
]
