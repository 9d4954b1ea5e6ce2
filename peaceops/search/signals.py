"""Keys follow the names: every saved or deleted name re-keys its record in the same transaction.

Bulk paths that bypass save() (imports, the scenario) call `services.index` themselves."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from peaceops.core.models import PersonName
from peaceops.exchanges.models import PartyListEntry, TracingRequest
from peaceops.search import services


@receiver(post_save, sender=PersonName)
@receiver(post_delete, sender=PersonName)
def _person_name_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index_persons([instance.person_id])


@receiver(post_save, sender=PartyListEntry)
def _list_entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index(services.LIST_ENTRY, [(instance.pk, instance.full_name)])


@receiver(post_save, sender=TracingRequest)
def _tracing_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.index(services.TRACING, [(instance.pk, instance.sought_name)])
