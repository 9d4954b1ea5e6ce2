from django.apps import AppConfig


class RestorationConfig(AppConfig):
    name = "peaceops.restoration"
    label = "restoration"
    verbose_name = "Restoration"
