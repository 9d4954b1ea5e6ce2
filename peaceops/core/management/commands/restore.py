"""`peaceops restore FILE`: replace the database's contents with an encrypted backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import audit, backup


class Command(BaseCommand):
    help = ("Restore the database from an encrypted backup (key from PEACEOPS_BACKUP_KEY). The whole file is "
            "decrypted and authenticated first: a wrong key or an altered file changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing the database")

    def handle(self, *args, file, yes=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        if not yes and input(f"Replace everything in the database with {path}? Type yes: ").strip() != "yes":
            raise CommandError("Nothing restored.")
        try:
            header = backup.restore(path, backup.key_from_environment())
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        report = audit.verify()
        if not report.intact:
            raise CommandError(f"Restored, but the audit chain does not verify: {report}", returncode=2)
        return f"Restored the backup of {header['created']}; audit chain: {report}."
