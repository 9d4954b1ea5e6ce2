from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "peaceops.search"
    label = "search"
    verbose_name = "Name search"

    def ready(self) -> None:
        from peaceops.search import signals  # noqa: F401  (keys follow every saved name)
