"""Anchoring the audit chain outside the database, as Certificate Transparency logs publish signed tree heads.

Whoever holds the database can delete the newest events and rewrite `core_audithead` so that the chain still
verifies. A checkpoint — the number of events, the hash of the newest and the time, signed with an Ed25519 key
the database never sees — written where that person cannot reach (a WORM mount, another host) pins the chain
as it was: `peaceops audit verify` then fails when the chain is shorter than a checkpoint or differs at it.

Keys: `peaceops audit keygen` prints a new key pair. The private key goes to the application only
(`PEACEOPS_AUDIT_SIGNING_KEY`, or `PEACEOPS_AUDIT_SIGNING_KEY_FILE`); verifiers need only the public key
(`PEACEOPS_AUDIT_PUBLIC_KEYS`). Checkpoints are files `checkpoint-<count>-<time>.json` in
`PEACEOPS_AUDIT_ANCHOR_DIR`; a copy of each is kept in the database for pages that print it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from peaceops.core import audit
from peaceops.core.models.anchoring import AuditCheckpoint
from peaceops.core.models.audit import GENESIS_HASH, AuditEvent, AuditHead

FORMAT = "peaceops-audit-checkpoint/1"
log = logging.getLogger(__name__)


class AnchoringError(RuntimeError):
    """Anchoring is misconfigured (a bad key, an unwritable directory) or refused to sign a broken chain."""


# ---------------------------------------------------------------------------------------------------- keys

def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """The first 16 hex digits of the SHA-256 of the raw public key (CT names a log by its key's hash too)."""
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def generate_key() -> tuple[str, str, str]:
    """A new key pair: (private key, public key) as base64 of the raw 32 bytes, and the key id."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    public = private.public_key()
    return base64.b64encode(raw).decode(), base64.b64encode(_raw_public(public)).decode(), key_id(public)


def _load_private(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):  # `openssl genpkey -algorithm ed25519` writes PEM
            key = serialization.load_pem_private_key(text.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError("not an Ed25519 key")
            return key
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError) as exc:
        raise AnchoringError(f"PEACEOPS_AUDIT_SIGNING_KEY is not an Ed25519 private key ({exc}); make one with "
                             "`peaceops audit keygen`") from None


def _load_public(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))
    except (ValueError, TypeError):
        raise AnchoringError(f"PEACEOPS_AUDIT_PUBLIC_KEYS: {text[:20]!r}… is not a base64 Ed25519 public key "
                             "(as `peaceops audit keygen` prints it)") from None


def signing_key() -> Ed25519PrivateKey | None:
    text = settings.PEACEOPS_AUDIT_SIGNING_KEY
    return _load_private(text) if text.strip() else None


def trusted_keys() -> dict[str, Ed25519PublicKey]:
    """Key id → public key: the configured public keys, and the signing key's own."""
    keys = [_load_public(text) for text in settings.PEACEOPS_AUDIT_PUBLIC_KEYS]
    private = signing_key()
    if private is not None:
        keys.append(private.public_key())
    return {key_id(k): k for k in keys}


def anchor_dir() -> Path | None:
    text = settings.PEACEOPS_AUDIT_ANCHOR_DIR.strip()
    return Path(text) if text else None


def state() -> tuple[bool, str]:
    """(on, a sentence saying so and, when off, what is missing)."""
    missing = [name for name, value in (("PEACEOPS_AUDIT_ANCHOR_DIR", settings.PEACEOPS_AUDIT_ANCHOR_DIR),
                                        ("PEACEOPS_AUDIT_SIGNING_KEY", settings.PEACEOPS_AUDIT_SIGNING_KEY))
               if not value.strip()]
    if missing:
        return False, ("audit anchoring is off (" + " and ".join(missing) + " not set): the newest events are not "
                       "protected against someone who can write to the database")
    return True, f"audit anchoring is on: signed checkpoints go to {anchor_dir()}"


# ------------------------------------------------------------------------------------------- checkpoints

@dataclass(frozen=True)
class Checkpoint:
    origin: str
    count: int
    head: str
    last_event_id: int
    time: str
    key_id: str
    signature: str = ""
    format: str = FORMAT
    name: str = field(default="", compare=False)

    def signed_bytes(self) -> bytes:
        body = {k: v for k, v in asdict(self).items() if k not in ("signature", "name")}
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def to_json(self) -> str:
        body = {k: v for k, v in asdict(self).items() if k != "name"}
        return json.dumps(body, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, name: str = "") -> Checkpoint:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} file")
        return cls(origin=str(data["origin"]), count=int(data["count"]), head=str(data["head"]),
                   last_event_id=int(data["last_event_id"]), time=str(data["time"]), key_id=str(data["key_id"]),
                   signature=str(data["signature"]), name=name)

    def signature_valid(self, keys: dict[str, Ed25519PublicKey]) -> bool:
        key = keys.get(self.key_id)
        if key is None:
            return False
        try:
            key.verify(base64.b64decode(self.signature), self.signed_bytes())
        except (InvalidSignature, ValueError):
            return False
        return True

    @property
    def signed_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.time)

    def summary(self) -> dict:
        """What a published report prints."""
        return {"count": self.count, "head": self.head, "time": self.time, "key_id": self.key_id,
                "name": self.name}


