"""`peaceops places resolve NAME`: which gazetteer place a name means, in any script."""

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import gazetteer


class Command(BaseCommand):
    help = "Gazetteer look-ups."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        resolve = sub.add_parser("resolve", help="Print the canonical place for a name, its id and its aliases.")
        resolve.add_argument("name", nargs="+", help="The name as written, in any script.")

    def handle(self, *args, verb, name, **options):
        text = " ".join(name)
        try:
            result = gazetteer.resolve(text)
        except (gazetteer.PlaceNotFound, gazetteer.PlaceAmbiguous) as exc:
            raise CommandError(str(exc), returncode=1) from None
        place = result.place
        self.stdout.write(f"{place.name}\t(id {place.pk}, {place.get_kind_display()}, {result.method} match)")
        for alias in place.aliases.all():
            self.stdout.write(f"  {alias.language}\t{alias.name}")
