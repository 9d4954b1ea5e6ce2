from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "peaceops.linkage"
    label = "linkage"
    verbose_name = "Record linkage"
