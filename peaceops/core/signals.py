"""Every create, update and delete of a PeaceOps record (and of users and groups) extends the audit chain."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction, AuditEvent, AuditHead

_SKIPPED = (AuditEvent, AuditHead)


def _audited(sender) -> bool:
    if sender in _SKIPPED or getattr(sender, "AUDITED", True) is False:  # bookkeeping that opts out
        return False
    meta = sender._meta
    if meta.model_name.startswith("historical"):  # simple-history's version rows are themselves the history
        return False
    if sender in (User, Group):
        return True
    return sender.__module__.startswith("peaceops.")


@receiver(post_save)
def _on_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not _audited(sender):
        return
    if audit.collect(AuditAction.CREATE if created else AuditAction.UPDATE, sender._meta.label, instance.pk):
        return
    detail = {"state": audit.state_digest(instance)}
    if update_fields:
        detail["fields"] = sorted(update_fields)
    audit.append(
        AuditAction.CREATE if created else AuditAction.UPDATE,
        sender._meta.label,
        instance.pk,
        _repr(instance),
        detail,
    )


@receiver(post_delete)
def _on_delete(sender, instance, **kwargs):
    if not _audited(sender):
        return
    if audit.collect(AuditAction.DELETE, sender._meta.label, instance.pk):
        return
    audit.append(AuditAction.DELETE, sender._meta.label, instance.pk, _repr(instance), {})


def _repr(instance) -> str:
    # Sensitive records are named by id only: the audit log must not become a copy of the case files.
    return audit.object_name(instance)
