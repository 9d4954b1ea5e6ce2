from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "peaceops.intake"
    label = "intake"
    verbose_name = "Intake"
