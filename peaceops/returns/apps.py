from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "peaceops.returns"
    label = "returns"
    verbose_name = "Returns"
