from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "peaceops.alerts"
    label = "alerts"
    verbose_name = "Alerts and tasks"

    def ready(self) -> None:
        from peaceops.core.events import happened

        happened.connect(_event, dispatch_uid="alerts.rules")


def _event(sender, subject=None, facts=None, **kwargs) -> None:
    # Every announced event is matched against the coordinators' rules; the app that announced it knows nothing
    # of alerts (domain apps never import each other).
    from peaceops.alerts.services import rules

    rules.on_event(sender, subject, facts or {})
