from django.utils.translation import gettext_lazy as _

# (label, url name, capability): the shell shows an entry only to roles holding the capability.
NAVIGATION = [
    (_("Gazetteer"), "core:place_list", "core.view_gazetteer"),
    (_("Map"), "core:map", "core.view_map"),
    (_("Parties & organisations"), "core:party_list", "core.view_reference"),
    (_("Mission"), "core:mission", "core.configure_mission"),
    (_("Sources"), "core:source_list", "core.view_sources"),
    (_("People"), "core:person_list", "core.view_persons"),
    (_("Audit"), "core:audit_list", "core.view_audit"),
    (_("Access"), "core:access", "core.view_role_changes"),
]
