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


POLL_HEADER = "X-PeaceOps-Poll"


class MissionTimeZoneMiddleware:
    """Pages show local time in the mission's zone when its administrator set one (else settings.TIME_ZONE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import timezone

        from peaceops.core import mission

        name = mission.time_zone_name()
        if name != settings.TIME_ZONE:
            timezone.activate(mission.time_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class BackgroundPollMiddleware:
    """A counter polled in the background never changes the browser's sign-in, and never swaps a page in.

    Placed before the session middleware, so it sees the cookies that middleware set. A poll sent with the
    session a credential change (the first code, a new password) is about to renew can be answered after the
    renewal: Django would then delete or replace the session cookie and sign the new session out. Nor is a
    sign-in page or a refusal something to put inside a badge: such answers become "204 No Content"."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if POLL_HEADER not in request.headers:
            return response
        from django.conf import settings
        from django.http import HttpResponse

        if response.status_code != 200:
            response = HttpResponse(status=204)
        response.cookies.pop(settings.SESSION_COOKIE_NAME, None)
        return response
