"""Offline entry in the browser: a field form drawn as a web page from the same XLSForm rows Collect gets, and
what the page sends turned into the instance Collect would have sent, received through the same door.

The page keeps each filled form in the browser until the link returns, under an instance id the browser made
(`uuid:` and a random UUID), and sends it as JSON: `{"instance_id", "version", "values": {path: text}}`. Here it
becomes an instance (root element named by the form, its version, `meta/instanceID`) and goes to
`services.receive` with the channel `browser`: a resend (the answer was lost) is only another delivery, a broken
rule waits in the review queue, a path the form lacks is kept for review too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

from peaceops.fieldforms import services
from peaceops.fieldforms.catalogue import FieldForm, forms
from peaceops.fieldforms.models import Channel

# The forms a monitor may fill in the browser with the network off (issue 14 item 5).
OFFLINE_FORMS = ("incident_report", "observation_post_log")

UUID = re.compile(r"^uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
VERSION = re.compile(r"^[A-Za-z0-9_.-]{0,40}$")
MAX_VALUE = 10_000
MAX_FIELDS = 200
MAX_BODY = 1_000_000


class BadEntry(ValueError):
    """What the page sent is not an entry it could have made (answered 400; nothing to keep)."""


def offline_forms(user) -> dict[str, FieldForm]:
    shipped = forms()
    return {form_id: shipped[form_id] for form_id in OFFLINE_FORMS
            if form_id in shipped and services.may_submit(user, shipped[form_id])}


# --- the page's fields, from the XLSForm rows ------------------------------------------------------------------

INPUTS = {"dateTime": "datetime-local", "date": "date", "time": "time", "integer": "number", "decimal": "number",
          "text": "text", "geopoint": "text"}


@dataclass
class PageField:
    path: str
    kind: str  # the XLSForm type: text, integer, decimal, date, dateTime, geopoint, select_one, image…
    label: str
    hint: str = ""
    required: bool = False
    default: str = ""
    multiline: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # cascading: by parent's label
    narrows: str = ""  # the path of the select this one narrows (incident type → sub-type)

    @property
    def input_type(self) -> str:
        return INPUTS.get(self.kind, "text")

    @property
    def dom_id(self) -> str:
        return "f-" + self.path.replace("/", "-")

    @property
    def step(self) -> str:
        return "any" if self.kind == "decimal" else "1"


@dataclass
class PageSection:
    label: str
    fields: list[PageField]


def _cells(row: tuple) -> dict[str, str]:
    return dict(row)


def page_sections(form: FieldForm, language: str) -> tuple[list[PageSection], list[str]]:
    """The form's fields grouped as the XLSForm groups them, labelled in `language`; and the labels of the fields
    the page leaves to ODK Collect (photos)."""
    column = "Russian (ru)" if language.startswith("ru") else "English (en)"
    built = form.built()
    choices: dict[str, list[dict]] = {}
    for row in built.choices:
        cells = _cells(row)
        choices.setdefault(cells["list_name"], []).append(cells)

    def text(cells: dict, key: str) -> str:
        return cells.get(f"{key}::{column}") or cells.get(f"{key}::English (en)") or ""

    sections = [PageSection("", [])]
    stack: list[str] = []
    skipped: list[str] = []
    by_name: dict[str, PageField] = {}
    for row in built.survey:
        cells = _cells(row)
        kind, _sep, list_name = cells["type"].partition(" ")
        kind = kind.replace(" ", "_")
        if kind in ("begin_group", "begin_repeat"):
            stack.append(cells["name"])
            sections.append(PageSection(text(cells, "label"), []))
            continue
        if kind in ("end_group", "end_repeat"):
            stack.pop()
            sections.append(PageSection("", []))
            continue
        path = "/".join([*stack, cells["name"]])
        if kind not in INPUTS and kind != "select_one":
            skipped.append(text(cells, "label"))
            continue
        page_field = PageField(path=path, kind=kind, label=text(cells, "label"), hint=text(cells, "hint"),
                               required=cells.get("required") == "yes", default=cells.get("default", ""),
                               multiline=cells.get("appearance") == "multiline")
        if kind == "select_one":
            options = choices.get(list_name, [])
            parent = re.fullmatch(r"(\w+)=\$\{(\w+)\}", cells.get("choice_filter", "").replace(" ", ""))
            if parent and parent.group(2) in by_name:
                upper = by_name[parent.group(2)]
                upper.narrows = page_field.dom_id
                for value, label in upper.choices:
                    page_field.groups.append((label, [(o["name"], text(o, "label")) for o in options
                                                      if o.get(parent.group(1)) == value]))
            else:
                page_field.choices = [(o["name"], text(o, "label")) for o in options]
        by_name[cells["name"]] = page_field
        sections[-1].fields.append(page_field)
    return [s for s in sections if s.fields], skipped


# --- what the page sends ------------------------------------------------------------------------------------

def instance_xml(form_id: str, version: str, instance_id: str, values: dict[str, str]) -> bytes:
    root = etree.Element(form_id, id=form_id, version=version)
    nodes: dict[str, etree._Element] = {"": root}
    for path in values:
        parent = ""
        for part in path.split("/")[:-1]:
            key = f"{parent}/{part}" if parent else part
            if key not in nodes:
                nodes[key] = etree.SubElement(nodes[parent], part)
            parent = key
        etree.SubElement(nodes[parent], path.split("/")[-1]).text = values[path]
    meta = etree.SubElement(root, "meta")
    etree.SubElement(meta, "instanceID").text = instance_id
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def read_entry(form_id: str, payload) -> tuple[str, str, dict[str, str]]:
    """The instance id, form version and values the page sent, checked for shape (not for rules)."""
    if form_id not in OFFLINE_FORMS or form_id not in forms():
        raise BadEntry(_("This form is not filled in the browser."))
    if not isinstance(payload, dict):
        raise BadEntry(_("The entry is not a JSON object."))
    instance_id = str(payload.get("instance_id", ""))
    if not UUID.match(instance_id):
        raise BadEntry(_("The entry has no instance id of the form uuid:…"))
    version = str(payload.get("version", ""))
    if not VERSION.match(version):
        raise BadEntry(_("The entry's form version is not one PeaceOps wrote."))
    values = payload.get("values")
    if not isinstance(values, dict) or len(values) > MAX_FIELDS:
        raise BadEntry(_("The entry has no values."))
    clean: dict[str, str] = {}
    for path, value in values.items():
        if not isinstance(path, str) or not all(NAME.match(part) for part in path.split("/")) \
                or path.count("/") > 3 or path.split("/")[0] == "meta":
            raise BadEntry(_("“%(path)s” is not a field name.") % {"path": str(path)[:80]})
        if not isinstance(value, str | int | float) or isinstance(value, bool) or len(str(value)) > MAX_VALUE:
            raise BadEntry(_("The value of %(path)s is not text.") % {"path": path})
        if str(value).strip():
            clean[path] = str(value).strip()
    return instance_id, version, clean


def receive_entry(form_id: str, payload, user) -> services.Outcome:
    """An entry from the offline page, received as its instance over the `browser` channel. A path the form does
    not have is not dropped: the entry waits for review with those fields named."""
    instance_id, version, values = read_entry(form_id, payload)
    unknown = sorted(set(values) - forms()[form_id].field_paths())
    hold = _("Fields not in the form: %(fields)s.") % {"fields": ", ".join(unknown)} if unknown else ""
    xml = instance_xml(form_id, version, instance_id, values)
    return services.receive(xml, user=user, channel=Channel.BROWSER, hold=hold)
