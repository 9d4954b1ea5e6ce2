"""Public aggregates as HXL-tagged CSV: one row per figure or numeric table cell of each published report."""

from __future__ import annotations

import io

from django.utils.text import slugify

from peaceops.core import csvsafe
from peaceops.core import hxl as core_hxl
from peaceops.reports import content as sitrep_content
from peaceops.reports import disclosure
from peaceops.reports.models import Sitrep

HEADERS = ["Date", "Version", "Section", "Indicator code", "Indicator", "Value", "Change since previous day",
           "Suppressed"]
TAGS = ["#date", "#meta+version", "#sector+code", "#indicator+code", "#indicator+name", "#indicator+num",
        "#indicator+num+change", "#meta+suppressed"]
# libhxl checks the file against this before it is offered for download (tests do the same).
SCHEMA = [["#valid_tag", "#valid_required", "#valid_datatype"],
          ["#date", "true", "date"], ["#indicator+code", "true", ""], ["#indicator+num", "", "number"],
          ["#indicator+num+change", "", "number"]]


def latest_published_versions(day=None) -> list[Sitrep]:
    """The newest published version of each day (a correction replaces what it corrects)."""
    rows = Sitrep.objects.published().order_by("day", "-version")
    if day is not None:
        rows = rows.filter(day=day)
    chosen: dict = {}
    for sitrep in rows:
        chosen.setdefault(sitrep.day, sitrep)
    return list(chosen.values())


def _number(value) -> str:
    if value is None or isinstance(value, str):
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _slug(text) -> str:
    """A code part: lower case, words joined by "_", any script kept (a place's name is its identity)."""
    return slugify(str(text), allow_unicode=True).replace("-", "_") or "_"


def indicator_code(section: str, *parts) -> str:
    """"returns.by_destination.stepanakert.people": the section once, then dotted parts with no spaces.
    Modules key figures and tables "section.name" already; the section is not repeated."""
    codes = [section]
    for index, part in enumerate(parts):
        text = str(part)
        if index == 0 and text.startswith(f"{section}."):
            text = text[len(section) + 1:]
        codes += [_slug(piece) for piece in text.split(".")] if index == 0 else [_slug(text)]
    return ".".join(codes)


def _cells(*values) -> list[str]:
    """Numbers as HXL cells, and the "Suppressed" flag ("<5" or "x") when any of them was hidden."""
    hidden = [v for v in values if disclosure.is_hidden(v)]
    return [*(_number(v) for v in values), hidden[0] if hidden else ""]


def hxl_rows(sitreps: list[Sitrep]) -> list[list[str]]:
    """Every cell comes from the public view of a published version (peaceops.reports.disclosure)."""
    rows: list[list[str]] = []
    for sitrep in sitreps:
        view = sitrep_content.public_view(sitrep.content)
        for section in view["sections"]:
            key = section["key"]
            for f in section["figures"]:
                rows.append([view["day"], str(sitrep.version), key, indicator_code(key, f["key"]), f["label"],
                             *_cells(f["value"], f.get("change"))])
            for table in section["tables"]:
                for row in table["rows"]:
                    people = table.get("people_columns", [])
                    for index, cell in enumerate(row[1:], start=1):
                        if not disclosure.is_count(cell) and not (index in people and disclosure.is_hidden(cell)):
                            continue
                        column = table["columns"][index] if index < len(table["columns"]) else str(index)
                        rows.append([view["day"], str(sitrep.version), key,
                                     indicator_code(key, table["key"], row[0], column),
                                     f"{table['title']} — {row[0]} — {column}", *_cells(cell, None)])
    return rows


def hxl_csv(sitreps: list[Sitrep]) -> str:
    return core_hxl.hxl_text(list(zip(HEADERS, TAGS, strict=True)), hxl_rows(sitreps))


def validate(text: str) -> list[str]:
    """Problems libhxl finds in an HXL CSV (empty when it is valid)."""
    import hxl

    problems: list[str] = []
    schema = hxl.schema(SCHEMA, callback=lambda error: problems.append(f"{error.message}: {error.value!r}"))
    dataset = hxl.data(list(csvsafe.reader(io.StringIO(text))))
    if not schema.validate(dataset) and not problems:
        problems.append("invalid HXL")
    return problems
