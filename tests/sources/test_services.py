"""Ingest (idempotent, all or nothing), bad input, the tolerance of each qualifier, verdicts and
contradictions, review (the extraction kept beside the correction, audited), and the command line."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from peaceops.core.models import Attachment, AuditEvent, SourceReport
from peaceops.sources.models import Claim, Document, Review, Verdict
from peaceops.sources.reading import UnreadableReport
from peaceops.sources.services import check, review
from peaceops.sources.services.ingest import ingest
from peaceops.sources.services.registry import Registered, Registry
from peaceops.sources.services.tolerance import accepted_range

WIRE = b"""Title: Returns continue
Outlet: Test wire
Published: 2020-11-22

MOSCOW, November 22. /Test wire/. About 1,300 refugees returned to Stepanakert on Sunday in 32 buses, the Defence
Ministry spokesman said. In total, more than 11,000 people have returned since November 14, he added.
"""
LATER = b"""Title: Some 9,000 back
Outlet: Other wire
Published: 2020-11-23

STEPANAKERT, November 23 (Other wire) - Some 9,000 people have returned since November 14, according to the
peacekeeping contingent's headquarters.
"""
HTML = """<!DOCTYPE html><html lang="en"><head><title>Refugees return | Example News</title>
<meta property="og:title" content="Refugees return to Stepanakert">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Staff reporter">
<meta property="article:published_time" content="2020-11-22T10:30:00+04:00"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Refugees return to Stepanakert</h1>
<p>About 1,300 refugees returned to Stepanakert on Sunday in 32 buses escorted by the peacekeepers, the Defence
Ministry spokesman said at a briefing in the capital.</p>
<p>In total, more than 11,000 people have returned since November 14, he added, and the convoys continue.</p>
</article><footer>Subscribe to our newsletter. Cookie settings.</footer></body></html>"""


@pytest.fixture
def analyst(users):
    return users["analyst"]


class FixedRegistry(Registry):
    """A registry with known answers, so each verdict's rule is tested on its own."""

    def __init__(self, figures):
        self.figures = figures

    def figure(self, kind, period, as_of, since, district_id):
        return self.figures.get((kind, period, as_of))


def _counts():
    return Document.objects.count(), SourceReport.objects.count(), Attachment.objects.count(), Claim.objects.count()


def test_ingest_stores_document_graded_with_claims_and_is_idempotent(analyst):
    done = ingest(WIRE, "wire.txt", analyst, grade="b2")
    doc = done.document
    assert done.created and doc.report.grade == "B2" and doc.report.source.name == "Test wire"
    assert doc.published_on == dt.date(2020, 11, 22) and doc.language == "en"
    assert doc.attachment.sha256 == doc.sha256 and doc.claims.count() == 3
    claim = doc.claims.get(kind="returned", period="cumulative")
    assert claim.extracted["value"] == 11000 and claim.since == dt.date(2020, 11, 14)
    before = _counts()
    again = ingest(WIRE, "renamed.txt", analyst, grade="A1")
    assert not again.created and again.document.pk == doc.pk and _counts() == before


def test_saved_page_reads_article_body_and_metadata(analyst):
    doc = ingest(HTML.encode(), "page.html", analyst).document
    assert doc.format == "html" and doc.title == "Refugees return to Stepanakert"
    assert doc.report.source.name == "Example News" and doc.byline == "Staff reporter"
    assert doc.published_on == dt.date(2020, 11, 22)
    assert "Cookie" not in doc.text and "Home" not in doc.text
    assert sorted(doc.claims.values_list("value", flat=True)) == [32, 1300, 11000]


