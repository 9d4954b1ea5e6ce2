from django.urls import path

from peaceops.returns.views import convoys, corridors, counts, duplicates, flows, households

app_name = "returns"

urlpatterns = [
    path("", counts.returned, name="returned"),
    path("returned/chart.svg", counts.returned_chart, name="returned_chart"),
    path("flows/", flows.flow_list, name="flows"),
    path("flows/<int:checkpoint>/", flows.flow_sheet, name="flow_sheet"),
    path("corridors/", corridors.corridor_list, name="corridor_list"),
    path("corridors/<int:pk>/", corridors.corridor_detail, name="corridor_detail"),
    path("corridors.geojson", counts.corridor_geojson, name="corridor_geojson"),
    path("convoys.geojson", counts.convoys_geojson, name="convoys_geojson"),
    path("households/", households.household_list, name="household_list"),
    path("households/new/", households.household_new, name="household_new"),
    path("households/<int:pk>/", households.household_detail, name="household_detail"),
    path("households/<int:pk>/movement/", households.household_movement, name="household_movement"),
    path("duplicates/", duplicates.duplicate_list, name="duplicate_list"),
    path("duplicates/search/", duplicates.duplicate_search, name="duplicate_search"),
    path("duplicates/search/status/", duplicates.duplicate_search_status, name="duplicate_search_status"),
    path("duplicates/<int:pk>/<slug:decision>/", duplicates.duplicate_decide, name="duplicate_decide"),
    path("convoys/", convoys.convoy_list, name="convoy_list"),
    path("convoys/plan/", convoys.convoy_plan, name="convoy_plan"),
    path("convoys/<int:pk>/", convoys.convoy_detail, name="convoy_detail"),
    path("convoys/<int:pk>/manifest/", convoys.convoy_manifest, name="convoy_manifest"),
    path("convoys/<int:pk>/<slug:action>/", convoys.convoy_action, name="convoy_action"),
]
