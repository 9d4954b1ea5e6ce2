from django.urls import path

from peaceops.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("count/", views.counter, name="counter"),
    path("<int:pk>/", views.alert_detail, name="alert_detail"),
    path("rules/", views.rule_list, name="rule_list"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
]
