from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "peaceops.reports"
    label = "reports"
    verbose_name = "Reports"
