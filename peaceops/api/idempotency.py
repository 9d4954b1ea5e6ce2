"""`Idempotency-Key` on API POSTs: a client on a bad connection retries a create without knowing whether the first
try arrived; the retry must not create a second incident, household or case.

A key is scoped to its user. The first request with a key claims it (a unique row), runs, and its answer (status,
body, Location/ETag) is stored; a retry with the same key and the same body gets that answer again. The same key
with another body is refused (422): the client reused a key by mistake. A retry while the first is still running
gets 409. Answers of 5xx are not stored, so the retry runs again. Keys expire after
PEACEOPS_IDEMPOTENCY_TTL_HOURS."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from peaceops.core.models.idempotency import IdempotencyKey

HEADER = "Idempotency-Key"
_KEPT_HEADERS = ("Location", "ETag", "Content-Type")


class KeyProblem(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail


@dataclass(frozen=True)
class Claim:
    pk: int


def fingerprint(request) -> str:
    """The method, path and body as parsed (key order and spacing do not matter; files count by content)."""
    data = request.data
    if hasattr(data, "lists"):  # a form or multipart body
        files = {name: hashlib.sha256(b"".join(f.chunks())).hexdigest() for name, f in request.FILES.items()}
        data = {"fields": {k: v for k, v in data.lists() if k not in request.FILES}, "files": files}
    canonical = json.dumps([request.method, request.path, data], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _valid(key: str) -> bool:
    return 0 < len(key) <= 255 and key.isprintable() and key.isascii()


def begin(request, key: str) -> Claim | Response:
    """Claim `key` for this request, or the stored answer to replay; KeyProblem when neither may happen."""
    if not _valid(key):
        raise KeyProblem(400, f"{HEADER} must be 1 to 255 printable ASCII characters.")
    now = timezone.now()
    IdempotencyKey.objects.filter(expires_at__lt=now).delete()
    print_ = fingerprint(request)
    for _attempt in range(2):
        existing = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if existing is not None:
            if existing.fingerprint != print_:
                raise KeyProblem(422, f"This {HEADER} was already used with a different request; use a new key "
                                      "for a new request.")
            if existing.status_code is None:
                raise KeyProblem(409, f"A request with this {HEADER} is still being processed; retry later.")
            response = Response(existing.body, status=existing.status_code)
            for name, value in existing.headers.items():
                if name != "Content-Type":
                    response[name] = value
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.bulk_create([IdempotencyKey(
                    user=request.user, key=key, fingerprint=print_, created_at=now,
                    expires_at=now + dt.timedelta(hours=settings.PEACEOPS_IDEMPOTENCY_TTL_HOURS))])[0]
        except IntegrityError:  # a simultaneous retry claimed it first: answer as for an existing key
            continue
        pk = row.pk or IdempotencyKey.objects.get(user=request.user, key=key).pk
        return Claim(pk)
    raise KeyProblem(409, f"A request with this {HEADER} is still being processed; retry later.")


def finish(claim: Claim, response) -> None:
    """Store the answer (2xx-4xx), or release the key after a server error so that the retry runs again."""
    if response.status_code >= 500:
        release(claim)
        return
    data = getattr(response, "data", None)
    body = json.loads(JSONRenderer().render(data)) if data is not None else None
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    IdempotencyKey.objects.filter(pk=claim.pk).update(status_code=response.status_code, body=body, headers=headers)


def release(claim: Claim) -> None:
    IdempotencyKey.objects.filter(pk=claim.pk).delete()