def _file_name(checkpoint: Checkpoint) -> str:
    stamp = checkpoint.signed_at.strftime("%Y%m%dT%H%M%S%fZ")
    return f"checkpoint-{checkpoint.count:012d}-{stamp}.json"


def read_checkpoints(directory: Path) -> Iterator[tuple[str, Checkpoint | None, str]]:
    """(file name, checkpoint or None, why it could not be read), oldest first."""
    for path in sorted(directory.glob("checkpoint-*.json")):
        try:
            yield path.name, Checkpoint.from_json(path.read_text(encoding="utf-8"), path.name), ""
        except (OSError, ValueError, KeyError, TypeError) as exc:
            yield path.name, None, str(exc)


def _newest_file_checkpoint(directory: Path, keys: dict[str, Ed25519PublicKey]) -> Checkpoint | None:
    newest = None
    for _name, checkpoint, _why in read_checkpoints(directory):
        if checkpoint is not None and checkpoint.signature_valid(keys):
            if newest is None or checkpoint.count >= newest.count:
                newest = checkpoint
    return newest


def _tail_extends(checkpoint: Checkpoint) -> str:
    """'' when the events after `checkpoint` chain onto it and hash correctly, else what is wrong."""
    anchor = AuditEvent.objects.filter(pk=checkpoint.last_event_id).values_list("hash", flat=True).first()
    if anchor != checkpoint.head:
        return (f"the event #{checkpoint.last_event_id} that checkpoint {checkpoint.name} signed is missing or "
                "changed")
    prev = checkpoint.head
    for event in AuditEvent.objects.filter(id__gt=checkpoint.last_event_id).order_by("id").iterator(2000):
        if event.prev_hash != prev or audit._digest(prev, event) != event.hash:
            return f"event #{event.pk} does not chain onto the events before it"
        prev = event.hash
    return ""


def anchor_now() -> Checkpoint | None:
    """Sign and write a checkpoint of the chain as it stands (committed events only); None when anchoring is off.

    Refuses (AnchoringError) to sign a chain that does not extend the newest checkpoint: signing it would
    vouch for a rewrite. When nothing was appended since the newest checkpoint, that one is returned."""
    on, _why = state()
    if not on:
        return None
    private, directory = signing_key(), anchor_dir()
    if private is None or directory is None:  # state() says on only when both are set
        raise AnchoringError("audit anchoring needs PEACEOPS_AUDIT_SIGNING_KEY and PEACEOPS_AUDIT_ANCHOR_DIR")
    if not directory.is_dir():
        raise AnchoringError(f"PEACEOPS_AUDIT_ANCHOR_DIR {directory} is not a directory")
    keys = trusted_keys()
    with transaction.atomic():
        head = AuditHead.objects.filter(pk=1).first()
        count, last_hash = (head.count, head.last_hash) if head else (0, GENESIS_HASH)
        last_event_id = AuditEvent.objects.filter(hash=last_hash).values_list("id", flat=True).first() or 0
        newest = _newest_file_checkpoint(directory, keys)
        if newest is not None and (newest.count, newest.head) == (count, last_hash):
            return newest
        if newest is not None:
            problem = _tail_extends(newest)
        else:  # the first checkpoint vouches for the whole chain, so the whole chain is checked once
            report = audit.verify()
            problem = "" if report.intact else str(report)
        if problem:
            raise AnchoringError(f"not signing: {problem}")
    public = private.public_key()
    unsigned = Checkpoint(origin=settings.PEACEOPS_AUDIT_ORIGIN, count=count, head=last_hash,
                          last_event_id=last_event_id, time=timezone.now().astimezone(dt.UTC).isoformat(),
                          key_id=key_id(public))
    signature = base64.b64encode(private.sign(unsigned.signed_bytes())).decode()
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": signature, "name": _file_name(unsigned)})
    _write(directory / checkpoint.name, checkpoint.to_json())
    AuditCheckpoint.objects.bulk_create([AuditCheckpoint(
        count=checkpoint.count, head=checkpoint.head, last_event_id=checkpoint.last_event_id,
        signed_at=checkpoint.signed_at, origin=checkpoint.origin, key_id=checkpoint.key_id,
        signature=checkpoint.signature, file_name=checkpoint.name)])
    log.info("audit checkpoint %s: %s events, head %s", checkpoint.name, count, last_hash[:12])
    return checkpoint


