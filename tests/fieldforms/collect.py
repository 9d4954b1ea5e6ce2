"""What ODK Collect does, for the tests: fill a form's primary instance from its own binds and choice lists, and
submit it as multipart/form-data with Basic authentication.

The filler reads the XForm as pyxform wrote it: each bind's type, `required` (true(), or the simple "/data/x =
''" and "!= ''" expressions our forms use), a lower bound from its constraint, and each select's itemset
(honouring a cascading filter such as item[incident_type = /data/incident_type]).
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
from copy import deepcopy

from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

X = "http://www.w3.org/2002/xforms"
H = "http://www.w3.org/1999/xhtml"
JR = "http://openrosa.org/javarosa"
NS = {"x": X, "h": H, "jr": JR}
REQUIRED_IF = re.compile(r"^\s*(/data/\S+)\s*(!?=)\s*''\s*$")
FILTER = re.compile(r"\[\s*(\w+)\s*=\s*(/data/\S+)\s*\]")


def _local(element) -> str:
    return etree.QName(element).localname


def _plain(element):
    """A copy without namespaces, as Collect serialises an instance."""
    copy = etree.Element(_local(element), {k: v for k, v in element.attrib.items() if not k.startswith("{")})
    copy.text = element.text
    for child in element:
        copy.append(_plain(child))
    return copy


def _nodes(root, path: str) -> list:
    nodes = [root]
    for part in path.strip("/").split("/")[1:]:
        nodes = [child for node in nodes for child in node if _local(child) == part]
    return nodes


def _value(root, path: str) -> str:
    found = _nodes(root, path)
    return (found[0].text or "") if found else ""


def _items(doc, model, ref: str, root) -> list[str]:
    control = doc.find(f".//h:body//*[@ref='{ref}']", NS)
    itemset = control.find("x:itemset", NS) if control is not None else None
    if itemset is None:
        return []
    nodeset = itemset.get("nodeset")
    name = re.search(r"instance\('([^']+)'\)", nodeset).group(1)
    instance = model.find(f"x:instance[@id='{name}']", NS)
    items = instance.findall("x:root/x:item", NS)
    if match := FILTER.search(nodeset):
        column, other = match.group(1), match.group(2)
        wanted = _value(root, other)
        items = [i for i in items if i.findtext(f"x:{column}", namespaces=NS) == wanted]
    return [i.findtext("x:name", namespaces=NS) for i in items]


def _required(bind, root) -> bool:
    rule = bind.get("required", "")
    if rule == "true()":
        return True
    if match := REQUIRED_IF.match(rule):
        empty = _value(root, match.group(1)) == ""
        return empty if match.group(2) == "=" else not empty
    return False


def _generated(kind: str, bind, choices: list[str], index: int) -> str:
    if choices:
        return choices[0]
    lower = re.search(r">=\s*(-?\d+)", bind.get("constraint", "").replace("&gt;", ">"))
    now = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=4)))
    return {
        "int": lower.group(1) if lower else "0",
        "decimal": lower.group(1) if lower else "1.5",
        "date": (now.date() - dt.timedelta(days=1)).isoformat(),
        "dateTime": (now - dt.timedelta(hours=1)).isoformat(timespec="milliseconds"),
        "geopoint": "39.8150 46.7519 1200.0 5.0",
    }.get(kind, f"Synthetic text {index}")


def fill(xform: str, values: dict[str, str] | None = None, repeats: dict[str, int] | None = None,
         instance_id: str | None = None, deprecated_id: str = "") -> tuple[bytes, str]:
    """An instance of the form, every required field filled from its binds; `values` by path ("/data/x") win."""
    values = values or {}
    doc = etree.fromstring(xform.encode())
    model = doc.find(".//x:model", NS)
    primary = next(i for i in model.findall("x:instance", NS) if i.get("id") is None)
    root = deepcopy(primary[0])
    for template in [e for e in root.iter() if e.get(f"{{{JR}}}template") is not None]:
        template.getparent().remove(template)
    for name, count in (repeats or {}).items():
        first = _nodes(root, f"/data/{name}")[0]
        for _i in range(count - 1):
            first.addnext(deepcopy(first))
    for bind in model.findall("x:bind", NS):
        path, kind = bind.get("nodeset"), bind.get("type", "string")
        if path.endswith("/meta/instanceID") or path.endswith("/meta/deprecatedID"):
            continue
        for index, node in enumerate(_nodes(root, path), 1):
            if path in values:
                node.text = values[path]
            elif not (node.text or "").strip() and _required(bind, root):
                node.text = _generated(kind, bind, _items(doc, model, path, root), index)
    plain = _plain(root)
    meta = plain.find("meta")
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    meta.find("instanceID").text = instance_id
    if deprecated_id:
        etree.SubElement(meta, "deprecatedID").text = deprecated_id
    return etree.tostring(plain, xml_declaration=True, encoding="UTF-8"), instance_id


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def submit(client, xml: bytes | None, username: str, password: str, files: dict[str, bytes] | None = None):
    """POST /openrosa/submission as Collect sends it: multipart, the instance as xml_submission_file."""
    data = {}
    if xml is not None:
        data["xml_submission_file"] = SimpleUploadedFile("submission.xml", xml, content_type="text/xml")
    for name, content in (files or {}).items():
        kind = "image/jpeg" if name.endswith(".jpg") else "application/octet-stream"
        data[name] = SimpleUploadedFile(name, content, content_type=kind)
    return client.post("/openrosa/submission", data, secure=True, HTTP_AUTHORIZATION=basic(username, password),
                       HTTP_X_OPENROSA_VERSION="1.0")
