from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "peaceops.sources"
    label = "sources"
    verbose_name = "Open sources"
