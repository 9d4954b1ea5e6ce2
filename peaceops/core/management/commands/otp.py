"""`peaceops otp status|reset USER`: an account's second factor; a reset makes the user enrol again."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from peaceops.core import audit, credentials, twofactor
from peaceops.core.models.audit import AuditAction


class Command(BaseCommand):
    help = "Show or reset a user's second factor (authenticator app)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "reset"])
        parser.add_argument("username")

    def handle(self, *args, action, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        devices = TOTPDevice.objects.filter(user=user)
        if action == "reset":
            count, _ = devices.delete()
            audit.append(AuditAction.DELETE, "otp_totp.TOTPDevice", user.pk, f"second factor of {username} reset",
                         {"devices": count})
            credentials.revoke(user, "second factor reset")  # whoever held the lost device loses its sessions
            return (f"{username}: second factor reset, sessions and API tokens revoked; the next sign-in asks to "
                    "enrol an authenticator.")
        needed = "required" if twofactor.required_for(user) else "not required for this account's roles"
        enrolled = "enrolled" if devices.filter(confirmed=True).exists() else "not enrolled"
        return f"{username}: second factor {needed}; authenticator {enrolled}."
