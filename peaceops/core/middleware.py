"""Tags every request with an id and the acting user, for the audit chain."""

from __future__ import annotations

import uuid

from peaceops.core.context import reset_actor, reset_request_id, set_actor, set_request_id


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request.headers.get("X-Request-Id", "")[:36] or str(uuid.uuid4())
        user = getattr(request, "user", None)
        actor_token = set_actor(user.get_username() if user is not None and user.is_authenticated else "")
        request_token = set_request_id(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_actor(actor_token)
            reset_request_id(request_token)
        response["X-Request-Id"] = request.request_id
        return response
