"""Remembered API responses per `Idempotency-Key`, so a client's retry replays the first answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """One key of one user: the request it came with (a fingerprint) and, once answered, the answer.

    Bookkeeping rather than a record: kept out of the audit chain (the write it guards is audited itself) and
    deleted once PEACEOPS_IDEMPOTENCY_TTL_HOURS have passed."""

    AUDITED = False

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)  # None while the first request is being answered
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")]

    def __str__(self) -> str:
        return f"idempotency key {self.key[:20]} of user {self.user_id}"
