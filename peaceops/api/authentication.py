"""API tokens that expire: a token lost from a field laptop stops working on its own.

Tokens are looked up by their first characters and compared by digest (django-rest-knox's storage); an expired
token is deleted and refused with the way to a new one."""

from __future__ import annotations

from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions

from peaceops.core.context import set_actor


def token_expires_at(token: AuthToken):
    return token.expiry


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        key = token.decode("utf-8", errors="replace")
        digest = hash_token(key)
        for candidate in AuthToken.objects.filter(token_key=key[:CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user"):
            if not compare_digest(digest, candidate.digest):
                continue
            if candidate.expiry is not None and candidate.expiry <= timezone.now():
                candidate.delete()
                raise exceptions.AuthenticationFailed(
                    _("Token expired; request a new one at /api/auth/token/."))
            if not candidate.user.is_active:
                raise exceptions.AuthenticationFailed(_("Invalid token."))
            # API requests authenticate after the middleware ran: attribute audit events to the token's user.
            set_actor(candidate.user.get_username())
            return candidate.user, candidate
        raise exceptions.AuthenticationFailed(_("Invalid token."))


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """The schema names the scheme: `Authorization: Token <token>` (drf-spectacular reads this on import)."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
