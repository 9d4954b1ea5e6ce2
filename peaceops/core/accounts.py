"""Model-layer guards and records for accounts, whatever path changes them (admin site, API, shell, script).

- Group membership, per-user permissions and group permissions change only inside rolegrants.sanctioned():
  anything else raises PermissionDenied, so roles cannot be granted around the four-eyes rule.
- An existing account cannot be turned into a superuser outside it either (createsuperuser, which creates a new
  account, stays the documented way to make the first administrator).
- These changes are written to the audit chain with what changed (not an opaque "update auth.User").
- A changed password revokes the account's API tokens and its other sessions (peaceops.core.credentials).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from peaceops.core import audit, credentials, rolegrants
from peaceops.core.context import current_actor
from peaceops.core.models.audit import AuditAction

_WATCHED = ("password", "is_superuser", "is_staff", "is_active")


def _names(model, pk_set) -> list[str]:
    if not pk_set:
        return []
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    if model is User:
        return sorted(User.objects.filter(pk__in=pk_set).values_list("username", flat=True))
    return sorted(f"{app}.{code}" for app, code in model.objects.filter(pk__in=pk_set)
                  .values_list("content_type__app_label", "codename"))


def _guard_and_record(sender, instance, action, reverse, model, pk_set, what: str, **kwargs):
    if action.startswith("pre_") and not rolegrants.is_sanctioned():
        raise PermissionDenied(f"{what} change only through peaceops.core.rolegrants (four eyes); refused.")
    if not action.startswith("post_"):
        return
    change = action.removeprefix("post_")
    if reverse:  # group.user_set.add(user) and the like: name the accounts changed
        label = instance._meta.label
        audit.append(AuditAction.UPDATE, label, instance.pk, f"{what} {change}",
                     {"change": change, "accounts" if model is User else "items": _names(model, pk_set)})
    else:
        audit.append(AuditAction.UPDATE, instance._meta.label, instance.pk,
                     f"{what} of {instance} {change}", {"change": change, "items": _names(model, pk_set)})


@receiver(m2m_changed, sender=User.groups.through)
def _user_groups(sender, **kwargs):
    _guard_and_record(sender, what="roles (groups)", **kwargs)


@receiver(m2m_changed, sender=User.user_permissions.through)
def _user_permissions(sender, **kwargs):
    _guard_and_record(sender, what="permissions", **kwargs)


@receiver(m2m_changed, sender=Group.permissions.through)
def _group_permissions(sender, **kwargs):
    _guard_and_record(sender, what="group permissions", **kwargs)


@receiver(pre_save, sender=User)
def _before_user_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._peaceops_before = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(_WATCHED):
        return  # last_login and the like: nothing guarded changed
    before = User.objects.filter(pk=instance.pk).values(*_WATCHED).first()
    instance._peaceops_before = before
    if before and instance.is_superuser and not before["is_superuser"] and not rolegrants.is_sanctioned():
        raise PermissionDenied("An existing account is made superuser only through peaceops.core.rolegrants; "
                               "refused.")


@receiver(post_save, sender=User)
def _after_user_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_peaceops_before", None)
    if created or (before and before["password"] != instance.password):
        credentials.note_password_setter(instance, current_actor())
    if created:
        if instance.is_superuser:
            audit.append(AuditAction.UPDATE, "auth.User", instance.pk, f"superuser {instance.username} created",
                         {"superuser": True})
        return
    if not before:
        return
    changed = [f for f in _WATCHED if before[f] != getattr(instance, f)]
    if not changed:
        return
    audit.append(AuditAction.UPDATE, "auth.User", instance.pk, f"account {instance.username}: "
                 f"{', '.join('password' if f == 'password' else f'{f}={getattr(instance, f)}' for f in changed)}",
                 {"changed": changed})
    if "password" in changed:
        credentials.revoke(instance, "password changed")


@receiver(user_logged_in)
def _stamp_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        credentials.stamp(request, user)
        # A sign-in names its account: before the login completes the request's actor is still anonymous.
        from peaceops.core import audit
        from peaceops.core.models.audit import AuditAction

        audit.append(AuditAction.LOGIN, "auth.User", user.pk, "signed in", actor=user.get_username())


# Every step of signing in and out names the account by its user name (never a person's name): the duty officer
# filters the log by who. A refused sign-in keeps the name tried, which may name no account at all.
@receiver(user_login_failed)
def _record_refused_sign_in(sender, credentials, request=None, **kwargs):
    tried = str((credentials or {}).get("username") or "")[:150]
    account = User.objects.filter(username=tried).values_list("pk", flat=True).first() if tried else None
    audit.append(AuditAction.LOGIN, "auth.User", account or "", "sign-in refused", actor=tried)


@receiver(user_logged_out)
def _record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit.append(AuditAction.LOGIN, "auth.User", user.pk, "signed out", actor=user.get_username())
