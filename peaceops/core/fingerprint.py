"""The fingerprint of a record's stored values: the audit chain stores it with every write
(`peaceops.core.audit.state_digest`) and `peaceops.core.record_state` checks live records against it. A leaf: it
imports no other PeaceOps module, so the chain and the record checks both build on it."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid

from django.db import models


def _canonical(model_field: models.Field, value):
    """The value as the database gives it back, so a digest taken at save time equals one taken after a reload
    (a date assigned as text, a float assigned as an int, a datetime in local time)."""
    if value is None:
        return None
    try:
        value = model_field.to_python(value)
    except Exception:  # noqa: BLE001 — a value the field cannot read is fingerprinted as it is
        pass
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        places = getattr(model_field, "decimal_places", None)
        if places is not None and value.is_finite():
            value = value.quantize(decimal.Decimal(1).scaleb(-places))
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, models.Choices):
        return value.value
    return value


def digest(instance: models.Model) -> str:
    """SHA-256 of the record's concrete field values (the audit chain stores it with every write)."""
    values = {f.attname: _canonical(f, getattr(instance, f.attname)) for f in instance._meta.concrete_fields}
    canonical = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
