"""API tokens that expire: a token lost from a field laptop stops working on its own."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from peaceops.core.context import _actor


def token_expires_at(token):
    return token.created + timedelta(hours=settings.API_TOKEN_TTL_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expires_at(token) <= timezone.now():
            raise exceptions.AuthenticationFailed(_("Token expired; request a new one at /api/auth/token/."))
        # API requests authenticate after the middleware ran: attribute audit events to the token's user.
        _actor.set(user.get_username())
        return user, token
