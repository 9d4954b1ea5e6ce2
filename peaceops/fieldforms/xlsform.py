"""XLSForms written from Python rows, in English and Russian, and their XForms (pyxform).

A form is a list of survey rows and a list of choices, as the XLSForm standard names its columns. Labels, hints
and messages are lazy translations: each is written once per language (`label::English (en)`,
`label::Russian (ru)`), so a form follows the models' own vocabularies and their translations.

The version is a digest of what the form says (rows and choices in every language), so it changes exactly when
the models' vocabularies or the gazetteer change, and never between two exports of the same form.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

LANGUAGES = (("en", "English (en)"), ("ru", "Russian (ru)"))
TRANSLATED = ("label", "hint", "constraint_message", "required_message")
SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "required_message", "relevant", "constraint",
                  "constraint_message", "choice_filter", "appearance", "default", "calculation", "parameters")


@dataclass(frozen=True)
class Built:
    """One form as shipped: its XLSForm rows, its version, and the XForm Collect downloads."""

    form_id: str
    title: str
    version: str
    survey: tuple
    choices: tuple
    choice_columns: tuple[str, ...]

    @property
    def xform(self) -> str:
        key = (self.form_id, self.version)
        if key not in _XFORMS:  # converting takes pyxform a moment, and the formList asks for every form's hash
            if len(_XFORMS) > 64:
                _XFORMS.clear()
            _XFORMS[key] = to_xform(self.xlsx_bytes())
        return _XFORMS[key]

    @property
    def md5(self) -> str:
        return hashlib.md5(self.xform.encode()).hexdigest()

    def xlsx_bytes(self) -> bytes:
        return _xlsx(self.form_id, self.title, self.version, self.survey, self.choices, self.choice_columns)


def _texts(value) -> dict[str, str]:
    """A (lazy) string in every language of the forms."""
    out = {}
    for code, column in LANGUAGES:
        with translation.override(code):
            out[column] = str(value)
    return out


def _flatten(rows: list[dict], columns: tuple[str, ...]) -> tuple[tuple[tuple[str, str], ...], ...]:
    flat = []
    for row in rows:
        cells: list[tuple[str, str]] = []
        for key in columns:
            value = row.get(key)
            if value in (None, ""):
                continue
            if key in TRANSLATED:
                cells.extend((f"{key}::{lang}", text) for lang, text in _texts(value).items())
            else:
                cells.append((key, str(value)))
        flat.append(tuple(cells))
    return tuple(flat)


def build(form_id: str, title, survey: list[dict], choices: list[dict]) -> Built:
    # A list the database has nothing for yet (no facility registered) still makes a valid form; choosing the
    # placeholder is refused on submission with the reason.
    used = {row["type"].split()[1] for row in survey if row["type"].startswith(("select_one ", "select_multiple "))}
    missing = sorted(used - {c["list_name"] for c in choices})
    choices = [*choices, *({"list_name": name, "name": "none", "label": gettext_lazy("(none registered yet)")}
                           for name in missing)]
    choice_columns = ("list_name", "name", "label", *sorted({k for c in choices for k in c} -
                                                             {"list_name", "name", "label"}))
    flat_survey = _flatten(survey, SURVEY_COLUMNS)
    flat_choices = _flatten(choices, choice_columns)
    title_text = _texts(title)["English (en)"]
    digest = hashlib.sha256(json.dumps([form_id, title_text, flat_survey, flat_choices],
                                       ensure_ascii=False).encode()).hexdigest()
    return Built(form_id=form_id, title=title_text, version=digest[:12], survey=flat_survey,
                 choices=flat_choices, choice_columns=choice_columns)


def _header(rows: tuple, base: tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    for key in base:
        names = [f"{key}::{lang}" for _code, lang in LANGUAGES] if key in TRANSLATED else [key]
        for name in names:
            if any(name == cell[0] for row in rows for cell in row) and name not in seen:
                seen.append(name)
    return seen


def _sheet(workbook: Workbook, title: str, rows: tuple, base: tuple[str, ...], first: bool = False) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    header = _header(rows, base)
    sheet.append(header)
    for row in rows:
        cells = dict(row)
        sheet.append([cells.get(name, "") for name in header])


def _xlsx(form_id: str, title: str, version: str, survey: tuple, choices: tuple,
          choice_columns: tuple[str, ...]) -> bytes:
    workbook = Workbook()
    _sheet(workbook, "survey", survey, SURVEY_COLUMNS, first=True)
    _sheet(workbook, "choices", choices, choice_columns)
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "instance_name"])
    settings.append([title, form_id, version, LANGUAGES[0][1], ""])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


_XFORMS: dict[tuple[str, str], str] = {}


def to_xform(xlsx: bytes) -> str:
    """An XLSForm converted by pyxform (ODK Validate needs Java; the tests convert every form without it)."""
    from pyxform.xls2xform import convert

    return convert(xlsform=xlsx, file_type=".xlsx", form_name="data", validate=False).xform
