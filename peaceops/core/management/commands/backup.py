"""`peaceops backup FILE`: an encrypted backup of the database (key from PEACEOPS_BACKUP_KEY)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the whole database (SQLite online backup or pg_dump) to FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write the backup")
        parser.add_argument("--new-key", action="store_true", help="print a new random key and exit")

    def handle(self, *args, file=None, new_key=False, **options):
        if new_key:
            return backup.new_key()
        if not file:
            raise CommandError("Name the file to write the backup to.")
        try:
            header = backup.backup(Path(file), backup.key_from_environment())
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        return f"Backup of the {header['vendor']} database written to {file} ({Path(file).stat().st_size:,} bytes)."
