"""Who may sign in as what: role changes under four eyes, and the credentials epoch that ends old sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peaceops.core.roles import ROLE_LABELS


class RoleChangeKind(models.TextChoices):
    GRANT = "grant", _("grant")
    REVOKE = "revoke", _("revoke")


class RoleChangeStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a second administrator")
    APPLIED = "applied", _("in effect")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class RoleChange(models.Model):
    """One request to give or take a role. A grant of a four-eyes role stays pending until an administrator
    other than the requester and the grantee approves it; everything else applies at once. Every row stays:
    this table is what admins and coordinators watch."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_changes",
                             verbose_name=_("account"))
    role = models.CharField(_("role"), max_length=30, choices=list(ROLE_LABELS.items()))
    kind = models.CharField(_("change"), max_length=10, choices=RoleChangeKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=RoleChangeStatus.choices,
                              default=RoleChangeStatus.PENDING)
    reason = models.TextField(_("reason"))
    # Empty for a grant made on the server by the operator (`peaceops roles grant`).
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("role change")
        constraints = [
            # One open request per account and role: a second would be approved twice or confuse reviewers.
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(status="pending"),
                                    name="one_pending_role_change_per_account_and_role"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.role} → {self.user} ({self.status})"


class CredentialsEpoch(models.Model):
    """Bumped when an account's password, second factor or roles change: a session signed in under an earlier
    epoch is ended at its next request (Django alone ends sessions only on a password change)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="credentials_epoch")
    epoch = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)
    reason = models.CharField(max_length=100, blank=True)
    # Who last set the password: its holder, an administrator (who then knows it), or the server ("" or system:).
    password_set_by = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}: epoch {self.epoch}"
