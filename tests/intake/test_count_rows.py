"""The progress bar's total (`count_rows`, read without restoring each cell) is the number of rows the import
then reads (`read_table(...).rows`), whatever the file holds: blank rows, an HXL row, quoted line breaks, cells
that only csvsafe's quote keeps from reading empty."""

from __future__ import annotations

import pytest

from peaceops.intake.tabular import count_rows, read_table

FILES = {
    "plain.csv": "name,age\nAnna,3\n\nBoris,4\n",
    "hxl.csv": "name,age\n#affected+name,#affected+age\nAnna,3\n,\n",
    "quoted.csv": 'name,note\n"Anna","two\nlines"\n"",""\nBoris,x\n',
    "neutralised.csv": "name,note\n'\t,\n'=1+1,\n' ,\nAnna,'-5\n'\r,'\t\n",
    "semicolons.csv": "name;age\nAnna;3\n;\nBoris;4\n",
    "tags-only.hxl": "#affected+name,#affected+age\nAnna,3\n",
}


@pytest.mark.parametrize("filename", sorted(FILES))
def test_the_count_is_the_rows_the_import_reads(filename):
    data = FILES[filename].encode()
    assert count_rows(data, filename) == sum(1 for _row in read_table(data, filename).rows)


def test_a_cell_that_reads_empty_once_restored_is_not_counted():
    data = b"name,note\n'\t,\nAnna,x\n"
    assert [cells for _n, cells in read_table(data, "q.csv").rows] == [["Anna", "x"]]
    assert count_rows(data, "q.csv") == 1
