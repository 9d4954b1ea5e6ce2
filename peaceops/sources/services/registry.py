"""What PeaceOps itself holds for a claim's kind, day and place, read through the other modules' services
(returned as of D, convoys arrived, violation counts, posts manned, the exchanges summary). Nothing is counted
here that a module already counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_noop as _

from peaceops.core import mission
from peaceops.core.reporting import ReportingPeriod

ONE_DAY = dt.timedelta(days=1)
# Monitors' counts are lower bounds: a claim above them is a lead for the monitors, not a falsehood.
LOWER_BOUND_KINDS = ("violations", "killed", "wounded")


@dataclass(frozen=True)
class Registered:
    low: int  # a running total during the day runs from low (at its start) to high (at its end)
    high: int
    what: str  # what PeaceOps counted: an English message id, translated when the reason is shown
    alternatives: tuple[tuple[tuple[str, dict], int], ...] = ()  # other readings (message id, its values), count


class Registry:
    """One cross-check run: figures are asked for many times (every claim of a day), computed once each."""

    def figure(self, kind: str, period: str, as_of: dt.date, since: dt.date | None,
               district_id: int | None) -> Registered | None:
        reader = getattr(self, f"_{kind}", None)
        if reader is None:
            return None
        return reader(period, as_of, since, district_id)

    # returns ------------------------------------------------------------------------------------------------
    @lru_cache(maxsize=4096)  # noqa: B019 - one Registry per check run, dropped after it
    def _returned_by_end_of(self, day: dt.date) -> int:
        from peaceops.returns.services import returned_as_of

        return returned_as_of(day).total

    def _returned(self, period, as_of, since, district_id):
        if period == "day":
            n = self._returned_by_end_of(as_of) - self._returned_by_end_of(as_of - ONE_DAY)
            return Registered(n, n, _("people registered as returned that day"))
        before = self._returned_by_end_of(since - ONE_DAY) if since else 0
        low = self._returned_by_end_of(as_of - ONE_DAY) - before
        high = self._returned_by_end_of(as_of) - before
        return Registered(low, high, _("people registered as returned in total"))

    @lru_cache(maxsize=4096)  # noqa: B019
    def _convoys_between(self, first: dt.date, last: dt.date):
        from peaceops.returns.services.convoys import arrived_between

        return arrived_between(first, last)

    def _convoy_figure(self, attribute: str, what: str, period, as_of, since):
        if period == "day":
            n = getattr(self._convoys_between(as_of, as_of), attribute)
            return Registered(round(n), round(n), what)
        first = since or mission.ceasefire_start()
        low = getattr(self._convoys_between(first, as_of - ONE_DAY), attribute) if as_of > first else 0
        high = getattr(self._convoys_between(first, as_of), attribute)
        return Registered(round(low), round(high), what)

    def _buses(self, period, as_of, since, district_id):
        return self._convoy_figure("buses", _("buses in convoys that arrived"), period, as_of, since)

    def _convoys(self, period, as_of, since, district_id):
        return self._convoy_figure("convoys", _("convoys that arrived"), period, as_of, since)

    def _cargo_tonnes(self, period, as_of, since, district_id):
        return self._convoy_figure("cargo_tonnes", _("tonnes of cargo delivered"), period, as_of, since)

    # ceasefire ----------------------------------------------------------------------------------------------
    def _observation_posts(self, period, as_of, since, district_id):
        from peaceops.ceasefire.counts import posts_manned

        n = posts_manned(as_of)
        return Registered(n, n, _("observation posts manned that day"))

    @lru_cache(maxsize=4096)  # noqa: B019
    def _violations_between(self, first: dt.date, last: dt.date, district_id: int | None) -> int:
        from peaceops.ceasefire.counts import daily_rows

        return sum(n for _d, district, _k, n in daily_rows(first, last)
                   if district_id is None or district == district_id)

    def _violations(self, period, as_of, since, district_id):
        what = _("violations recorded by the monitors")
        if period == "day":
            n = self._violations_between(as_of, as_of, district_id)
            return Registered(n, n, what)
        first = max(since or mission.ceasefire_start(), mission.ceasefire_start())
        low = self._violations_between(first, as_of - ONE_DAY, district_id) if as_of > first else 0
        return Registered(low, self._violations_between(first, as_of, district_id), what)

    def _casualties(self, index: int, what: str, period, as_of, since, district_id):
        from peaceops.ceasefire.counts import casualties_between

        first = as_of if period == "day" else max(since or mission.ceasefire_start(), mission.ceasefire_start())
        high = casualties_between(first, as_of, district_id)[index]
        low = high if period == "day" or as_of <= first else casualties_between(first, as_of - ONE_DAY,
                                                                                 district_id)[index]
        return Registered(low, high, what)

    def _killed(self, period, as_of, since, district_id):
        return self._casualties(0, _("killed in incidents the monitors recorded"), period, as_of, since,
                                district_id)

    def _wounded(self, period, as_of, since, district_id):
        return self._casualties(1, _("injured in incidents the monitors recorded"), period, as_of, since,
                                district_id)

    # exchanges ----------------------------------------------------------------------------------------------
    @lru_cache(maxsize=4096)  # noqa: B019
    def _exchange_summary(self, day: dt.date):
        from peaceops.exchanges.services.summary import summary

        return summary(day)

    def _from_summary(self, read, what, period, as_of, since, alternatives=None):
        today, yesterday = self._exchange_summary(as_of), self._exchange_summary(as_of - ONE_DAY)
        base = self._exchange_summary(since - ONE_DAY) if since and period == "cumulative" else None
        if period == "day":
            n = read(today) - read(yesterday)
            alts = tuple((label, a - b) for (label, a), (_l, b) in zip(alternatives(today), alternatives(yesterday),
                                                                        strict=True)) if alternatives else ()
            return Registered(n, n, what, alts)
        offset = read(base) if base else 0
        before = {repr(label): n for label, n in alternatives(base)} if base and alternatives else {}
        alts = tuple((label, a - before.get(repr(label), 0)) for label, a in alternatives(today)) \
            if alternatives else ()
        return Registered(read(yesterday) - offset, read(today) - offset, what, alts)

    def _prisoners_exchanged(self, period, as_of, since, district_id):
        def directions(s):
            return [((_("from %(a)s to %(b)s"), {"a": a, "b": b}), n) for (a, b), n in sorted(s.exchanged.items())]

        return self._from_summary(lambda s: s.exchanged_total, _("people exchanged in recorded handovers"),
                                  period, as_of, since, directions)

    def _remains_recovered(self, period, as_of, since, district_id):
        return self._from_summary(lambda s: s.remains_recovered, _("remains recovered"), period, as_of, since)

    def _remains_handed_over(self, period, as_of, since, district_id):
        def readings(s):
            return [((_("handed over between the parties"), {}), s.remains_exchanged)]

        return self._from_summary(lambda s: s.remains_handed_over, _("remains handed over to families"),
                                  period, as_of, since, readings)


def reporting_day_of(instant: dt.datetime) -> dt.date:
    return ReportingPeriod.containing(instant).day
