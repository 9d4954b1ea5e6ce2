from django.urls import path

from peaceops.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("count/", views.counter, name="counter"),
    path("<int:pk>/", views.alert_detail, name="alert_detail"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/deactivate/", views.rule_deactivate, name="rule_deactivate"),
    path("rules/<int:pk>/reactivate/", views.rule_reactivate, name="rule_reactivate"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/new/", views.task_new, name="task_new"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
]
