from django.utils.translation import gettext_lazy as _

# (key, label, url name, query, capability, colour, labels, visible)
MAP_LAYERS = [
    ("corridors", _("Return corridors"), "returns:corridor_geojson", "", "returns.view", "#2e7d32", False, True),
    ("convoys", _("Convoys on the road"), "returns:convoys_geojson", "", "returns.view", "#6a1b9a", True, True),
]
