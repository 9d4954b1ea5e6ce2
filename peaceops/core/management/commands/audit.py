"""`peaceops audit verify [--records]`, `peaceops audit anchor`, `peaceops audit keygen [--out FILE]`.

verify: recompute the hash chain and name the first broken event; check it against every signed checkpoint in
PEACEOPS_AUDIT_ANCHOR_DIR and name the first it contradicts; with --records, name every record whose stored
values differ from its last audited write. Exit 2 on any of these; exit 1 on a configuration error."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peaceops.core import anchoring, audit, record_state


class Command(BaseCommand):
    help = "Audit chain tools: verify, anchor (sign a checkpoint), keygen (a new signing key)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        verify = sub.add_parser("verify", help="Check that no audit event was altered, removed or reordered.")
        verify.add_argument("--records", action="store_true",
                            help="Also check that every record still holds what the application last wrote.")
        sub.add_parser("anchor", help="Write a signed checkpoint of the chain to PEACEOPS_AUDIT_ANCHOR_DIR.")
        keygen = sub.add_parser("keygen", help="Make a new Ed25519 key pair for signing checkpoints.")
        keygen.add_argument("--out", help="Write the private key to this file (mode 600) instead of printing it.")

    def handle(self, *args, verb, **options):
        try:
            return getattr(self, f"_{verb}")(**options)
        except anchoring.AnchoringError as exc:
            raise CommandError(str(exc), returncode=1) from None

    def _verify(self, records=False, **_):
        report = audit.verify()
        if not report.intact:
            raise CommandError(str(report), returncode=2)
        anchored = anchoring.verify_checkpoints()
        if not anchored.ok:
            raise CommandError(f"{report}, but {anchored}", returncode=2)
        self.stdout.write(str(report))
        self.stdout.write(str(anchored))
        if records:
            checked = record_state.changed_records()
            for changed in checked.changed:
                self.stderr.write(str(changed))
            if not checked.intact:
                raise CommandError(str(checked), returncode=2)
            self.stdout.write(str(checked))

    def _anchor(self, **_):
        checkpoint = anchoring.anchor_now()
        if checkpoint is None:
            self.stdout.write(anchoring.state()[1])
            return
        self.stdout.write(f"checkpoint {checkpoint.name}: {checkpoint.count} events, head {checkpoint.head[:12]}…, "
                          f"key {checkpoint.key_id}")

    def _keygen(self, out=None, **_):
        private, public, kid = anchoring.generate_key()
        if out:
            path = Path(out)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never overwrite an existing key
            with os.fdopen(fd, "w") as handle:
                handle.write(private + "\n")
            self.stdout.write(f"private key written to {path}: PEACEOPS_AUDIT_SIGNING_KEY_FILE={path}")
        else:
            self.stdout.write(f"PEACEOPS_AUDIT_SIGNING_KEY={private}")
        self.stdout.write(f"PEACEOPS_AUDIT_PUBLIC_KEYS={public}")
        self.stdout.write(f"key id: {kid}")
        self.stdout.write("Give the private key to the application only; verifiers need only the public key.")
