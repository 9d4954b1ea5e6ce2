"""`peaceops places resolve NAME`: which gazetteer place a name means, in any script.
`peaceops places import FILE --format geonames|cod [--bbox W,S,E,N] [--dry-run]`: merge a GeoNames dump or an
OCHA COD administrative table into the gazetteer (peaceops.core.gazetteer_import)."""

import json

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import gazetteer
from peaceops.core.gazetteer_import import GazetteerFileError, import_gazetteer, parse_bbox


class Command(BaseCommand):
    help = "Gazetteer look-ups and imports."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        resolve = sub.add_parser("resolve", help="Print the canonical place for a name, its id and its aliases.")
        resolve.add_argument("name", nargs="+", help="The name as written, in any script.")
        load = sub.add_parser("import", help="Merge a GeoNames dump or an OCHA COD administrative table.")
        load.add_argument("file")
        load.add_argument("--format", dest="fmt", required=True, choices=["geonames", "cod"])
        load.add_argument("--bbox", help="only places inside west,south,east,north (degrees)")
        load.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
        load.add_argument("--output", choices=["text", "json"], default="text")

    def handle(self, *args, verb, **options):
        if verb == "import":
            return self._import(**options)
        text = " ".join(options["name"])
        try:
            result = gazetteer.resolve(text)
        except (gazetteer.PlaceNotFound, gazetteer.PlaceAmbiguous) as exc:
            raise CommandError(str(exc), returncode=1) from None
        place = result.place
        self.stdout.write(f"{place.name}\t(id {place.pk}, {place.get_kind_display()}, {result.method} match)")
        for alias in place.aliases.all():
            self.stdout.write(f"  {alias.language}\t{alias.name}")

    def _import(self, file, fmt, bbox, dry_run, output, **options):
        try:
            report = import_gazetteer(file, fmt, bbox=parse_bbox(bbox) if bbox else None, dry_run=dry_run)
        except (GazetteerFileError, OSError) as exc:
            raise CommandError(str(exc), returncode=2) from None
        if output == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            self._summary(report)
        if report.conflicts or report.bad_rows:
            # As every import: exit 3 when rows were held back, after saying which and why.
            raise CommandError(f"{len(report.conflicts)} conflict(s) and {len(report.bad_rows)} bad row(s) were "
                               "not imported; the rest was" + (" checked (dry run)." if dry_run else "."),
                               returncode=3)

    def _summary(self, report):
        verb = "would be" if report.dry_run else "were"
        self.stdout.write(f"{report.read} rows read: {len(report.created)} new places, {len(report.merged)} merged "
                          f"into existing ones, {report.aliases_added} names added as aliases ({verb} written).")
        if report.outside or report.other_features:
            self.stdout.write(f"Left out: {report.outside} outside the box, {report.other_features} features that "
                              "are neither settlements nor administrative units.")
        for name, place in report.merged:
            self.stdout.write(f"  merged\t{name} → {place}")
        for new, other, km in report.namesakes:
            self.stdout.write(f"  namesake\t{new} is a place of its own, {km:.0f} km from {other}")
        for line, name, reason in report.conflicts:
            self.stdout.write(f"  conflict\tline {line}: {name}: {reason}")
        for line, reason in report.bad_rows:
            self.stdout.write(f"  bad row\tline {line}: {reason}")
