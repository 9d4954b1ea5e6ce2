"""The reconciliation CSV carries names written by the other party: a name that reads as a formula is quoted,
and a list in our quoted form imports as it was written."""

from __future__ import annotations

import csv
import io

from peaceops.exchanges.services.reconcile import confirm, reconcile
from peaceops.exchanges.services.report import as_csv, party_rows

FORMULA = '=HYPERLINK("http://example.invalid","Aram")'
OURS = "reference,name,father_name,birth_date,sex\nA-1,Aram Petrosyan,Gagik,1995-03-02,M\nA-2,Ani Sargsyan,,1990,F\n"
THEIRS = ("reference,name,father_name,birth_date,sex\n"
          f'E-1,"{FORMULA.replace(chr(34), chr(34) * 2)}",Gagik,1995-03-02,M\n'
          "E-2,'-Ani Sargsyan,,1990,F\n")


def test_reconciliation_csv_quotes_the_other_sides_formula(make_list, world, users):
    ours = make_list(OURS, party="armenian-side", kind="you_hold")
    theirs = make_list(THEIRS, party="azerbaijani-side", kind="we_hold")
    # Our own quoted form comes in as written: the quote was ours, not part of the name.
    assert theirs.entries.get(reference="E-2").full_name == "-Ani Sargsyan"
    assert theirs.entries.get(reference="E-1").full_name == FORMULA
    rec = reconcile(ours, theirs)
    for decision in rec.decisions.filter(left_entry__reference="A-1", right_entry__reference="E-1"):
        confirm(decision, users["exchange_officer"])
    text = as_csv(party_rows(rec, world["parties"]["azerbaijani-side"]))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + FORMULA in cells and "'-Ani Sargsyan" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
