from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "peaceops.linkage"
    label = "linkage"
    verbose_name = "Record linkage"

    def ready(self) -> None:
        from peaceops.linkage.params import read_stored_model_with
        from peaceops.linkage.store import current

        read_stored_model_with(current)  # the engine's model: the operation's active version, else the shipped one
