"""Reading a submitted instance: its form id, version, instanceID, deprecatedID and its values.

An instance is the XML ODK Collect, Enketo or KoboToolbox sends: the root element carries the form's `id` and
`version`, `meta/instanceID` names this filling of the form and `meta/deprecatedID` the earlier one it edits.
Namespaces are ignored (Enketo writes `orx:meta`). The parser resolves no entities and fetches nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_comments=True, remove_pis=True)


class InstanceError(ValueError):
    """The submission cannot be read as an instance: the message says why, for the review queue."""


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _tree(element) -> dict:
    """Children as a dict: a leaf is its text, a group a dict, a repeated element a list of dicts."""
    return fold((name, _tree(child) if len(child) else (child.text or "").strip())
                for child in element if (name := _local(child.tag)))


def fold_in(out: dict, repeated: set, name: str, value) -> None:
    """One (name, value) pair into `out`; a name met again makes its value a list (a repeat), its name then kept
    in `repeated`."""
    if name in repeated:
        out[name].append(value)
    elif name in out:
        out[name] = [out[name], value]
        repeated.add(name)
    else:
        out[name] = value


def fold(children) -> dict:
    """(name, value) pairs in document order as a dict; a name met again makes its value a list (a repeat)."""
    out: dict = {}
    repeated: set[str] = set()
    for name, value in children:
        fold_in(out, repeated, name, value)
    return out


def leaf_paths(data: dict, prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for name, value in data.items():
        path = f"{prefix}{name}"
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict):
                paths |= leaf_paths(item, path + "/")
            else:
                paths.add(path)
    return paths


@dataclass
class Instance:
    form_id: str
    version: str
    instance_id: str
    deprecated_id: str
    data: dict = field(default_factory=dict)

    @property
    def values(self) -> Values:
        return Values(self.data)


def parse(xml: bytes) -> Instance:
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InstanceError(_("The submission is not well-formed XML: %(error)s") % {"error": exc}) from None
    if root is None:
        raise InstanceError(_("The submission is empty."))
    return instance_of(_tree(root), root.get("id") or "", root.get("version") or "", root.get("instanceID") or "")


def instance_of(data: dict, form_id: str, version: str = "", root_instance_id: str = "") -> Instance:
    """The instance whose root element carries these attributes and whose children read as `data` (`_tree`'s
    dict, meta included): what `parse` makes of the XML, for a reader that never had XML (an export's row)."""
    meta = data.pop("meta", {}) if isinstance(data.get("meta"), dict) else {}
    instance_id = (meta.get("instanceID") or root_instance_id or "").strip()
    if not instance_id:
        raise InstanceError(_("The submission has no meta/instanceID; every form PeaceOps ships sets one."))
    form_id = form_id.strip()
    if not form_id:
        raise InstanceError(_("The submission's root element names no form (its id attribute is missing)."))
    return Instance(form_id=form_id, version=version.strip(), instance_id=instance_id[:100],
                    deprecated_id=str(meta.get("deprecatedID") or "").strip()[:100], data=data)


class Values:
    """Typed access to an instance's values by XLSForm path ("casualties/killed_civilian"); each reader raises a
    ValueError naming the field and what it holds, which the caller turns into a review reason."""

    def __init__(self, data: dict):
        self.data = data

    def text(self, path: str) -> str:
        node = self.data
        for part in path.split("/"):
            if not isinstance(node, dict):
                return ""
            node = node.get(part, "")
        if isinstance(node, list):
            node = node[0] if node else ""
        return node.strip() if isinstance(node, str) else ""

    def integer(self, path: str, default: int | None = 0) -> int | None:
        raw = self.text(path)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            raise FieldValueError(path, _("“%(value)s” is not a whole number.") % {"value": raw}) from None

    def decimal(self, path: str) -> float | None:
        raw = self.text(path)
        if not raw:
            return None
        try:
            return float(raw)
        except ValueError:
            raise FieldValueError(path, _("“%(value)s” is not a number.") % {"value": raw}) from None

    def datetime(self, path: str) -> dt.datetime | None:
        raw = self.text(path)
        if not raw:
            return None
        value = parse_datetime(raw)
        if value is None:
            raise FieldValueError(path, _("“%(value)s” is not a date and time.") % {"value": raw})
        if value.tzinfo is None:
            from django.utils import timezone
            value = timezone.make_aware(value)
        return value

    def date(self, path: str) -> dt.date | None:
        raw = self.text(path)
        if not raw:
            return None
        value = parse_date(raw[:10])
        if value is None:
            raise FieldValueError(path, _("“%(value)s” is not a date.") % {"value": raw})
        return value

    def geopoint(self, path: str) -> tuple[float, float] | None:
        raw = self.text(path)
        if not raw:
            return None
        parts = raw.split()
        try:
            return float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            raise FieldValueError(path, _("“%(value)s” is not a point (latitude longitude).")
                                  % {"value": raw}) from None

    def words(self, path: str) -> list[str]:
        return self.text(path).split()

    def repeat(self, path: str) -> list[Values]:
        node = self.data.get(path, [])
        items = node if isinstance(node, list) else [node]
        return [Values(item) for item in items if isinstance(item, dict)]


class FieldValueError(ValueError):
    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
