from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "peaceops.exchanges"
    label = "exchanges"
    verbose_name = "Exchanges"
