"""Statistical disclosure control: every number the public sees passes through here.

Primary suppression hides a count of 1 to the mission's small-cell threshold − 1 people (zero names nobody and stays).
Complementary suppression then hides enough other numbers that no hidden one comes back by subtraction:

- a column of a table adds up to a total the report publishes, so a column never has exactly one hidden cell,
  and the hidden cells never add up to a small count; when no shown cell is left to hide, the total goes;
- a figure's change is its value minus the previous day's: a small change is hidden with the previous value
  (the day's value stays, it is the headline);
- a sentence that names a hidden count is reworded ("fewer than 5 persons were handed over …"), and counts a
  sentence lists side by side (handovers per direction) are suppressed together like a column.

What stays open: a reader who keeps yesterday's published report can still subtract it from today's. Daily
publication of running totals has that property; docs/public.md says so.
"""

from __future__ import annotations

import copy
import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def threshold() -> int:
    from peaceops.core import mission

    return mission.small_cell()


def marker() -> str:
    """What a count hidden for being small reads as in tables and files ("<5")."""
    return f"<{threshold()}"


# What a count hidden only so that a small one cannot be worked out reads as: it may be large, so "<5" would
# be false ("x", as statistical offices mark a cell withheld to protect another).
COMPLEMENTARY = "x"


def note() -> str:
    """The legend every public rendering carries."""
    return _("Counts of fewer than %(n)s people are shown as %(small)s, and any figure from which such a count "
             "could be worked out by subtraction as %(other)s, to protect the people concerned.") % {
        "n": threshold(), "small": marker(), "other": COMPLEMENTARY}


