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


def summary(as_of: dt.date) -> Summary:
    end = ReportingPeriod.ending_on(as_of).end
    result = Summary(as_of)
    handed = (Handover.objects.filter(event__status=EventStatus.COMPLETED, event__subject=EventSubject.DETAINEES,
                                      handed_at__lt=end)
              .values("from_party__label", "to_party__label").annotate(n=Count("id")))
    result.exchanged = {(row["from_party__label"], row["to_party__label"]): row["n"] for row in handed}
    result.remains_exchanged = Handover.objects.filter(event__status=EventStatus.COMPLETED,
                                                       event__subject=EventSubject.REMAINS, handed_at__lt=end).count()
    remains = RemainsCase.objects.all()
    result.remains_recovered = remains.filter(recovered_on__lte=as_of).count()
    result.remains_received = remains.filter(received_on__lte=as_of).count()
    identified = Q(identification_status=Identification.IDENTIFIED, identified_on__lte=as_of)
    result.remains_identified = remains.filter(identified).count()
    result.remains_dna_pending = remains.filter(dna_required=True, recovered_on__lte=as_of).exclude(identified).count()
    result.remains_handed_over = remains.filter(handed_over_on__lte=as_of).count()
    result.detained = DetentionCase.objects.filter(
        Q(detained_on__lte=as_of) | Q(detained_on=None)).filter(Q(released_on=None) | Q(released_on__gt=as_of)).count()
    result.missing_open = MissingCase.objects.filter(reported_on__lte=as_of).filter(
        Q(closed_on=None) | Q(closed_on__gt=as_of)).count()
    result.exchange_prepared = (ExchangeEvent.objects.filter(agreed_on__lte=as_of, date__gt=as_of,
                                                             subject=EventSubject.DETAINEES)
                                .order_by("date").first())
    return result
