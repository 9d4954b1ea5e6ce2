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


EXPLOSIONS = "Explosions/Remote violence"
BATTLES = "Battles"
STRATEGIC = "Strategic developments"

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
}

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
    return matches[0] if matches else None
