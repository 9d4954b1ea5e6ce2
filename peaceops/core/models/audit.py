"""The audit chain: an append-only, hash-chained log of every change and every sensitive read."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    READ = "read", _("read")
    EXPORT = "export", _("export")
    BULK = "bulk", _("bulk write")
    PUBLISH = "publish", _("publish")
    LOGIN = "login", _("login")
    DECISION = "decision", _("decision")


class AuditEvent(models.Model):
    """Each event stores the SHA-256 of its predecessor; `peaceops audit verify` recomputes the chain."""

    timestamp = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150, blank=True)  # username as it was; users may be renamed later
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=36, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        indexes = [models.Index(fields=["model", "object_id"])]
        # One successor per event: the database itself refuses a fork of the chain, whichever path appends.
        constraints = [models.UniqueConstraint(fields=["prev_hash"], name="core_auditevent_one_successor")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.model}:{self.object_id} by {self.actor or '-'}"


class AuditHead(models.Model):
    """The chain's tip and length. Appending moves it by compare-and-swap from the hash the new event points at; the
    row stays locked by the appending transaction until it commits, so concurrent writers extend the chain one at a
    time. `verify` compares it with the events, which catches events removed from the end."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    count = models.PositiveBigIntegerField(default=0)
