"""Encrypted backups of the whole database: SQLite through its online backup API, PostgreSQL through pg_dump's
custom format; restored with the same API or pg_restore.

The file is encrypted with AES-256-GCM (authenticated: any changed, missing or reordered byte is found) in 1 MiB
chunks, so a backup of any size streams through a little memory. Layout: a magic line, a JSON header (format,
database vendor, time, a key check value), then chunks of [length][nonce][ciphertext+tag]. Each chunk's nonce is
random and its associated data binds the header, the chunk's number and whether it is the last, so chunks
cannot be dropped, swapped or cut off. The key (32 bytes, base64) comes from PEACEOPS_BACKUP_KEY (or
PEACEOPS_BACKUP_KEY_FILE): keep it away from the backups (docs/deployment.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connection
from django.utils import timezone

MAGIC = b"PEACEOPS-BACKUP 1\n"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


def new_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def key_from_environment() -> bytes:
    from peaceops.env import envstr

    text = envstr("PEACEOPS_BACKUP_KEY", "").strip()
    if not text:
        raise BackupError("Set PEACEOPS_BACKUP_KEY (or PEACEOPS_BACKUP_KEY_FILE) to the backup key; "
                          "`peaceops backup --new-key` prints a new one.")
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise BackupError("PEACEOPS_BACKUP_KEY must be 32 bytes in base64 (as `peaceops backup --new-key` prints).")
    return key


def _key_check(key: bytes) -> str:
    return hmac.new(key, b"peaceops backup key check", hashlib.sha256).hexdigest()[:32]


def encrypt_file(plain: Path, target: Path, key: bytes, vendor: str) -> None:
    header = json.dumps({"format": 1, "vendor": vendor, "created": timezone.now().isoformat(),
                         "key_check": _key_check(key)}, sort_keys=True).encode()
    cipher = AESGCM(key)
    with plain.open("rb") as source, target.open("wb") as out:
        out.write(MAGIC + struct.pack(">I", len(header)) + header)
        index, block = 0, source.read(CHUNK)
        while True:
            following = source.read(CHUNK)
            last = not following
            nonce = os.urandom(12)
            sealed = cipher.encrypt(nonce, block, _aad(header, index, last))
            out.write(struct.pack(">I", len(sealed)) + nonce + sealed)
            if last:
                break
            index, block = index + 1, following


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return hashlib.sha256(header).digest() + struct.pack(">Q?", index, last)


def read_header(path: Path) -> tuple[dict, bytes, int]:
    with path.open("rb") as source:
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{path} is not a PeaceOps backup.")
        size = struct.unpack(">I", source.read(4))[0]
        raw = source.read(size)
        try:
            return json.loads(raw), raw, len(MAGIC) + 4 + size
        except ValueError:
            raise BackupError(f"{path}: the backup's header is damaged.") from None


def _chunks(path: Path, key: bytes) -> Iterator[bytes]:
    header, raw, offset = read_header(path)
    if not hmac.compare_digest(header.get("key_check", ""), _key_check(key)):
        raise BackupError("This backup was made with another key: PEACEOPS_BACKUP_KEY is not the key it was "
                          "encrypted with. Nothing was restored.")
    cipher = AESGCM(key)
    with path.open("rb") as source:
        source.seek(offset)
        index = 0
        while True:
            length = source.read(4)
            if len(length) < 4:
                raise BackupError("The backup is cut short (its last part is missing). Nothing was restored.")
            size = struct.unpack(">I", length)[0]
            nonce, sealed = source.read(12), source.read(size)
            following = source.peek(1)[:1] if hasattr(source, "peek") else b""
            last = not following
            try:
                yield cipher.decrypt(nonce, sealed, _aad(raw, index, last))
            except InvalidTag:
                raise BackupError(f"The backup was altered or damaged (part {index + 1} fails its authentication). "
                                  "Nothing was restored.") from None
            if last:
                return
            index += 1


def decrypt_file(path: Path, target: Path, key: bytes) -> dict:
    header = read_header(path)[0]
    with target.open("wb") as out:
        for block in _chunks(path, key):
            out.write(block)
    return header


def backup(target: Path, key: bytes) -> dict:
    """Write an encrypted backup of the default database to `target`; returns its header."""
    with tempfile.TemporaryDirectory(prefix="peaceops-backup-") as tmp:
        plain = Path(tmp) / "database"
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            destination = sqlite3.connect(plain)
            with destination:
                connection.connection.backup(destination)  # consistent even while others write
            destination.close()
        elif connection.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(plain), _pg_url()])
        else:
            raise BackupError(f"No backup method for {connection.vendor}.")
        partial = target.with_name(target.name + ".partial")
        encrypt_file(plain, partial, key, connection.vendor)
        os.replace(partial, target)
    return read_header(target)[0]


def restore(source: Path, key: bytes) -> dict:
    """Replace the default database's contents with the backup's; nothing changes unless the whole file
    decrypts and authenticates."""
    header = read_header(source)[0]
    if header.get("vendor") != connection.vendor:
        raise BackupError(f"This is a {header.get('vendor')} backup; the database here is {connection.vendor}.")
    with tempfile.TemporaryDirectory(prefix="peaceops-restore-") as tmp:
        plain = Path(tmp) / "database"
        decrypt_file(source, plain, key)  # the whole file is authenticated before anything is touched
        if connection.vendor == "sqlite":
            restored = sqlite3.connect(plain)
            if restored.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The decrypted database fails SQLite's integrity check. Nothing was restored.")
            connection.ensure_connection()
            restored.backup(connection.connection)
            restored.close()
        else:
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname",
                  _pg_url(), str(plain)])
    connection.close()
    return header


def _pg_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgresql://{auth}{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{s['NAME']}"


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")
