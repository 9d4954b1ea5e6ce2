from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Cases"), "exchanges:home", "exchanges.view_cases"),
    (_("Party lists"), "exchanges:list_list", "exchanges.view_cases"),
    (_("Exchanges"), "exchanges:event_list", "exchanges.view_cases"),
    (_("Tracing"), "exchanges:tracing_list", "exchanges.view_cases"),
    (_("Identification"), "exchanges:identification", "exchanges.view_identification"),
]
