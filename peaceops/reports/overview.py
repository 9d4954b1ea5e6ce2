"""The "Overview" paragraph at the top of a sitrep: one plain sentence per section, built only from figures the
sections themselves report (by their keys), so it can never say more than the report does. It is worked out at
render time from the content being rendered, so the public view's suppressed counts ("<5") stay suppressed and
a frozen version's overview follows its frozen figures."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.reports import disclosure
from peaceops.reports.numbers import number


def _n(value) -> str:
    # A count hidden by the disclosure rules reads "fewer than 5" in a sentence, not "<5".
    return disclosure.words(value) if disclosure.is_hidden(value) else number(value)


def _plural_of(value) -> int:
    """ngettext needs an int; a suppressed "<5" reads "fewer than 5", so it takes the form of 5."""
    from peaceops.core import mission

    return value if isinstance(value, int) and not isinstance(value, bool) else mission.small_cell()


def _value(figures: dict, key: str):
    figure = figures.get(key)
    return None if figure is None else figure["value"]


def _join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def _ceasefire(f: dict, tables: dict) -> str | None:
    violations = _value(f, "ceasefire.violations")
    if violations is None:
        return None
    if not violations:
        return _("No ceasefire violation was recorded.")
    districts = sorted({str(row[0]) for row in tables.get("ceasefire.by_district", {}).get("rows", [])})
    text = ngettext("At least %(n)s ceasefire violation was recorded", "At least %(n)s ceasefire violations were "
                    "recorded", _plural_of(violations)) % {"n": _n(violations)}
    if districts:
        text += f" ({_join(districts)})"
    return text + "."


def _returns(f: dict, tables: dict) -> str | None:
    total, new = _value(f, "returns.total"), _value(f, "returns.in_period")
    if total is None:
        return None
    text = _("As of today %(total)s people have returned") % {"total": _n(total)}
    if new:
        text += _(", %(new)s of them in the last 24 hours") % {"new": _n(new)}
    convoys = _value(f, "returns.convoys")
    if convoys:
        text += ngettext("; %(n)s escorted convoy arrived", "; %(n)s escorted convoys arrived",
                         _plural_of(convoys)) % {"n": _n(convoys)}
    return text + "."


def _exchanges(f: dict, tables: dict) -> str | None:
    parts = []
    exchanged = f.get("exchanges.exchanged")
    change = exchanged.get("change") if exchanged else None
    # A hidden change ("<5") was above zero: the disclosure rules hide no zero.
    today = isinstance(change, str) or (isinstance(change, int) and change > 0)
    if today:
        parts.append(ngettext("%(n)s person was exchanged in the last 24 hours",
                              "%(n)s persons were exchanged in the last 24 hours", _plural_of(change)) % {
            "n": _n(change)})
    recovered, handed = _value(f, "exchanges.remains_recovered"), _value(f, "exchanges.remains_handed_over")
    if recovered:
        parts.append(_("the remains of %(recovered)s people have been recovered and %(handed)s handed over to "
                       "families") % {"recovered": _n(recovered), "handed": _n(handed or 0)})
    agreed, detained = _value(f, "exchanges.agreed"), _value(f, "exchanges.detained")
    if today and detained:
        parts.append(ngettext("%(n)s detention case remains open", "%(n)s detention cases remain open",
                              _plural_of(detained)) % {"n": _n(detained)})
    elif agreed:
        parts.append(_("an exchange of prisoners and detainees has been agreed and is being prepared"))
    elif detained:
        parts.append(ngettext("work towards an exchange of prisoners and detainees continues (%(n)s detention "
                              "case open)", "work towards an exchange of prisoners and detainees continues "
                              "(%(n)s detention cases open)", _plural_of(detained)) % {"n": _n(detained)})
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _restoration(f: dict, tables: dict) -> str | None:
    services = [(key, label) for key, label in (("restoration.people_with_electricity", _("electricity")),
                                                 ("restoration.people_with_water", _("water supply")),
                                                 ("restoration.people_with_gas", _("gas")))
                if _value(f, key)]
    works = _value(f, "restoration.works_ongoing")
    parts = []
    if works:
        parts.append(ngettext("%(n)s restoration project is under way", "%(n)s restoration projects are under way",
                              _plural_of(works)) % {"n": _n(works)})
    if services:
        first, *rest = services
        listed = [_("%(n)s people have %(service)s") % {"n": _n(_value(f, first[0])), "service": first[1]}]
        listed += [_("%(n)s %(service)s") % {"n": _n(_value(f, key)), "service": label} for key, label in rest]
        parts.append(_("in the settlements followed %(list)s") % {"list": _join(listed)})
    if not parts:
        return None
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _mine_action(f: dict, tables: dict) -> str | None:
    area, road, destroyed = (_value(f, "mine_action.area_ha"), _value(f, "mine_action.road_km"),
                             _value(f, "mine_action.destroyed"))
    if not (area or road or destroyed):
        return None
    return _("In the last 24 hours %(area)s ha of land and %(road)s km of road were cleared of mines and "
             "%(destroyed)s explosive objects destroyed.") % {"area": _n(area or 0), "road": _n(road or 0), "destroyed": _n(destroyed or 0)}


RULES = (_ceasefire, _returns, _exchanges, _restoration, _mine_action)


def sentences(doc: dict) -> list[str]:
    # Modules key their figures "section.figure"; a bare key is qualified with its section's.
    def qualified(section: dict, key: str) -> str:
        return key if "." in key else f"{section['key']}.{key}"

    sections = doc.get("sections", [])
    figures = {qualified(s, f["key"]): f for s in sections for f in s["figures"]}
    tables = {qualified(s, t["key"]): t for s in sections for t in s["tables"]}
    return [text for rule in RULES if (text := rule(figures, tables))]
