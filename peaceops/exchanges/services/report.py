"""The reconciliation report sent to each party through the intermediary: only what concerns that party."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from peaceops.core import csvsafe
from peaceops.exchanges.models import DecisionStatus, Reconciliation


def party_rows(rec: Reconciliation, party) -> list[dict]:
    """One row per entry of `party`'s own list(s) in this reconciliation. The other side's unmatched entries,
    probabilities, case-file details and who decided are never included."""
    lists = [lst for lst in (rec.left_list, rec.right_list) if lst is not None and lst.party_id == party.pk]
    decisions = list(rec.decisions.select_related("left_entry", "right_entry"))
    rows = []
    for own in lists:
        own_is_left = own.pk == rec.left_list_id
        for entry in own.entries.all():
            mine = [d for d in decisions if (d.left_entry_id if own_is_left else d.right_entry_id) == entry.pk]
            confirmed = next((d for d in mine if d.status == DecisionStatus.CONFIRMED), None)
            other = None
            if confirmed is not None:
                outcome = _("found")
                other = confirmed.right_entry if own_is_left else confirmed.left_entry
            elif any(d.status == DecisionStatus.PROPOSED for d in mine):
                outcome = _("under review")
            else:
                outcome = _("not found")
            rows.append({
                "line": entry.line, "reference": entry.reference, "name": entry.full_name,
                "birth_date": entry.birth_date, "outcome": outcome,
                "other_reference": other.reference if other else "",
                "other_name": other.full_name if other else "",
            })
    return rows


COLUMNS = [("line", "line"), ("reference", "reference"), ("name", "name as written"),
           ("birth_date", "birth date"), ("outcome", "outcome"), ("other_reference", "other side's reference"),
           ("other_name", "name as written by the other side")]


def headers() -> list[str]:
    return [_(label) for _key, label in COLUMNS]


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(headers())
    for row in rows:
        writer.writerow([row[key] for key, _label in COLUMNS])
    return out.getvalue()
