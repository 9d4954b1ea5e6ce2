from django.apps import AppConfig


class ScenarioConfig(AppConfig):
    name = "peaceops.scenario"
    label = "scenario"
    verbose_name = "Scenario"