def _write(path: Path, text: str) -> None:
    # Written aside and renamed into place, so a crash never leaves a half checkpoint for verify to trip on.
    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)


def covering(event_id: int) -> AuditCheckpoint | None:
    """The first stored checkpoint that includes event `event_id` (a published report prints it)."""
    return AuditCheckpoint.objects.filter(last_event_id__gte=event_id).order_by("count", "signed_at").first()


# ------------------------------------------------------------------------------------------ verification

@dataclass(frozen=True)
class AnchorReport:
    enabled: bool
    checked: int = 0
    ok: bool = True
    checkpoint: str = ""
    problem: str = ""
    newest: Checkpoint | None = None
    note: str = ""

    def __str__(self) -> str:
        if not self.ok:
            return f"checkpoint {self.checkpoint}: {self.problem}" if self.checkpoint else self.problem
        if not self.enabled:
            return self.note
        if self.newest is None:
            return "no checkpoint written yet (run `peaceops audit anchor`)"
        return (f"{self.checked} checkpoint(s) agree; newest: {self.newest.count} events, head "
                f"{self.newest.head[:12]}…, {self.newest.time}, key {self.newest.key_id}")


def verify_checkpoints() -> AnchorReport:
    """Check every checkpoint in the anchor directory: a trusted signature, and the chain at its count."""
    directory = anchor_dir()
    if directory is None:
        return AnchorReport(enabled=False, note=state()[1])
    if not directory.is_dir():
        return AnchorReport(enabled=True, ok=False, problem=f"PEACEOPS_AUDIT_ANCHOR_DIR {directory} is not a "
                                                            "directory")
    keys = trusted_keys()
    checkpoints: list[Checkpoint] = []
    for name, checkpoint, why in read_checkpoints(directory):
        if checkpoint is None:
            return AnchorReport(True, ok=False, checkpoint=name, problem=f"it cannot be read ({why})")
        if checkpoint.key_id not in keys:
            return AnchorReport(True, ok=False, checkpoint=name, problem=(
                f"it is signed by key {checkpoint.key_id}, which is not a trusted key (PEACEOPS_AUDIT_PUBLIC_KEYS)"))
        if not checkpoint.signature_valid(keys):
            return AnchorReport(True, ok=False, checkpoint=name, problem="its signature does not verify (the file "
                                                                         "was forged or altered)")
        checkpoints.append(checkpoint)
    if not checkpoints:
        return AnchorReport(True, note="no checkpoint written yet")
    wanted: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        wanted.setdefault(checkpoint.count, []).append(checkpoint)
    position = 0
    hashes = AuditEvent.objects.order_by("id").values_list("id", "hash")
    for event_id, event_hash in hashes.iterator(chunk_size=5000):
        position += 1
        for checkpoint in wanted.get(position, ()):
            if event_hash != checkpoint.head:
                return AnchorReport(True, ok=False, checkpoint=checkpoint.name, problem=(
                    f"the chain differs at it: its event {position} (#{event_id}) has hash {event_hash[:12]}…, "
                    f"the checkpoint signed {checkpoint.head[:12]}… at {checkpoint.time} — events were removed, "
                    "replaced or reordered"))
    longer = [c for c in checkpoints if c.count > position]
    if longer:
        first = min(longer, key=lambda c: c.count)
        return AnchorReport(True, ok=False, checkpoint=first.name, problem=(
            f"the chain has {position} events, fewer than the {first.count} this checkpoint signed at {first.time} "
            "— events were removed from its end"))
    newest = max(checkpoints, key=lambda c: (c.count, c.time))
    return AnchorReport(True, checked=len(checkpoints), newest=newest)
