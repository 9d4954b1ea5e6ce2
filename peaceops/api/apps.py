from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "peaceops.api"
    label = "api"
    verbose_name = "REST API"
