from django.urls import path

from peaceops.fieldforms import views

app_name = "fieldforms"

urlpatterns = [
    path("", views.form_index, name="forms"),
    path("forms/<slug:form_id>.xlsx", views.form_xlsx, name="xlsx"),
    path("forms/<slug:form_id>.xml", views.form_xml, name="xml"),
    path("submissions/", views.queue, name="queue"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
]
