from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "peaceops.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self):
        from peaceops.api import tokens
        from peaceops.core import credentials

        credentials.revoking.connect(tokens.revoke_on_signal, dispatch_uid="api-tokens-revoke")
