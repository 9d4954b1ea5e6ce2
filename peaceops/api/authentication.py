"""API tokens that expire: a token lost from a field laptop stops working on its own.

Tokens are looked up by their first characters and compared by digest (django-rest-knox's storage); an expired
token is deleted and refused with the way to a new one. The same query reads the user's roles (their groups'
names), which every endpoint's permission check needs next (`peaceops.core.roles.roles_of`): one query per API
request instead of two."""

from __future__ import annotations

import json
from hmac import compare_digest

from django.contrib.auth.models import User
from django.db.models import Aggregate, OuterRef, Subquery, TextField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS
from rest_framework import exceptions

from peaceops.api.prepared import Prepared
from peaceops.core.context import set_actor
from peaceops.core.roles import ADMIN


class _JSONNames(Aggregate):
    """The names as one JSON array (text): exact for any name, on SQLite and PostgreSQL."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_AGG", template="%(function)s(%(expressions)s)::text",
                              **extra_context)


def _role_names():
    memberships = User.groups.through.objects.filter(user_id=OuterRef("user_id")).order_by()
    return Subquery(memberships.values("user_id").annotate(names=_JSONNames("group__name")).values("names"))


_TOKEN_FIELDS = tuple(f.attname for f in AuthToken._meta.concrete_fields)
_USER_FIELDS = tuple(f.attname for f in User._meta.concrete_fields)
_USER_COLUMNS = tuple(f"user__{name}" for name in _USER_FIELDS)
# The tokens of a key prefix with their users and roles, its SQL compiled once per connection (peaceops.api.prepared):
# every API request sends it, and compiling the join and the roles' subquery cost more than running it.
_CANDIDATE_ROWS = Prepared(AuthToken, lambda prefix: AuthToken.objects.filter(token_key=prefix).values(
    *_TOKEN_FIELDS, *_USER_COLUMNS, peaceops_roles=_role_names()))


def _candidates(prefix: str) -> list[AuthToken]:
    """The tokens whose key starts with `prefix`, each with its user (as select_related gives it) and
    `peaceops_roles`, the user's group names as a JSON array."""
    tokens = []
    for row in _CANDIDATE_ROWS(prefix):
        token = AuthToken.from_db(_CANDIDATE_ROWS.alias(), _TOKEN_FIELDS, [row[name] for name in _TOKEN_FIELDS])
        user = User.from_db(_CANDIDATE_ROWS.alias(), _USER_FIELDS, [row[name] for name in _USER_COLUMNS])
        AuthToken.user.field.set_cached_value(token, user)
        token.peaceops_roles = row["peaceops_roles"]
        tokens.append(token)
    return tokens


def token_expires_at(token: AuthToken):
    return token.expiry


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        key = token.decode("utf-8", errors="replace")
        digest = hash_token(key)
        for candidate in _candidates(key[:CONSTANTS.TOKEN_KEY_LENGTH]):
            if not compare_digest(digest, candidate.digest):
                continue
            if candidate.expiry is not None and candidate.expiry <= timezone.now():
                candidate.delete()
                raise exceptions.AuthenticationFailed(
                    _("Token expired; request a new one at /api/auth/token/."))
            if not candidate.user.is_active:
                raise exceptions.AuthenticationFailed(_("Invalid token."))
            user = candidate.user
            roles = frozenset(json.loads(candidate.peaceops_roles or "[]"))
            user._peaceops_roles = roles | {ADMIN} if user.is_superuser else roles  # what roles_of would read
            # API requests authenticate after the middleware ran: attribute audit events to the token's user.
            set_actor(user.get_username())
            return user, candidate
        raise exceptions.AuthenticationFailed(_("Invalid token."))


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    """The schema names the scheme: `Authorization: Token <token>` (drf-spectacular reads this on import)."""

    target_class = ExpiringTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