@pytest.mark.parametrize("data,message", [
    (b"", "empty"), (b"   \n  ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    (b"<html><body><nav>Home</nav><p>Menu</p></body></html>", "no article"),
    (bytes(range(128, 256)) * 20, "encoding"),
    (b"Published: 2020-11-22\n\nSome 90,000,000,000 refugees returned on Sunday.", "too large"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(analyst, data, message):
    before = _counts()
    with pytest.raises(UnreadableReport, match=message):
        ingest(data, "bad.txt", analyst)
    assert _counts() == before


def test_a_bad_grade_is_refused_before_anything_is_stored(analyst):
    before = _counts()
    with pytest.raises(ValidationError):
        ingest(WIRE, "wire.txt", analyst, grade="Z9")
    assert _counts() == before


def test_dateline_without_a_year_takes_it_from_published_or_the_operation():
    from peaceops.sources.reading import read_bytes, settle_date

    period = (dt.date(2020, 11, 10), dt.date(2020, 12, 31))
    report = read_bytes(b"MOSCOW, November 22. /Wire/. About 1,300 refugees returned.", "w.txt")
    settle_date(report, "en", None, period)
    assert report.published_on == dt.date(2020, 11, 22) and not report.year_known and report.notes
    report = read_bytes(b"MOSCOW, November 22. /Wire/. About 1,300 refugees returned.", "w.txt")
    settle_date(report, "en", dt.date(2021, 11, 22), period)
    assert report.published_on == dt.date(2021, 11, 22)


def test_report_without_a_date_keeps_claims_unverifiable(analyst):
    doc = ingest(b"About 1,300 refugees returned to Stepanakert in 32 buses, officials said.", "nodate.txt",
                 analyst).document
    assert doc.published_on is None and doc.notes
    claims = list(doc.claims.all())
    assert claims and all(c.as_of is None and c.verdict == Verdict.UNVERIFIABLE for c in claims)
    assert "no date" in claims[0].verdict_reason


@pytest.mark.parametrize("value,qualifier,low,high", [
    (7000, "almost", 6500, 7000), (11000, "more_than", 11000, 13750), (9000, "about", 8100, 9900),
    (1300, "exact", 1250, 1349), (859, "exact", 859, 859), (100, "at_least", 100, 125), (2, "fewer_than", 1.5, 1),
])
def test_tolerance_follows_the_qualifier(value, qualifier, low, high):
    assert accepted_range(value, qualifier) == pytest.approx((low, high))


def test_verdicts_against_a_known_registry(analyst):
    ingest(WIRE, "wire.txt", analyst)
    day = dt.date(2020, 11, 22)
    registry = FixedRegistry({("returned", "day", day): Registered(1290, 1290, "returned that day"),
                              ("returned", "cumulative", day): Registered(6950, 8250, "returned in total")})
    today = dt.date(2021, 1, 1)
    verdicts = {(c.kind, c.period): check.verdict_for(c, registry, today) for c in Claim.objects.all()}
    assert verdicts[("returned", "day")].verdict == Verdict.CONSISTENT
    total = verdicts[("returned", "cumulative")]
    assert total.verdict == Verdict.INCONSISTENT and "fewer than that" in total.reason
    assert "more than 11,000" in total.reason
    assert verdicts[("buses", "day")].verdict == Verdict.UNVERIFIABLE  # this registry holds no buses


def test_violations_above_the_monitors_count_are_a_lead_not_a_falsehood(analyst):
    doc = ingest(b"Published: 2020-12-13\n\nThe Defence Ministry of the Armenian side said the ceasefire was "
                 b"violated 4 times near Hadrut on Saturday.", "party.txt", analyst).document
    claim = doc.claims.get()
    assert claim.party.code == "armenian-side" and claim.place.name == "Hadrut"
    registry = FixedRegistry({("violations", "day", dt.date(2020, 12, 12)): Registered(1, 1, "recorded")})
    outcome = check.verdict_for(claim, registry, dt.date(2021, 1, 1))
    assert outcome.verdict == Verdict.UNVERIFIABLE and outcome.lead and "lead for the monitors" in outcome.reason


def test_claims_contradict_each_other(analyst):
    ingest(WIRE, "wire.txt", analyst)
    ingest(LATER, "later.txt", analyst)
    falls = Claim.objects.get(value=9000)
    before = Claim.objects.get(value=11000)
    assert set(falls.contradicts.all()) == {before} and set(before.contradicts.all()) == {falls}
    same_day = b"Published: 2020-11-23\n\nAbout 2,000 refugees returned to Stepanakert on Monday, the ministry said."
    other = b"Published: 2020-11-23\nOutlet: Another outlet\n\nOn Monday 500 refugees returned, officials said."
    ingest(same_day, "a.txt", analyst)
    ingest(other, "b.txt", analyst)
    a, b = Claim.objects.get(value=2000), Claim.objects.get(value=500)
    assert b in a.contradicts.all()


def test_correction_keeps_the_extraction_and_is_audited(analyst):
    claim = ingest(WIRE, "wire.txt", analyst).document.claims.get(kind="buses")
    events = AuditEvent.objects.filter(model="sources.Claim", object_id=str(claim.pk)).count()
    review.correct(claim, analyst, {"value": 33}, "the bulletin's table says 33")
    claim.refresh_from_db()
    assert claim.value == 33 and claim.extracted["value"] == 32 and claim.review == Review.CORRECTED
    assert claim.reviewed_by == analyst and claim.history.count() >= 2
    assert AuditEvent.objects.filter(model="sources.Claim", object_id=str(claim.pk)).count() > events
    with pytest.raises(ValidationError):
        review.reject(claim, analyst, "")
    review.reject(claim, analyst, "a typo in the wire")
    claim.refresh_from_db()
    assert claim.review == Review.REJECTED and claim.verdict == Verdict.UNCHECKED
    assert claim not in Claim.objects.standing()


def test_read_command_prints_claims_and_writes_nothing(tmp_path, db):
    path = tmp_path / "wire.txt"
    path.write_bytes(WIRE)
    before = _counts()
    out = io.StringIO()
    call_command("sources", "read", str(path), "--format", "json", stdout=out)
    [result] = json.loads(out.getvalue())
    assert _counts() == before
    assert set(result) >= {"file", "title", "outlet", "published", "language", "claims", "notes"}
    assert result["published"] == "2020-11-22" and result["language"] == "en"
    claim = result["claims"][-1]
    assert set(claim) == {"kind", "value", "qualifier", "period", "since", "as_of", "place", "attributed_to",
                          "party", "sentence"}
    assert (claim["kind"], claim["value"], claim["qualifier"], claim["since"]) == (
        "returned", 11000, "more_than", "2020-11-14")


def test_ingest_and_check_commands(tmp_path, analyst):
    path, empty = tmp_path / "wire.txt", tmp_path / "empty.txt"
    path.write_bytes(WIRE)
    empty.write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()
    # The empty file makes the command fail (exit 3) after the good one is stored.
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("sources", "ingest", str(path), str(empty), "--user", "analyst", "--grade", "B2",
                     stdout=out, stderr=err)
    assert "empty" in err.getvalue() and Document.objects.count() == 1
    out = io.StringIO()
    call_command("sources", "check", "--format", "json", "--as-of", "2020-11-22", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == 3 and set(rows[0]) >= {"claim", "verdict", "registered", "contradicts"}
    assert set(rows[0]["claim"]) >= {"id", "source", "kind", "value", "as_of"}


def test_ingest_refuses_an_account_without_the_capability(tmp_path, db):
    path = tmp_path / "wire.txt"
    path.write_bytes(WIRE)
    with pytest.raises(CommandError, match="may not ingest"):
        call_command("sources", "ingest", str(path), "--user", "returns_officer")


def test_a_recheck_that_changes_no_verdict_leaves_the_records_check_clean(analyst):
    # Re-checking stamps every claim's `checked_at`; an unchanged verdict is not a new version, but the stamp
    # must still be in the audit chain, or `audit verify --records` reports the claims as changed outside.
    from peaceops.core.record_state import changed_records

    ingest(WIRE, "wire.txt", analyst)
    check.run(today=dt.date(2021, 1, 1))
    versions = Claim.history.count()
    check.run(today=dt.date(2021, 1, 1))  # nothing new: the verdicts stand, only the stamps move
    assert Claim.history.count() == versions
    assert [c for c in changed_records().changed if c.model == "sources.Claim"] == []
