"""The daily report's section "What was said, and what we recorded": the claims about that day with their
verdicts. Staff only (public=False): a party's unverified claim is never shown to the public as a fact."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peaceops.core.reporting import ReportingPeriod, SitrepSection, Table
from peaceops.sources.models import Claim, Verdict


def _claimed(claim: Claim) -> str:
    value = number_format(claim.value, force_grouping=True)
    return value if claim.qualifier == "exact" else f"{claim.get_qualifier_display()} {value}"


def claims_section(period: ReportingPeriod) -> SitrepSection | None:
    claims = list(Claim.objects.standing().filter(as_of=period.day)
                  .select_related("document__report__source", "party").prefetch_related("contradicts")
                  .order_by("kind", "document_id", "start"))
    if not claims:
        return None
    counts = {v: sum(1 for c in claims if c.verdict == v) for v in Verdict.values}
    contradicted = sum(1 for c in claims if c.contradicts.all())
    summary = ngettext("%(n)d published figure about this day was read:",
                       "%(n)d published figures about this day were read:", len(claims)) % {"n": len(claims)}
    summary += " " + _("%(ok)d consistent with our records, %(bad)d inconsistent, %(unv)d unverifiable.") % {
        "ok": counts[Verdict.CONSISTENT], "bad": counts[Verdict.INCONSISTENT], "unv": counts[Verdict.UNVERIFIABLE]}
    if contradicted:
        summary += " " + ngettext("%(n)d contradicts another source's figure.",
                                  "%(n)d contradict other sources' figures.", contradicted) % {"n": contradicted}
    rows = []
    for claim in claims:
        said = claim.attributed_to or claim.document.report.source.name
        source = f"{claim.document.report.source.name} ({claim.document.report.grade})"
        verdict = claim.get_verdict_display()
        if claim.contradicts.all():
            verdict += " · " + _("contradicts %(ids)s") % {"ids": ", ".join(f"#{o.pk}" for o in claim.contradicts.all())}
        rows.append([f"#{claim.pk}", claim.get_kind_display(), claim.get_period_display(), _claimed(claim), said,
                     source, "—" if claim.registered is None else number_format(claim.registered,
                                                                                  force_grouping=True), verdict])
    table = Table("sources.claims", _("Claims and verdicts"),
                  [_("Claim"), _("Kind"), _("Period"), _("Claimed"), _("Said by"), _("Source"), _("Registered"),
                   _("Verdict")], rows)
    return SitrepSection("sources", _("What was said, and what we recorded"), 90, summary, [], [table],
                         public=False)


SECTIONS = [claims_section]
