"""Aggregate figures as of a day: for the command line, the sitrep and the public page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from peaceops.core.reporting import ReportingPeriod
from peaceops.exchanges.models import (
    DetentionCase,
    EventStatus,
    EventSubject,
    ExchangeEvent,
    Handover,
    Identification,
    MissingCase,
    RemainsCase,
)


@dataclass
class Summary:
    as_of: dt.date
    exchanged: dict[tuple[str, str], int] = field(default_factory=dict)  # (from label, to label) → persons
    remains_recovered: int = 0
    remains_received: int = 0
    remains_identified: int = 0
    remains_dna_pending: int = 0
    remains_handed_over: int = 0
    remains_exchanged: int = 0
    detained: int = 0
    missing_open: int = 0
    exchange_prepared: ExchangeEvent | None = None

    @property
    def exchanged_total(self) -> int:
        return sum(self.exchanged.values())


def case_states(as_of: dt.date) -> dict[str, dict[str, Q]]:
    """Per case kind, the states the summary counts as of a day: the summary and the filtered case lists
    (where a sitrep figure links) use the same conditions, so a list's length is the figure."""
    identified = Q(identification_status=Identification.IDENTIFIED, identified_on__lte=as_of)
    return {
        "remains": {
            "recovered": Q(recovered_on__lte=as_of),
            "received": Q(received_on__lte=as_of),
            "identified": identified,
            "dna_pending": Q(dna_required=True, recovered_on__lte=as_of) & ~identified,
            "handed_over": Q(handed_over_on__lte=as_of),
            # identified by DNA in the seven days ending on `as_of` (the sitrep's weekly figure)
            "dna_week": Q(identification_status=Identification.IDENTIFIED, identification_method="dna",
                          identified_on__gt=as_of - dt.timedelta(days=7), identified_on__lte=as_of),
        },
        "detention": {"held": (Q(detained_on__lte=as_of) | Q(detained_on=None))
                      & (Q(released_on=None) | Q(released_on__gt=as_of))},
        "missing": {"open": Q(reported_on__lte=as_of) & (Q(closed_on=None) | Q(closed_on__gt=as_of))},
    }


def handovers_by(as_of: dt.date, subject: str = EventSubject.DETAINEES) -> Q:
    """Handovers of completed events made before the end of the reporting day `as_of`."""
    end = ReportingPeriod.ending_on(as_of).end
    return Q(event__status=EventStatus.COMPLETED, event__subject=subject, handed_at__lt=end)


def agreed_pending(as_of: dt.date) -> Q:
    """Exchanges of detainees agreed by `as_of` and not yet carried out."""
    return Q(agreed_on__lte=as_of, date__gt=as_of, subject=EventSubject.DETAINEES)


def summary(as_of: dt.date) -> Summary:
    result = Summary(as_of)
    handed = (Handover.objects.filter(handovers_by(as_of))
              .values("from_party__label", "to_party__label").annotate(n=Count("id")))
    result.exchanged = {(row["from_party__label"], row["to_party__label"]): row["n"] for row in handed}
    result.remains_exchanged = Handover.objects.filter(handovers_by(as_of, EventSubject.REMAINS)).count()
    states = case_states(as_of)
    remains = RemainsCase.objects.all()
    result.remains_recovered = remains.filter(states["remains"]["recovered"]).count()
    result.remains_received = remains.filter(states["remains"]["received"]).count()
    result.remains_identified = remains.filter(states["remains"]["identified"]).count()
    result.remains_dna_pending = remains.filter(states["remains"]["dna_pending"]).count()
    result.remains_handed_over = remains.filter(states["remains"]["handed_over"]).count()
    result.detained = DetentionCase.objects.filter(states["detention"]["held"]).count()
    result.missing_open = MissingCase.objects.filter(states["missing"]["open"]).count()
    result.exchange_prepared = ExchangeEvent.objects.filter(agreed_pending(as_of)).order_by("date").first()
    return result
