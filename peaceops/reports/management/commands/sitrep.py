"""`peaceops sitrep --date 2020-11-21 --format pdf|html|md [--out FILE] [--report-version N] [--public]`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peaceops.core.params import date_argument
from peaceops.reports import content as sitrep_content
from peaceops.reports import render as renderer
from peaceops.reports import services
from peaceops.reports.models import Sitrep


class Command(BaseCommand):
    help = "Render the daily situation report for a date (the newest stored version, else live data)."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, type=date_argument, help="the report's day, ISO 8601 (YYYY-MM-DD)")
        parser.add_argument("--format", dest="fmt", choices=sorted(renderer.FORMATS), default="html")
        parser.add_argument("--out", help="write to this file instead of standard output")
        parser.add_argument("--report-version", dest="number", type=int, help="a stored version number")
        parser.add_argument("--public", action="store_true",
                            help="the public view: published versions only, small counts of people suppressed")

    def handle(self, *args, date, fmt, out=None, number=None, public=False, **options):
        day = date
        versions = Sitrep.objects.filter(day=day)
        if public:
            versions = versions.published()
        sitrep = (versions.filter(version=number) if number else versions.order_by("-version")).first()
        if number and sitrep is None:
            raise CommandError(f"no version {number} of the sitrep for {day}")
        if public and sitrep is None:
            raise CommandError(f"no sitrep for {day} has been published")
        doc = services.content_of(sitrep, day)
        if public:
            doc = sitrep_content.public_view(doc)
        context = renderer.document_context(doc, sitrep, public=public, charts_wanted=fmt != "md")
        body = renderer.render(fmt, context)
        if out:
            path = Path(out)
            if isinstance(body, bytes):
                path.write_bytes(body)
            else:
                path.write_text(body, encoding="utf-8")
            self.stderr.write(f"{fmt} sitrep for {day} written to {path}")
        elif isinstance(body, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(body, ending="" if body.endswith("\n") else "\n")
