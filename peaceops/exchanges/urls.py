from django.urls import path

from peaceops.exchanges.views import cases, events, identification, lists, tracing

app_name = "exchanges"

urlpatterns = [
    path("", cases.case_list, name="home"),
    path("cases/<str:kind>/", cases.case_list, name="case_list"),
    path("cases/<str:kind>/new/", cases.case_new, name="case_new"),
    path("cases/<str:kind>/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<str:kind>/<int:pk>/<str:action>/", cases.case_action, name="case_action"),
    path("lists/", lists.list_list, name="list_list"),
    path("lists/import/", lists.list_import, name="list_import"),
    path("lists/<int:pk>/", lists.list_detail, name="list_detail"),
    path("reconciliations/<int:pk>/", lists.reconciliation_detail, name="reconciliation_detail"),
    path("reconciliations/<int:pk>/report/<slug:party>.<str:fmt>", lists.reconciliation_report,
         name="reconciliation_report"),
    path("decisions/<int:pk>/<str:action>/", lists.decide, name="decide"),
    path("events/", events.event_list, name="event_list"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/<str:action>/", events.event_action, name="event_action"),
    path("tracing/", tracing.tracing_list, name="tracing_list"),
    path("tracing/new/", tracing.tracing_new, name="tracing_new"),
    path("tracing/<int:pk>/", tracing.tracing_detail, name="tracing_detail"),
    path("tracing/<int:pk>/<str:action>/", tracing.tracing_action, name="tracing_action"),
    path("identification/", identification.home, name="identification"),
    path("identification/lab-import/", identification.lab_import, name="lab_import"),
    path("identification/compare/", identification.compare, name="ampm_compare"),
    path("identification/dna/<int:pk>/<str:action>/", identification.dna_decide, name="dna_decide"),
    path("identification/ampm/<int:pk>/<str:action>/", identification.ampm_decide, name="ampm_decide"),
    path("identification/missing/<int:pk>/", identification.missing_file, name="missing_file"),
    path("identification/missing/<int:pk>/<str:action>/", identification.missing_action, name="missing_action"),
    path("identification/remains/<int:pk>/", identification.remains_file, name="remains_file"),
    path("identification/remains/<int:pk>/<str:action>/", identification.remains_action, name="remains_action"),
    path("identification/photographs/<int:pk>/", identification.photograph, name="identification_photo"),
    path("identification/sites/", identification.site_list, name="site_list"),
    path("identification/sites/new/", identification.site_new, name="site_new"),
    path("identification/sites/<int:pk>/", identification.site_detail, name="site_detail"),
    path("family/<int:pk>/", identification.family, name="family"),
]
