from django.urls import path

from peaceops.core.views import access, auditlog, gazetteer, missions, people, reference

app_name = "core"

urlpatterns = [
    path("places/", gazetteer.place_list, name="place_list"),
    path("places/new/", gazetteer.place_edit, name="place_new"),
    path("places/<int:pk>/", gazetteer.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", gazetteer.place_edit, name="place_edit"),
    path("places.geojson", gazetteer.places_geojson, name="places_geojson"),
    path("map/", gazetteer.map_page, name="map"),
    path("map/layers/", gazetteer.map_layers, name="map_layers"),
    path("map/basemap.geojson", gazetteer.basemap_geojson, name="basemap_geojson"),
    path("parties/", reference.party_list, name="party_list"),
    path("sources/", reference.source_list, name="source_list"),
    path("sources/<int:pk>/", reference.source_detail, name="source_detail"),
    path("information/<int:pk>/grade/", reference.grade_report, name="grade_report"),
    path("mission/", missions.mission_detail, name="mission"),
    path("mission/new/", missions.mission_form, name="mission_new"),
    path("mission/<int:pk>/edit/", missions.mission_form, name="mission_edit"),
    path("mission/<int:pk>/activate/", missions.mission_activate, name="mission_activate"),
    path("people/", people.person_list, name="person_list"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("audit/", auditlog.audit_list, name="audit_list"),
    path("access/", access.access_page, name="access"),
    path("access/<int:pk>/<str:decision>/", access.decide, name="access_decide"),
]
