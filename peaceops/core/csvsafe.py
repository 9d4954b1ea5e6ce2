"""The one CSV writer every export uses, and the reader our imports use: cells cannot run as formulas.

A spreadsheet runs a cell that begins with =, +, -, @ (or a tab or carriage return) as a formula. Names and
notes in our exports come from outside (a party's list, a field form, a news article), so a cell such as
`=HYPERLINK("http://…","click")` would run on the reader's machine. OWASP's rule: prefix such a cell with a
single quote, which spreadsheets show as text and do not keep as part of the value.

The quote is reversible: `restore()` takes it off again, and the readers below do so, so our own exports read
back into PeaceOps as written. A cell that already begins with quotes before a trigger gets one more, so a
value such as `'=x` survives the round trip too. A plain number (-12, +4.5, -38.1234) is no formula and stays
as it is, so numeric columns keep their type.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _dangerous(text: str) -> bool:
    bare = text.lstrip(QUOTE)
    return bare.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(bare)


def neutralise(value):
    """The cell as written to a CSV file: text that a spreadsheet would run gets a leading quote."""
    if isinstance(value, str) and _dangerous(value):
        return QUOTE + value
    return value


def restore(value):
    """The cell as read back from a file `neutralise` wrote: the added quote taken off again."""
    if isinstance(value, str) and value.startswith(QUOTE) and _dangerous(value[1:]):
        return value[1:]
    return value


class writer:  # noqa: N801 — named like csv.writer, which it stands in for
    def __init__(self, out, *args, **kwargs):
        self._writer = csv.writer(out, *args, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter(csv.DictWriter):
    def writerow(self, rowdict: Mapping):
        return super().writerow({key: neutralise(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping]) -> None:
        for row in rowdicts:
            self.writerow(row)


class reader:  # noqa: N801 — named like csv.reader, which it stands in for
    """csv.reader with each cell restored; `line_num` as csv.reader's, for messages naming the line."""

    def __init__(self, lines, *args, **kwargs) -> None:
        self._rows = csv.reader(lines, *args, **kwargs)

    @property
    def line_num(self) -> int:
        return self._rows.line_num

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        row = next(self._rows)
        if QUOTE in "".join(row):  # only a row with a quote somewhere can hold a cell to restore
            return [restore(value) for value in row]
        return row


class DictReader(csv.DictReader):
    def __next__(self) -> dict:
        row = super().__next__()
        return {key: restore(value) if isinstance(value, str) else value for key, value in row.items()}
