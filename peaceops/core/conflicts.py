"""A stale write that reached no form of its own (an action button, a lifecycle step) answers 409 with a page
that says who changed the record and when, lists the user's input, and offers to apply it to the current
version (the same input re-posted with the current revision)."""

from __future__ import annotations

from django.shortcuts import render

from peaceops.core import versioning

_NOT_SHOWN = {"csrfmiddlewaretoken", "revision"}


def conflict_page(request, exc: versioning.StaleRecord):
    record = exc.target
    pairs = [(name, value) for name in request.POST for value in request.POST.getlist(name) if name not in _NOT_SHOWN]
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    return render(request, "core/conflict.html", {
        "message": exc.message(), "record_url": url, "submitted": pairs, "resubmit": pairs,
        "current_revision": versioning.current_revision(record) or "", "had_files": bool(request.FILES),
    }, status=409)


class StaleRecordMiddleware:
    """Turns a StaleRecord raised by any page into the 409 conflict page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, versioning.StaleRecord) and not request.path.startswith("/api/"):
            return conflict_page(request, exception)
        return None
