"""Every API viewset gets the same integrity rules (the router mixes this in; see peaceops/api/urls.py).

Lost updates — `ETag` / `If-Match` (RFC 9110 §8.8.3, §13.1.1):
- GET of a record answers `ETag: "<revision>"`.
- PUT, PATCH and DELETE of a record need a precondition: `If-Match` with that ETag (or `*`), or the `revision`
  the client read in the body. Without either: 428 Precondition Required (RFC 6585). Accepting a blind write
  would keep exactly the lost update this prevents; a client that really means "whatever is stored" sends
  `If-Match: *`.
- A stale `If-Match` gets 412 Precondition Failed, as RFC 9110 prescribes for a failed header precondition.
  A stale `revision` in the body gets 409 Conflict: the body's claim about the state conflicts with it (what the
  web pages answer too). Either way nothing is written, and the answer says who changed the record and when.
- POST actions on a record (decide, dispatch, approve…) honour `If-Match` when sent, and run without it.

Retries — `Idempotency-Key` on every POST (peaceops.api.idempotency).
"""

from __future__ import annotations

from contextlib import ExitStack

from django.db import transaction
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from peaceops.api import idempotency
from peaceops.core import versioning

_NEED_PRECONDITION = {"PUT", "PATCH", "DELETE"}


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = ("Send If-Match with the record's ETag (or the revision you read, in the body): without it "
                      "this write could overwrite someone else's change.")
    default_code = "precondition_required"


def etag(revision: int) -> str:
    return f'"{revision}"'


def parse_if_match(header: str, current: int) -> int | None:
    """The revision an If-Match names: `current` when any listed tag (or `*`) matches, else one that does not.
    Weak tags never match (If-Match uses the strong comparison)."""
    tags = [t.strip() for t in header.split(",") if t.strip()]
    if "*" in tags:
        return current
    for tag in tags:
        if tag == etag(current):
            return current
    return -1


def _body_revision(request) -> int | None:
    try:
        value = request.data.get("revision") if hasattr(request.data, "get") else None
    except Exception:  # noqa: BLE001 — an unparsable body is reported by the endpoint itself
        return None
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class RecordIntegrityMixin:
    _guard: ExitStack | None = None
    _record = None
    _precondition = ""  # "header" or "body": where the revision came from
    _claim = None
    _guarded = False

    def dispatch(self, request, *args, **kwargs):
        self._record, self._precondition, self._claim, self._guarded = None, "", None, False
        try:
            with ExitStack() as guard:
                self._guard = guard
                response = super().dispatch(request, *args, **kwargs)
        except Exception:
            if self._claim is not None:  # a server error: the key is released, so that the retry runs
                idempotency.release(self._claim)
            raise
        if self._claim is not None:
            idempotency.finish(self._claim, response)  # after the write's transaction has closed
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling first
        if request.method not in SAFE_METHODS:
            # Once the caller may write, the body is parsed here for every write, so a body that is not a JSON
            # object is the same clear 400 whether or not the view reads it (peaceops.api.parsers).
            request.data  # noqa: B018
        key = request.headers.get(idempotency.HEADER)
        if key is not None and request.method == "POST" and request.user.is_authenticated:
            outcome = idempotency.begin(request, key)
            if isinstance(outcome, Response):
                raise _Replay(outcome)
            self._claim = outcome

    def get_object(self):
        record = super().get_object()
        self._record = record
        request = self.request
        if request.method in SAFE_METHODS or not hasattr(record, "revision"):
            return record
        header = request.headers.get("If-Match")
        if header is not None:
            seen, self._precondition = parse_if_match(header, record.revision), "header"
        else:
            seen = _body_revision(request)
            self._precondition = "body" if seen is not None else ""
        if seen is None:
            if request.method in _NEED_PRECONDITION:
                raise PreconditionRequired
            return record
        # Locks the row for the rest of the request and makes every save of it check the revision seen.
        self._guard.enter_context(versioning.expecting(record, seen))
        self._guarded = True
        return record

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        if isinstance(exc, idempotency.KeyProblem):
            return Response({"detail": exc.detail}, status=exc.status)
        if isinstance(exc, versioning.StaleRecord):
            return self._stale(exc)
        return super().handle_exception(exc)

    def _stale(self, exc: versioning.StaleRecord) -> Response:
        change = exc.last_change
        current = versioning.current_revision(exc.target)
        code = status.HTTP_412_PRECONDITION_FAILED if self._precondition == "header" else status.HTTP_409_CONFLICT
        response = Response({
            "detail": exc.message(), "changed_by": change.actor if change else None,
            "changed_at": change.at if change else None, "revision": current}, status=code)
        if current is not None:
            response["ETag"] = etag(current)
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and self._guarded:
            transaction.set_rollback(True)  # a refused write inside the record's guard leaves nothing behind
        record = self._record
        if record is not None and hasattr(record, "revision") and 200 <= response.status_code < 300:
            current = record.revision if request.method in SAFE_METHODS else versioning.current_revision(record)
            if current is not None:
                response["ETag"] = etag(current)
        return super().finalize_response(request, response, *args, **kwargs)


class _Replay(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__("replay")
        self.response = response


def with_integrity(viewset: type) -> type:
    """The viewset with the integrity rules mixed in (same name, docs and module, for the schema)."""
    if issubclass(viewset, RecordIntegrityMixin):
        return viewset
    return type(viewset.__name__, (RecordIntegrityMixin, viewset),
                {"__module__": viewset.__module__, "__doc__": viewset.__doc__, "__qualname__": viewset.__qualname__})
