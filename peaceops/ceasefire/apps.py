from django.apps import AppConfig


class CeasefireConfig(AppConfig):
    name = "peaceops.ceasefire"
    label = "ceasefire"
    verbose_name = "Ceasefire"
