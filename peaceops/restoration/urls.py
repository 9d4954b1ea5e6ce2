from django.urls import path

from peaceops.restoration.views import facilities, mine_action, status, works

app_name = "restoration"

urlpatterns = [
    path("", status.status_page, name="status"),
    path("facilities/", facilities.facility_list, name="facility_list"),
    path("facilities/new/", facilities.facility_edit, name="facility_new"),
    path("facilities/<int:pk>/", facilities.facility_detail, name="facility_detail"),
    path("facilities/<int:pk>/edit/", facilities.facility_edit, name="facility_edit"),
    path("facilities.geojson", facilities.facilities_geojson, name="facilities_geojson"),
    path("assessments/", facilities.assessment_list, name="assessment_list"),
    path("assessments/new/", facilities.assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/photos/<str:sha256>/", facilities.assessment_photo, name="assessment_photo"),
    path("works/", works.work_list, name="work_list"),
    path("works/new/", works.work_edit, name="work_new"),
    path("works/import/", works.work_import_view, name="work_import"),
    path("works/<int:pk>/", works.work_detail, name="work_detail"),
    path("works/<int:pk>/edit/", works.work_edit, name="work_edit"),
    path("export/<str:what>.hxl.csv", works.export_hxl, name="export_hxl"),
    path("mine-action/", mine_action.overview, name="mine_action"),
    path("mine-action/areas/new/", mine_action.area_edit, name="area_new"),
    path("mine-action/areas/<int:pk>/", mine_action.area_detail, name="area_detail"),
    path("mine-action/areas/<int:pk>/edit/", mine_action.area_edit, name="area_edit"),
    path("mine-action/areas/<int:pk>/release/", mine_action.release_new, name="release_new"),
    path("mine-action/releases/<int:pk>/qa/", mine_action.release_qa, name="release_qa"),
    path("mine-action/releases/<int:pk>/handover/", mine_action.release_handover, name="release_handover"),
    path("mine-action/accidents/", mine_action.accident_list, name="accident_list"),
    path("mine-action/accidents/new/", mine_action.accident_edit, name="accident_new"),
    path("mine-action/accidents/<int:pk>/edit/", mine_action.accident_edit, name="accident_edit"),
    path("mine-action/risk-education/", mine_action.session_list, name="session_list"),
    path("mine-action/risk-education/new/", mine_action.session_edit, name="session_new"),
    path("mine-action/risk-education/<int:pk>/edit/", mine_action.session_edit, name="session_edit"),
    path("mine-action/areas.geojson", mine_action.areas_geojson, name="areas_geojson"),
    path("mine-action/tasks/new/", mine_action.task_edit, name="task_new"),
    path("mine-action/tasks/<int:pk>/edit/", mine_action.task_edit, name="task_edit"),
    path("mine-action/reports/new/", mine_action.report_new, name="report_new"),
]
