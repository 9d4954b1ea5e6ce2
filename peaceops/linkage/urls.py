from django.urls import path

from peaceops.linkage import views

app_name = "linkage"

urlpatterns = [
    path("quality/", views.quality, name="quality"),
    path("learn/", views.learn, name="learn"),
    path("shipped/", views.use_shipped, name="use_shipped"),
    path("jobs/", views.job_start, name="job_start"),
    path("jobs/status/", views.job_status, name="job_status"),
]
