"""Writing and checking HXL-tagged CSV (a header row, then a hashtag row, then data)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from peaceops.core import csvsafe


def write_hxl_csv(columns: list[tuple[str, str]], rows: Iterable[Iterable[object]]) -> str:
    """`columns` are (header, hashtag) pairs; values are written as given (dates already ISO 8601)."""
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\n")
    writer.writerow([header for header, _ in columns])
    writer.writerow([tag for _, tag in columns])
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return out.getvalue()


def read_hxl(text: str):
    """Parse HXL CSV text with libhxl (raises if libhxl finds no hashtag row): (hashtags, rows of values)."""
    import hxl

    dataset = hxl.data(io.BytesIO(text.encode("utf-8")))
    return [column.display_tag for column in dataset.columns], [[csvsafe.restore(v) for v in row]
                                                                  for row in dataset.values]
