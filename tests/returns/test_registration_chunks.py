"""The registrations import's chunks (issue 16: rows checked without model instances, needs parsed once per
distinct text, the rows written as tuples) give every row the outcome that the same rules one row at a time
give it: the same rows kept, the same lines refused with the same reasons, the same warnings; the records pass
`peaceops audit verify --records`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from peaceops.core import audit, record_state
from peaceops.core.models import Person, PersonName
from peaceops.intake import tabular
from peaceops.returns.imports import REGISTRATION_SPEC
from peaceops.returns.models import Household, HouseholdMember

NEXT_YEAR = timezone.localdate().year + 1
ROWS = f"""household,name,sex,birth_date,relationship,destination,vulnerabilities,registered_on
{{p}}-1,Անահիտ Սարգսյան,F,1950-03,head,Stepanakert,elderly,2020-11-12
{{p}}-1,Арам Саргсян,M,1985,son,Stepanakert,"disabled, wheelchair",2020-11-12
{{p}}-2,Mariam Grigoryan,F,1990-05-02,head,Martakert,flying,2020-11-13
{{p}}-3,Ani Petrosyan,F,1990-05-02,head,Martakert,flying,2020-11-13
{{p}}-4,Future Child,F,{NEXT_YEAR}-01-01,head,Martakert,,2020-11-13
{{p}}-5,Typo Born,M,1960-04-93,head,Martakert,elderly,
{{p}}-6,-----,M,1960,head,Martakert,,
{{p}}-7,Both Seats,F,1940,head,Martakert,"stretcher, wheelchair",
{{p}}-8,Lone Carer,F,1940,head,Martakert,carer,
{{p}}-9,Zara Avetisyan,U,,head,Askeran,ELDERLY,2021-01-02
"""


def _outcome(batch) -> tuple:
    refused = {row.line: sorted(row.errors) for row in batch.quarantined_rows.all()}
    warned = sorted((w.line, w.column, w.message) for w in batch.warnings.all())
    return batch.rows_saved, batch.rows_skipped, refused, warned


def test_a_chunk_refuses_and_keeps_each_row_as_one_row_at_a_time_does(db):
    one_by_one = tabular.ImportSpec(**{**REGISTRATION_SPEC.__dict__, "save_rows": None})
    slow = tabular.run_import(one_by_one, ROWS.format(p="S").encode(), "slow.csv", None)
    fast = tabular.run_import(REGISTRATION_SPEC, ROWS.format(p="F").encode(), "fast.csv", None)
    assert _outcome(fast) == _outcome(slow)
    saved, _skipped, refused, warned = _outcome(fast)
    assert saved == 5 and set(refused) == {4, 5, 8, 9, 10}
    assert refused[4] == refused[5] and "flying" in refused[4][0]  # the same bad needs, each row told
    assert 7 in [line for line, _c, _m in warned]  # 1960-04-93: kept as 1960-04, with a warning

    def stored(prefix: str) -> list[tuple]:
        households = Household.objects.filter(reference__startswith=f"{prefix}-").order_by("reference")
        return [(h.reference[1:], h.size, h.vulnerabilities, h.is_vulnerable, h.registered_on == dt.date(
                    2020, 11, 12), sorted((m.relationship, m.needs, m.seat_needs, PersonName.objects.get(
                        person_id=m.person_id).full_name, Person.objects.get(pk=m.person_id).birth_month)
                                          for m in HouseholdMember.objects.filter(household=h)))
                for h in households]

    assert stored("F") == stored("S")
    assert audit.verify().intact
    # `peaceops audit verify --records` flags none of the records imported (the batch's own progress row is
    # written by queryset updates, outside this issue, and is left out here).
    flagged = {c.model for c in record_state.changed_records().changed}
    assert not flagged & {"core.Person", "core.PersonName", "returns.Household", "returns.HouseholdMember"}, flagged
