"""The API's one exception handler: every error answers with one shape.

The body is a JSON object whose `detail` is always one readable sentence; a validation error also keeps its
per-field messages as lists (`{"detail": "place: Unknown place.", "place": ["Unknown place."]}`). A service's
Django `ValidationError` is converted here, so views call services without converting what they raise, and a
malformed body (a parse error), a bad parameter and a refused field read the same way.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

_GENERAL = (NON_FIELD_ERRORS, "non_field_errors", "detail")


def from_django(exc: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as the API's: field messages by field, the rest under `detail`."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"detail": exc.messages})


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    if isinstance(value, (list, tuple)):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def error_body(data) -> dict:
    """`data` as DRF produced it (a string, a list of messages or a mapping) in the one error shape."""
    if not isinstance(data, dict):
        data = {"detail": data}
    general = [message for key in _GENERAL if key in data for message in _messages(data[key])]
    fields = {key: value for key, value in data.items() if key not in _GENERAL}
    summary = general + [f"{key}: {' '.join(_messages(value))}" for key, value in fields.items()]
    return {"detail": " ".join(summary), **fields}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = from_django(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data)
    return response
