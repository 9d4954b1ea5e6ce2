"""The one HXL writer (and reader): a header row for people, a hashtag row for machines, then the data.

Every HXL export (incidents, returns per settlement, the 3W and service status, the public aggregates) writes
through `write_hxl`, so the layout, the line ending and the formula guard of `peaceops.core.csvsafe` are the same
in all of them. Django-free: importing it sets nothing up.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from peaceops.core import csvsafe

Column = tuple[str, str]  # (header, hashtag)


def write_hxl(out, columns: Sequence[Column], rows: Iterable[Iterable[object]]) -> int:
    """Write `columns`' headers, their hashtags, then `rows` to the text file `out`; the number of data rows.
    Values are written as given (dates already ISO 8601); None is an empty cell."""
    writer = csvsafe.writer(out, lineterminator="\n")
    writer.writerow([header for header, _tag in columns])
    writer.writerow([tag for _header, tag in columns])
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    return count


def hxl_text(columns: Sequence[Column], rows: Iterable[Iterable[object]]) -> str:
    """`write_hxl` into a string."""
    out = io.StringIO()
    write_hxl(out, columns, rows)
    return out.getvalue()


def read_hxl(text: str):
    """Parse HXL CSV text with libhxl (raises if libhxl finds no hashtag row): (hashtags, rows of values)."""
    import hxl

    dataset = hxl.data(io.BytesIO(text.encode("utf-8")))
    return [column.display_tag for column in dataset.columns], [[csvsafe.restore(v) for v in row]
                                                                  for row in dataset.values]
