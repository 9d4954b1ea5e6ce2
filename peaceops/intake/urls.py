from django.urls import path

from peaceops.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/<str:key>/", views.upload, name="upload"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
]
