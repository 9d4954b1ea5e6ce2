"""`peaceops exchanges summary|import-list|reconcile`: aggregate figures and list work from the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peaceops.core.context import acting_as
from peaceops.core.models import Party
from peaceops.core.operation import operation_day
from peaceops.core.params import date_argument
from peaceops.exchanges.models import ListKind, PartyList
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services.imports import ListImportError, import_party_list
from peaceops.exchanges.services.reconcile import board, reconcile
from peaceops.exchanges.services.summary import summary


class Command(BaseCommand):
    help = "Exchanges: aggregate figures, party-list import, reconciliation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        s = sub.add_parser("summary", help="Exchanged per direction, remains, open missing cases, as of a day.")
        s.add_argument("--as-of", default=None, type=date_argument, help="YYYY-MM-DD (default: today)")
        i = sub.add_parser("import-list", help=(
            "Import a party's list (CSV/XLSX) whole or not at all: a list is one document, reconciled whole, so one "
            "bad row means nothing is imported. Every bad row is reported as FILE:LINE: reason; fix the file and "
            "import it again."))
        i.add_argument("file")
        i.add_argument("--party", required=True, help="party code, e.g. armenian-side")
        i.add_argument("--kind", required=True, choices=[k for k, _ in ListKind.choices])
        i.add_argument("--received-on", default=None, type=date_argument)
        i.add_argument("--encoding", default="")
        r = sub.add_parser("reconcile", help="Reconcile a list against another list or the case files.")
        r.add_argument("list_id", type=int)
        r.add_argument("--against", type=int, default=None, help="other list id (default: the case files)")

    def handle(self, *args, verb, **options):
        return getattr(self, "_" + verb.replace("-", "_"))(**options) or ""

    def _summary(self, as_of=None, **_):
        day = as_of or operation_day()
        figures = summary(day)
        lines = [f"Exchanges as of {day.isoformat()}"]
        if not figures.exchanged:
            lines.append("  exchanged: none")
        for (from_label, to_label), count in sorted(figures.exchanged.items()):
            lines.append(f"  exchanged from {from_label} to {to_label}: {count}")
        lines += [f"  remains recovered: {figures.remains_recovered}",
                  f"  remains received through exchange: {figures.remains_received}",
                  f"  remains identified: {figures.remains_identified}",
                  f"  remains awaiting DNA identification: {figures.remains_dna_pending}",
                  f"  remains handed over: {figures.remains_handed_over}",
                  f"  detained (open cases): {figures.detained}",
                  f"  open missing-person cases: {figures.missing_open}"]
        if figures.exchange_prepared:
            lines.append(f"  exchange being prepared: {figures.exchange_prepared}")
        return "\n".join(lines)

    def _import_list(self, file, party, kind, received_on=None, encoding="", **_):
        party_obj = Party.objects.filter(code=party).first()
        if party_obj is None:
            raise CommandError(f"no party with code {party!r}")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"no such file: {file}")
        with acting_as("system:cli"):
            try:
                party_list = import_party_list(path.read_bytes(), path.name, party=party_obj, kind=kind,
                                               received_on=received_on or operation_day(),
                                               encoding=encoding)
            except ListImportError as exc:
                for error in exc.errors:
                    self.stderr.write(f"{path.name}:{error.line}: {error.message}")
                raise CommandError(f"{len(exc.errors)} bad rows; nothing imported (a party's list is imported "
                                   "whole): fix the file and import it again.") from None
        for warning in party_list.warnings:
            self.stderr.write(f"warning: {path.name}:{warning.line}: column {warning.column}: {warning.message}")
        return f"list {party_list.pk}: {party_list.entries.count()} entries imported ({party_list.encoding})"

    def _reconcile(self, list_id, against=None, **_):
        left = PartyList.objects.filter(pk=list_id).first()
        right = PartyList.objects.filter(pk=against).first() if against else None
        if left is None or (against and right is None):
            raise CommandError("no such list")
        with acting_as("system:cli"):
            try:
                rec = reconcile(left, right)
            except ExchangeError as exc:
                raise CommandError(str(exc)) from None
        b = board(rec)
        return (f"reconciliation {rec.pk} ({rec.engine}): {rec.decisions.count()} proposals, "
                f"{len(b.ambiguous)} ambiguous, {len(b.unmatched_left)} unmatched on the list"
                + (f", {len(b.unmatched_right)} on the other" if right else ""))
