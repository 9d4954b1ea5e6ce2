from django.utils.translation import gettext_lazy as _

NAVIGATION = [
    (_("Sitrep"), "reports:index", "reports.view_sitrep"),
    (_("Curves"), "reports:dashboard", "reports.view_dashboard"),
    (_("Published reports"), "reports:public_index", "reports.view_published"),
]
