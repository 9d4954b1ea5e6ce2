"""Storing a report: its original bytes in the attachment store, the document graded as a SourceReport of
its outlet, and its claims — all in one transaction, or nothing. The same bytes ingested again are the same
document."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core import attachments
from peaceops.core.models import Party, Source, SourceReport
from peaceops.core.models.sources import Credibility, Reliability, SourceKind
from peaceops.sources.models import Claim, Document
from peaceops.sources.reading import UnreadableReport
from peaceops.sources.services import check
from peaceops.sources.services.reading import Reading, read

_GRADE = re.compile(r"^([A-F])([1-6])$")


def parse_grade(text: str | None) -> tuple[str, int] | None:
    if not text:
        return None
    match = _GRADE.match(text.strip().upper())
    if not match:
        raise ValidationError(_("“%(grade)s” is not an Admiralty grade: a letter A–F and a digit 1–6, "
                                "such as B2.") % {"grade": text})
    return match.group(1), int(match.group(2))


@dataclass
class Ingested:
    document: Document
    created: bool
    reading: Reading | None = None


def _source_for(outlet: str, party_code: str) -> Source:
    name = (outlet or _("Unknown outlet")).strip()[:200]
    source = Source.objects.filter(name__iexact=name).first()
    if source is not None:
        return source
    party = Party.objects.filter(code=party_code).first() if party_code else None
    kind = SourceKind.PARTY_STATEMENT if party and party.kind == "conflict_party" else SourceKind.MEDIA
    return Source.objects.create(name=name, kind=kind, party=party, reliability=Reliability.F)


def ingest(data: bytes, name: str, user, *, grade: str | None = None, published: dt.date | None = None,
           outlet: str = "", pasted: bool = False, places=None) -> Ingested:
    """Ingest one report. Raises UnreadableReport or ValidationError, storing nothing, for a bad report."""
    grading = parse_grade(grade)
    sha256 = __import__("hashlib").sha256(data).hexdigest()
    existing = Document.objects.filter(sha256=sha256).first()
    if existing is not None:
        return Ingested(existing, False)
    reading = read(data, name, published=published, outlet=outlet, pasted=pasted, places=places)
    too_large = [c for c in reading.extraction.claims if c.too_large]
    if too_large:
        raise UnreadableReport(_("%(name)s: %(notes)s Nothing was stored.") % {
            "name": name, "notes": " ".join(n for n in reading.extraction.notes if "too large" in n)})
    report = reading.report
    with transaction.atomic():
        again = Document.objects.select_for_update().filter(sha256=sha256).first()
        if again is not None:
            return Ingested(again, False)
        party_codes = {c.party for c in reading.extraction.claims if c.party}
        source = _source_for(report.outlet, next(iter(party_codes)) if len(party_codes) == 1 else "")
        reliability, credibility = grading or (source.reliability, Credibility.CANNOT_JUDGE)
        graded = SourceReport.objects.create(
            source=source, received_at=timezone.now(), summary=report.title[:500], reference=name[:200],
            reliability=reliability, credibility=credibility,
            graded_by=user if grading else None, graded_at=timezone.now() if grading else None)
        # The original as received, kept as evidence; a saved page may carry scripts, so it is archived as
        # opaque bytes that are only ever downloaded (the document's `format` says what it was).
        stored = attachments.store(io.BytesIO(data), name, user=user, archive=True)
        published_at = report.published_at
        if published_at is not None and timezone.is_naive(published_at):
            published_at = timezone.make_aware(published_at)
        document = Document.objects.create(
            report=graded, title=report.title[:300] or name[:300], published_on=report.published_on,
            published_at=published_at, language=reading.extraction.language, byline=report.byline[:200],
            text=report.text, sha256=sha256, attachment=stored, format=report.format,
            notes=report.notes + reading.extraction.notes, ingested_by=user)
        parties = {p.code: p for p in Party.objects.all()}
        claims = []
        for extracted in reading.extraction.claims:
            snapshot = extracted.as_json() | {"place_id": extracted.place_id}
            claims.append(Claim.objects.create(
                document=document, kind=extracted.kind, value=extracted.value, qualifier=extracted.qualifier,
                period=extracted.period, since=extracted.since, as_of=extracted.as_of,
                place_id=extracted.place_id, attributed_to=extracted.attributed_to[:200],
                party=parties.get(extracted.party), language=extracted.language, sentence=extracted.sentence,
                start=extracted.start, end=extracted.end, extracted=snapshot))
        if claims:
            check.run(claims)
    return Ingested(document, True, reading)
