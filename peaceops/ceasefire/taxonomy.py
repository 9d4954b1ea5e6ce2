"""Incident types and sub-types, and how each maps onto ACLED's event_type / sub_event_type.

Our taxonomy is ceasefire-specific (what a monitor sees from a post); ACLED's is for conflict events in general.
Each sub-type names exactly one ACLED pair so exports are lossless in that direction; imports map an ACLED pair
back to the first sub-type that carries it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    SHELLING = "shelling", _("shelling")
    SMALL_ARMS = "small_arms", _("small-arms fire")
    DRONE = "drone", _("drone")
    MINE_UXO = "mine_uxo", _("mine / unexploded ordnance")
    PROHIBITED_MOVEMENT = "prohibited_movement", _("prohibited movement of weapons or troops")
    PROVOCATION = "provocation", _("provocation")
    WEAPONS_VIOLATION = "weapons_violation", _("weapons or equipment in violation of agreed lines or sites")
    MOVEMENT_RESTRICTION = "movement_restriction", _("restriction on the monitors' freedom of movement")
    INFRASTRUCTURE = "infrastructure", _("damage to civilian infrastructure")
    CIVILIAN_CASUALTIES = "civilian_casualties", _("civilian casualties")
    OTHER_EVENT = "other_event", _("other event (not a ceasefire violation)")


# What a monitoring mission counts as a ceasefire violation. The other report types (restrictions on the monitors,
# damage, casualties reported on their own, events of another kind) are recorded, mapped and exported, but the
# violation counts and the sitrep's "N violations" leave them out, as OSCE-style reports list them apart.
VIOLATION_TYPES = frozenset({
    IncidentType.SHELLING, IncidentType.SMALL_ARMS, IncidentType.DRONE, IncidentType.MINE_UXO,
    IncidentType.PROHIBITED_MOVEMENT, IncidentType.PROVOCATION, IncidentType.WEAPONS_VIOLATION,
})


def is_violation(incident_type: str) -> bool:
    return incident_type in VIOLATION_TYPES


EXPLOSIONS = "Explosions/Remote violence"
BATTLES = "Battles"
STRATEGIC = "Strategic developments"
CIVILIANS = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"

# type -> sub-type -> (label, ACLED event_type, ACLED sub_event_type)
SUBTYPES: dict[str, dict[str, tuple[object, str, str]]] = {
    IncidentType.SHELLING: {
        "artillery": (_("artillery"), EXPLOSIONS, "Shelling/artillery/missile attack"),
        "mortar": (_("mortar"), EXPLOSIONS, "Shelling/artillery/missile attack"),
        "rocket": (_("rocket / missile"), EXPLOSIONS, "Shelling/artillery/missile attack"),
        "tank": (_("tank fire"), EXPLOSIONS, "Shelling/artillery/missile attack"),
    },
    IncidentType.SMALL_ARMS: {
        "automatic": (_("automatic weapons"), BATTLES, "Armed clash"),
        "sniper": (_("sniper fire"), BATTLES, "Armed clash"),
        "single_shots": (_("single shots"), BATTLES, "Armed clash"),
        "grenade": (_("hand grenade or grenade launcher"), EXPLOSIONS, "Grenade"),
    },
    IncidentType.DRONE: {
        "strike": (_("drone strike"), EXPLOSIONS, "Air/drone strike"),
        "overflight": (_("surveillance overflight"), STRATEGIC, "Other"),
    },
    IncidentType.MINE_UXO: {
        "mine_explosion": (_("mine explosion"), EXPLOSIONS, "Remote explosive/landmine/IED"),
        "uxo_found": (_("ordnance found and made safe"), STRATEGIC, "Disrupted weapons use"),
    },
    IncidentType.PROHIBITED_MOVEMENT: {
        "heavy_weapons": (_("heavy weapons moved forward"), STRATEGIC, "Change to group/activity"),
        "troops": (_("troops moved forward"), STRATEGIC, "Change to group/activity"),
        "fortification": (_("new fortification"), STRATEGIC, "Headquarters or base established"),
    },
    IncidentType.PROVOCATION: {
        "line_crossing": (_("crossing of the line of contact"), STRATEGIC, "Other"),
        "property_destruction": (_("destruction of property"), STRATEGIC, "Looting/property destruction"),
        "threats": (_("threats or warning shots"), STRATEGIC, "Other"),
    },
    IncidentType.WEAPONS_VIOLATION: {
        "beyond_line": (_("weapons beyond the agreed withdrawal line"), STRATEGIC, "Change to group/activity"),
        "missing_from_site": (_("weapons missing from a storage site"), STRATEGIC, "Other"),
    },
    IncidentType.MOVEMENT_RESTRICTION: {
        "denied_access": (_("monitors denied access"), STRATEGIC, "Other"),
        "delayed": (_("monitors delayed at a checkpoint"), STRATEGIC, "Other"),
        "threatened": (_("monitors threatened or harassed"), STRATEGIC, "Other"),
    },
    IncidentType.INFRASTRUCTURE: {
        "housing": (_("houses damaged"), STRATEGIC, "Looting/property destruction"),
        "utilities": (_("water, power or gas supply damaged"), STRATEGIC, "Looting/property destruction"),
        "public_building": (_("school, clinic or other public building damaged"), STRATEGIC,
                            "Looting/property destruction"),
    },
    IncidentType.CIVILIAN_CASUALTIES: {
        "civilian_harmed": (_("civilians killed or injured"), CIVILIANS, "Attack"),
        "sexual_violence": (_("sexual violence"), CIVILIANS, "Sexual violence"),
    },
    IncidentType.OTHER_EVENT: {
        "arrest": (_("arrest"), STRATEGIC, "Arrests"),
        "abduction": (_("abduction or forced disappearance"), CIVILIANS, "Abduction/forced disappearance"),
        "territory_regained": (_("territory regained by government forces"), BATTLES, "Government regains territory"),
        "territory_taken": (_("territory taken by a non-state group"), BATTLES, "Non-state actor overtakes territory"),
        "air_strike": (_("air strike"), EXPLOSIONS, "Air/drone strike"),
        "suicide_bomb": (_("suicide bombing"), EXPLOSIONS, "Suicide bomb"),
        "chemical": (_("chemical weapon"), EXPLOSIONS, "Chemical weapon"),
        "peaceful_protest": (_("peaceful protest"), PROTESTS, "Peaceful protest"),
        "protest_intervention": (_("protest with intervention"), PROTESTS, "Protest with intervention"),
        "protest_force": (_("excessive force against protesters"), PROTESTS, "Excessive force against protesters"),
        "violent_demo": (_("violent demonstration"), RIOTS, "Violent demonstration"),
        "mob_violence": (_("mob violence"), RIOTS, "Mob violence"),
        "agreement": (_("agreement"), STRATEGIC, "Agreement"),
        "group_change": (_("change to a group or its activity"), STRATEGIC, "Change to group/activity"),
        "base_established": (_("headquarters or base established"), STRATEGIC, "Headquarters or base established"),
        "looting": (_("looting or destruction of property"), STRATEGIC, "Looting/property destruction"),
        "territory_transfer": (_("non-violent transfer of territory"), STRATEGIC, "Non-violent transfer of territory"),
        "disrupted_weapons": (_("disrupted weapons use"), STRATEGIC, "Disrupted weapons use"),
        "other": (_("other"), STRATEGIC, "Other"),
    },
}

# ACLED's full codebook (event type → sub-event types). Every pair has a counterpart in SUBTYPES, so an ACLED file
# imports whole: pairs outside ceasefire monitoring become "other event" records, counted apart, not quarantined.
ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    BATTLES: ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    EXPLOSIONS: ("Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                 "Remote explosive/landmine/IED", "Grenade"),
    CIVILIANS: ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    PROTESTS: ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    RIOTS: ("Violent demonstration", "Mob violence"),
    STRATEGIC: ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                "Headquarters or base established", "Looting/property destruction",
                "Non-violent transfer of territory", "Other"),
}
# A generic ACLED pair read without our own sub-type hint: "Other" says nothing about a violation.
ACLED_DEFAULT = {(STRATEGIC, "Other"): (IncidentType.OTHER_EVENT, "other")}
# ACLED's disorder type of each event type.
ACLED_DISORDER = {BATTLES: "Political violence", EXPLOSIONS: "Political violence", CIVILIANS: "Political violence",
                  PROTESTS: "Demonstrations", RIOTS: "Demonstrations", STRATEGIC: "Strategic developments"}

SUBTYPE_CHOICES = [(sub, label) for subs in SUBTYPES.values() for sub, (label, _e, _s) in subs.items()]


def subtypes_of(incident_type: str) -> dict[str, tuple[object, str, str]]:
    return SUBTYPES.get(incident_type, {})


def acled_pair(incident_type: str, sub_type: str) -> tuple[str, str]:
    _label, event_type, sub_event_type = SUBTYPES[incident_type][sub_type]
    return event_type, sub_event_type


def from_acled(event_type: str, sub_event_type: str, hint: str = "") -> tuple[str, str] | None:
    """Our (type, sub-type) for an ACLED pair; `hint` (a sub-type code we exported in the notes) wins if it fits."""
    matches = [(t, s) for t, subs in SUBTYPES.items() for s, (_l, e, se) in subs.items()
               if e == event_type and se == sub_event_type]
    for pair in matches:
        if pair[1] == hint:
            return pair
    if (event_type, sub_event_type) in ACLED_DEFAULT:
        return ACLED_DEFAULT[(event_type, sub_event_type)]
    if not matches:
        return None
    # Several sub-types share a pair: prefer a ceasefire type, and a catch-all only when nothing else carries it.
    return sorted(matches, key=lambda pair: pair[0] == IncidentType.OTHER_EVENT)[0]
