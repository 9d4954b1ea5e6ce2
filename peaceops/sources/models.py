"""Open-source documents, the claims extracted from them, and each claim's cross-check verdict.

A document's grading is the core's: each document is one `SourceReport` of its outlet's `Source`, graded on the
Admiralty scale like every other item of information."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


class DocumentFormat(models.TextChoices):
    TEXT = "text", _("plain text")
    HTML = "html", _("saved web page")
    PASTED = "pasted", _("pasted text")


class DocumentQuerySet(VisibleQuerySet):
    view_capability = "sources.view"


class Document(TravellingRecord):
    report = models.OneToOneField("core.SourceReport", on_delete=models.PROTECT, related_name="document",
                                  verbose_name=_("graded source report"))
    title = models.CharField(_("title"), max_length=300)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8)
    byline = models.CharField(_("byline"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256 of the original"), max_length=64, unique=True)
    attachment = models.ForeignKey("core.Attachment", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("original file"))
    format = models.CharField(_("format"), max_length=8, choices=DocumentFormat.choices)
    notes = models.JSONField(_("reading notes"), default=list, blank=True)
    ingested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("open-source document")

    def __str__(self) -> str:
        return self.title

    @property
    def outlet(self):
        return self.report.source


class Kind(models.TextChoices):
    RETURNED = "returned", _("people returned")
    BUSES = "buses", _("buses")
    CONVOYS = "convoys", _("convoys")
    OBSERVATION_POSTS = "observation_posts", _("observation posts")
    VIOLATIONS = "violations", _("ceasefire violations")
    KILLED = "killed", _("killed")
    WOUNDED = "wounded", _("wounded")
    PRISONERS_EXCHANGED = "prisoners_exchanged", _("prisoners exchanged")
    REMAINS_RECOVERED = "remains_recovered", _("remains recovered")
    REMAINS_HANDED_OVER = "remains_handed_over", _("remains handed over")
    TROOPS = "troops", _("troops")
    CARGO_TONNES = "cargo_tonnes", _("cargo (tonnes)")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    MORE_THAN = "more_than", _("more than")
    AT_LEAST = "at_least", _("at least")
    ALMOST = "almost", _("almost")
    FEWER_THAN = "fewer_than", _("fewer than")


class Period(models.TextChoices):
    DAY = "day", _("that day")
    CUMULATIVE = "cumulative", _("in total")


class Review(models.TextChoices):
    EXTRACTED = "extracted", _("as extracted")
    CORRECTED = "corrected", _("corrected")
    REJECTED = "rejected", _("rejected")


class Verdict(models.TextChoices):
    CONSISTENT = "consistent", _("consistent")
    INCONSISTENT = "inconsistent", _("inconsistent")
    UNVERIFIABLE = "unverifiable", _("unverifiable")
    UNCHECKED = "unchecked", _("not checked")


# --- a verdict's reason, worded when it is shown (Claim.reason; the cross-check stores only its basis) --------


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def _claimed(basis: dict) -> str:
    figure = _n(basis["value"])
    if basis["qualifier"] != "exact":
        figure = f"{Qualifier(basis['qualifier']).label} {figure}"
    return gettext("%(kind)s, %(period)s, as of %(day)s: claimed %(figure)s") % {
        "kind": Kind(basis["kind"]).label, "period": Period(basis["period"]).label,
        "day": basis.get("as_of") or "?", "figure": figure}


def _registered_words(low: int, high: int) -> str:
    if low == high:
        return _n(high)
    return gettext("%(low)s at the start of the day and %(high)s at its end") % {"low": _n(low), "high": _n(high)}


def verdict_reason(basis: dict) -> str:
    """The verdict's reason in the language now active: the stored basis keeps message ids and numbers, so a
    Russian page reads it in Russian whatever language the check ran in."""
    rule = basis.get("rule")
    fixed = {
        "no_date": gettext("The report gives no date, so the claim cannot be held against any day's figures."),
        "before": gettext("The claim is about a day before the ceasefire; PeaceOps holds no figures from then."),
        "future": gettext("The claim is about a day still to come."),
        "before_total": gettext("The total runs from before the ceasefire; PeaceOps holds no figures from then."),
    }
    if rule in fixed:
        return fixed[rule]
    if rule == "no_figure":
        return gettext("PeaceOps holds no figure for %(kind)s.") % {"kind": Kind(basis["kind"]).label}
    if not rule:
        return ""
    what = gettext(basis["what"])
    if basis.get("where"):
        what += " " + gettext("in %(district)s") % {"district": basis["where"]}
    values = {"said": _claimed(basis), "what": what, "reg": _registered_words(basis["low"], basis["high"])}
    if rule == "consistent":
        return gettext("%(said)s; registered (%(what)s): %(reg)s — consistent.") % values
    if rule == "alternative":
        label, params = basis["label"]
        values["label"] = gettext(label) % params if params else gettext(label)
        return gettext("%(said)s; registered (%(what)s, %(label)s): %(reg)s — consistent.") % values
    if rule == "lead":
        return gettext("%(said)s; recorded (%(what)s): %(reg)s. PeaceOps cannot confirm the rest: a lead for the "
                 "monitors.") % values
    values["relation"] = gettext("more than that") if basis.get("relation") == "more" else gettext("fewer than that")
    return gettext("%(said)s; registered (%(what)s): %(reg)s, %(relation)s — inconsistent.") % values


class ClaimQuerySet(VisibleQuerySet):
    view_capability = "sources.view"

    def standing(self):
        """Claims still in play: rejected ones are kept for the record, not checked or reported."""
        return self.exclude(review=Review.REJECTED)


class Claim(TravellingRecord):
    """A typed statement a document makes, with the sentence it came from. A correction changes the fields;
    `extracted` keeps what the pipeline read, beside it."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    value = models.PositiveBigIntegerField(_("value"))
    qualifier = models.CharField(_("qualifier"), max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    period = models.CharField(_("period"), max_length=12, choices=Period.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("place"))
    attributed_to = models.CharField(_("attributed to"), max_length=200, blank=True)
    party = models.ForeignKey("core.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("party"))
    language = models.CharField(_("language"), max_length=8)
    sentence = models.TextField(_("sentence"))
    start = models.PositiveIntegerField(default=0)  # the sentence's place in the document's text
    end = models.PositiveIntegerField(default=0)
    extracted = models.JSONField(_("as extracted"), default=dict)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.EXTRACTED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("reason"), blank=True)
    verdict = models.CharField(_("verdict"), max_length=14, choices=Verdict.choices, default=Verdict.UNCHECKED)
    registered = models.BigIntegerField(_("registered"), null=True, blank=True)
    registered_low = models.BigIntegerField(null=True, blank=True)
    verdict_reason = models.TextField(_("why"), blank=True)  # as written by the last check, in its language
    verdict_basis = models.JSONField(default=dict, blank=True)  # what the reason is made of (services.check)
    checked_at = models.DateTimeField(null=True, blank=True)
    contradicts = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("contradicts"))
    history = HistoricalRecords(excluded_fields=["checked_at"])

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "document", "start", "id"]
        verbose_name = _("claim")
        indexes = [models.Index(fields=["kind", "as_of"]), models.Index(fields=["verdict"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.get_qualifier_display()} {self.value:,} ({self.as_of or '?'})"

    @property
    def reason(self) -> str:
        """The verdict's reason in the language of the page that shows it."""
        return verdict_reason(self.verdict_basis) if self.verdict_basis else self.verdict_reason
