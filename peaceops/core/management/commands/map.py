"""`peaceops map build-basemap [--output FILE] [--add FILE ...]`: write the offline base layer of the map
(peaceops.core.basemap) from the gazetteer and any offline GeoJSON added; nothing is downloaded."""

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import basemap


class Command(BaseCommand):
    help = "The map's offline base layer."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        build = sub.add_parser("build-basemap", help="Write the base layer from the gazetteer (and added GeoJSON).")
        build.add_argument("--output", help="where to write it (default: PEACEOPS_BASEMAP_PATH)")
        build.add_argument("--add", action="append", default=[], metavar="FILE",
                           help="an offline GeoJSON file (roads, rivers...) to draw too, clipped to the region")

    def handle(self, *args, verb, output=None, add=(), **options):
        extra = []
        for name in add:
            try:
                extra += basemap.read_extra(name)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from None
        path, count = basemap.write(output, extra)
        self.stdout.write(f"{count} features written to {path}")
