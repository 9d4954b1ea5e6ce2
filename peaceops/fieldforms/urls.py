from django.urls import path

from peaceops.fieldforms import import_views, views

app_name = "fieldforms"

urlpatterns = [
    path("", views.form_index, name="forms"),
    path("forms/<slug:form_id>.xlsx", views.form_xlsx, name="xlsx"),
    path("forms/<slug:form_id>.xml", views.form_xml, name="xml"),
    path("offline/sw.js", views.offline_worker, name="offline_worker"),
    path("offline/session", views.offline_session, name="offline_session"),
    path("offline/<slug:form_id>/", views.offline_form, name="offline"),
    path("offline/<slug:form_id>/send", views.offline_send, name="offline_send"),
    path("import/", import_views.export_import, name="import"),
    path("import/status", import_views.export_import_status, name="import_status"),
    path("submissions/", views.queue, name="queue"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
]
