"""Reading CSV, XLSX and HXL files into numbered rows: [(line number, {column: text})].

Columns are named by their HXL hashtag when the file has a hashtag row (normalised, see hxl.normalise_tag),
otherwise by their lower-cased header. Line numbers are those a person sees in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peaceops.restoration.services.hxl import normalise_tag


def _is_hashtag_row(row: list[str]) -> bool:
    cells = [c.strip() for c in row if c and c.strip()]
    return bool(cells) and all(c.startswith("#") for c in cells)


def rows_from_matrix(matrix: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    matrix = [[("" if c is None else str(c)).strip() for c in row] for row in matrix]
    if not matrix:
        return []
    # HXL: the hashtag row is the first or second row (after a human header).
    tag_index = next((i for i in range(min(2, len(matrix))) if _is_hashtag_row(matrix[i])), None)
    if tag_index is not None:
        keys = [normalise_tag(c) for c in matrix[tag_index]]
        body_start = tag_index + 1
    else:
        keys = [c.lower() for c in matrix[0]]
        body_start = 1
    rows = []
    for offset, row in enumerate(matrix[body_start:], start=body_start + 1):
        if not any(row):
            continue
        rows.append((offset, {k: v for k, v in zip(keys, row, strict=False) if k}))
    return rows


def read_table(path: str | Path, content: bytes | None = None) -> list[tuple[int, dict[str, str]]]:
    path = Path(path)
    suffix = path.suffix.lower()
    data = content if content is not None else path.read_bytes()
    if suffix in (".xlsx", ".xlsm"):
        from zipfile import BadZipFile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
            raise ValidationError(_("“%(name)s” is not a readable XLSX workbook: %(error)s")
                                  % {"name": path.name, "error": exc}) from None
        matrix = [["" if v is None else (v.date().isoformat() if hasattr(v, "date") else str(v)) for v in row]
                  for row in sheet.iter_rows(values_only=True)]
        return rows_from_matrix(matrix)
    if suffix in (".csv", ".hxl", ".txt", ""):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("“%(name)s” is not UTF-8 text.") % {"name": path.name}) from None
        return rows_from_matrix(list(csv.reader(io.StringIO(text))))
    raise ValidationError(_("Cannot read “%(name)s”: give a CSV, XLSX or HXL file.") % {"name": path.name})
