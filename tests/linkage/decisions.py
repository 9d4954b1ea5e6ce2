"""Officers' past decisions, written straight into the decision tables (synthetic people, fixed reasons)."""

from __future__ import annotations

import datetime as dt
import itertools

from peaceops.core.models import Person
from peaceops.exchanges.models import TracingMatch, TracingRequest
from peaceops.returns.models import DuplicateProposal

LEVELS = {  # the labels the engine stores with a proposal's reasons (peaceops.linkage.model)
    "exact": "exact (after transliteration)",
    "transposed": "day and month transposed",
    "exact_date": "exact date",
    "same": "same",
}
_serial = itertools.count(1)


def reasons(birth_date: str = "exact date") -> list[dict]:
    return [{"field": "surname", "level": LEVELS["exact"], "weight": 7.0, "agrees": True, "left": "x", "right": "x"},
            {"field": "given_name", "level": LEVELS["exact"], "weight": 6.0, "agrees": True, "left": "y", "right": "y"},
            {"field": "birth_date", "level": birth_date, "weight": 1.0, "agrees": True, "left": "", "right": ""},
            {"field": "sex", "level": "same", "weight": 1.0, "agrees": True, "left": "M", "right": "M"},
            {"field": "an_extra_column", "level": "exact", "weight": 1.0, "agrees": True, "left": "", "right": ""}]


def registry_decision(probability: float, status: str, birth_date: str = "exact date") -> DuplicateProposal:
    a, b = (Person.objects.create(sex="M", notes=f"synthetic {next(_serial)}") for _i in range(2))
    return DuplicateProposal.objects.create(left_id=min(a.pk, b.pk), right_id=max(a.pk, b.pk),
                                            probability=probability, status=status, explanation=reasons(birth_date))


def tracing_decision(probability: float, status: str) -> TracingMatch:
    request = TracingRequest.objects.create(sought_name="Synthetic Person", requested_by="a relative",
                                            contact="hotline", received_on=dt.date(2020, 12, 1))
    person = Person.objects.create(sex="F", notes="synthetic")
    return TracingMatch.objects.create(request=request, person=person, found_in="missing case", status=status,
                                       probability=probability, reasons=reasons())