def is_count(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_small(value) -> bool:
    return is_count(value) and 0 < abs(value) < threshold()


def is_hidden(value) -> bool:
    return isinstance(value, str) and value in (marker(), COMPLEMENTARY)


def words(value) -> str:
    """A number as a sentence says it: a small count reads "fewer than 5", one hidden to protect it "an
    undisclosed number of"."""
    if value == COMPLEMENTARY:
        return _("an undisclosed number of")
    if is_hidden(value):
        return _("fewer than %(n)s") % {"n": threshold()}
    if is_count(value):
        return number_format(value, force_grouping=True)
    return "—" if value is None else str(value)


def suppress_group(cells: list, total=None) -> tuple[list, object]:
    """Hide the small cells of a group that adds up to `total` (given, or known to the reader anyway), then
    more cells, smallest first, until no hidden cell can be worked out: at least two hidden, adding up to no
    small count. Returns the cells and the total: small ones as "<5", the ones hidden to protect them "x"."""
    shown = list(cells)
    hidden = [i for i, v in enumerate(shown) if is_small(v)]
    for i in hidden:
        shown[i] = marker()
    if not hidden:
        return shown, total

    def hidden_sum() -> float:
        return sum(cells[i] for i in hidden)

    while len(hidden) < 2 or is_small(hidden_sum()):
        candidates = [i for i, v in enumerate(shown) if is_count(v) and v != 0 and i not in hidden]
        if not candidates:
            # Nothing left to hide beside it: the total would give the cell back, so the total goes.
            return shown, (COMPLEMENTARY if is_count(total) and total != 0 else total)
        smallest = min(candidates, key=lambda i: (abs(cells[i]), i))
        hidden.append(smallest)
        shown[smallest] = COMPLEMENTARY
    return shown, total


def figure(fig: dict) -> dict:
    """One figure of a report: its value, previous value and change (a count of people only)."""
    fig = dict(fig)
    if not fig.get("people"):
        return fig
    value, previous, change = fig.get("value"), fig.get("previous"), fig.get("change")
    if is_small(value):
        fig["value"] = marker()
    if is_small(previous):
        fig["previous"] = marker()
    if is_hidden(fig["value"]) or is_hidden(fig["previous"]):
        fig["change"] = None  # a change between a shown and a hidden count would give the hidden one away
    elif is_small(change):
        fig["change"] = marker()
        fig["previous"] = COMPLEMENTARY  # value − previous would give the change back
    return fig


def table(tbl: dict) -> dict:
    """A table's columns of people, each suppressed as a group that adds up to a published total."""
    tbl = copy.deepcopy(tbl)
    for index in tbl.get("people_columns", []):
        rows = [row for row in tbl["rows"] if index < len(row)]
        cells, _total = suppress_group([row[index] for row in rows])
        for row, cell in zip(rows, cells, strict=True):
            row[index] = cell
    return tbl


def sentence(spec: dict) -> str:
    """One sentence of a section's summary: as written when it names no hidden count, else reworded from its
    plural template with each hidden count read as "fewer than N"."""
    people = spec.get("people") or {}
    names = list(people)
    if spec.get("together"):
        values, _total = suppress_group([people[n] for n in names])
    else:
        values = [marker() if is_small(people[n]) else people[n] for n in names]
    if not any(is_hidden(v) for v in values):
        return spec["text"]
    return spec["template"] % {n: words(v) for n, v in zip(names, values, strict=True)}


_SMALL_NUMBER = re.compile(r"(?<![\d.,])(\d+)(?![\d.,]*\d)")


def summary(section: dict) -> str:
    """A section's summary for the public. Sections that name no count of people, and those written before
    sentences were structured, have only the text; when such a text about people names a small number, it is
    withheld rather than guessed at."""
    if section.get("sentences"):
        return " ".join(sentence(s) for s in section["sentences"])
    text = section.get("summary", "")
    about_people = any(f.get("people") for f in section.get("figures", [])) or any(
        t.get("people_columns") for t in section.get("tables", []))
    if about_people and any(is_small(int(n)) for n in _SMALL_NUMBER.findall(text)):
        return _("The summary of this section is not shown publicly: it names a count of fewer than %(n)s "
                 "people. The figures below are the published ones.") % {"n": threshold()}
    return text


def _about_people(section: dict) -> bool:
    return any(f.get("people") for f in section.get("figures", [])) or any(
        t.get("people_columns") for t in section.get("tables", []))


def narrative(section: dict, text: str) -> str:
    """A section's narrative for the public: staff write free text, which may name a count no figure would
    show; in a section about people, a narrative naming a small number is withheld, as a summary is."""
    if _about_people(section) and any(is_small(int(n)) for n in _SMALL_NUMBER.findall(text)):
        return _("The narrative of this section is not shown publicly: it names a count of fewer than %(n)s "
                 "people.") % {"n": threshold()}
    return text


def _cumulative(series: dict) -> bool:
    return any(word in series["key"] for word in ("cumulative", "total"))


def series(s: dict) -> dict:
    """A curve of people: small daily points dropped; on a running total, a point is shown only when it moved
    by none or by at least the threshold since the last point shown (else the step gives the count away)."""
    s = dict(s)
    if not s.get("people"):
        return s
    if not _cumulative(s):
        s["points"] = [[day, value] for day, value in s["points"] if not is_small(value)]
        return s
    kept, last = [], None
    for day, value in s["points"]:
        if is_small(value) or (last is not None and is_small(value - last)):
            continue
        kept.append([day, value])
        last = value
    s["points"] = kept
    return s


def public_content(content: dict) -> dict:
    """What the public may see of a report's content: public sections only, no links into case records, and
    every count of people through the rules above."""
    view = copy.deepcopy(content)
    view["sections"] = [s for s in view.get("sections", []) if s.get("public", True)]
    for section in view["sections"]:
        section["figures"] = [{**figure(f), "url": ""} for f in section["figures"]]
        section["tables"] = [table(t) for t in section["tables"]]
        section["summary"] = summary(section)
        section.pop("sentences", None)  # the unreworded texts stay inside
        if section.get("narrative"):
            # Who wrote it stays inside; the text is published as approved unless it names a small count.
            section["narrative"] = {"text": narrative(section, section["narrative"]["text"])}
    view["series"] = [series(s) for s in view.get("series", [])]
    # The classification marks the full report; what is published is the public release of it.
    view["marking"] = {"classification": "public", "distribution": ""}
    return view


def change(entry: dict) -> dict:
    """One line of a correction's "what changed" list."""
    entry = dict(entry)
    if entry.get("people"):
        for side in ("old", "new"):
            if is_small(entry[side]):
                entry[side] = marker()
        if is_count(entry["old"]) and is_count(entry["new"]) and is_small(entry["new"] - entry["old"]):
            entry["old"] = COMPLEMENTARY  # new − old would name the people the correction added or removed
    return entry


def cell(value, people: bool = False):
    """A single number on its own (a public page's card, an API field): hidden when small."""
    return marker() if people and is_small(value) else value
