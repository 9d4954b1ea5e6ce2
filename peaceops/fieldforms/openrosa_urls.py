from django.urls import path

from peaceops.fieldforms import openrosa

app_name = "openrosa"

urlpatterns = [
    path("formList", openrosa.form_list, name="form_list"),
    path("forms/<slug:form_id>/form.xml", openrosa.form_download, name="form"),
    path("submission", openrosa.submission, name="submission"),
]
