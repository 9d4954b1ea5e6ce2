"""The database's copy of the signed audit checkpoints (the authoritative copies are files outside it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditCheckpoint(models.Model):
    """One signed checkpoint: how many events the chain had and the hash of the newest, at a time.

    Kept here so pages (a published report prints the checkpoint that covers it) need no access to the anchor
    directory. Verification never trusts these rows: it reads the files. Rows are written with bulk_create,
    which keeps them out of the audit chain (a checkpoint must not itself move the head it signs)."""

    AUDITED = False

    count = models.PositiveBigIntegerField()
    head = models.CharField(max_length=64)
    last_event_id = models.PositiveBigIntegerField()
    signed_at = models.DateTimeField()
    origin = models.CharField(max_length=100)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)
    file_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["count", "signed_at"]
        verbose_name = _("audit checkpoint")

    def __str__(self) -> str:
        return f"checkpoint {self.count} events {self.head[:12]}… key {self.key_id}"
