from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "peaceops.returns"
    label = "returns"
    verbose_name = "Returns"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from peaceops.core.identity import separated
        from peaceops.core.models import Person

        post_save.connect(_person_saved, sender=Person, dispatch_uid="returns.person_merge")
        separated.connect(_person_separated, sender=Person, dispatch_uid="returns.person_separate")


def _person_saved(sender, instance, created, raw=False, **kwargs) -> None:
    # A confirmed merge (done by linkage or by hand) folds the merged record's first arrival into the survivor's.
    if raw or created or not instance.merged_into_id:
        return
    from peaceops.returns.services.counting import apply_merge

    apply_merge(instance)


def _person_separated(sender, person, previous, **kwargs) -> None:
    # An undone merge: both records count again on their own first arrivals.
    from peaceops.returns.services.counting import follow_merges, refold

    refold({person.pk, follow_merges([previous])[previous]})
