"""Error pages that say what went wrong when the caller can fix it."""

from __future__ import annotations

from django.shortcuts import render

from peaceops.core.params import BadParameter


def bad_request(request, exception=None):
    """400: a parameter we refused names what is allowed; any other bad request (a forged header, a broken
    upload) gets the generic text, since its message may echo what the client sent."""
    message = exception.message if isinstance(exception, BadParameter) else ""
    return render(request, "400.html", {"message": message}, status=400)
