"""Token issue: exchange a user name and password for an expiring API token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from peaceops.api import tokens
from peaceops.core import twofactor


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(required=False, allow_blank=True,
                                help_text="The one-time code, for roles that sign in with a second factor.")


@extend_schema(
    request=TokenRequestSerializer,
    responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                        "expires": serializers.DateTimeField()})},
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([AnonRateThrottle])
def obtain_token(request):
    """A new token each time (the old one is revoked), valid for API_TOKEN_TTL_HOURS. Only its digest is
    stored: this answer is the one time the token can be read."""
    serializer = TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    code = serializer.validated_data.pop("otp", "")
    user = authenticate(request._request, **serializer.validated_data)
    if getattr(request._request, "axes_locked_out", False):
        return Response({"detail": _("Too many failed sign-ins from this address or for this user name; try again "
                                     "in an hour.")}, status=status.HTTP_429_TOO_MANY_REQUESTS)
    if user is None or not user.is_active:
        return Response({"detail": "User name and password do not match."}, status=status.HTTP_400_BAD_REQUEST)
    if twofactor.required_for(user):
        device = twofactor.confirmed_device(user)
        if device is None:
            return Response({"detail": "This account needs a second factor: sign in on the web once to set up "
                                       "its authenticator, then send its code as otp."},
                            status=status.HTTP_400_BAD_REQUEST)
        error = twofactor.check(device, code) if code else "This account needs its one-time code: send it as otp."
        if error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
    token, plain = tokens.issue(user)
    return Response({"token": plain, "expires": token.expiry.isoformat(), "issued": token.created.isoformat()})
