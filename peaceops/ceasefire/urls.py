from django.urls import path

from peaceops.ceasefire.views import counts, field, incidents, layers

app_name = "ceasefire"

urlpatterns = [
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/new/", incidents.incident_new, name="incident_new"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/claim/", incidents.incident_claim, name="incident_claim"),
    path("incidents/<int:pk>/decide/", incidents.incident_decide, name="incident_decide"),
    path("incidents/<int:pk>/merge/", incidents.incident_merge, name="incident_merge"),
    path("incidents/<int:pk>/reopen/", incidents.incident_reopen, name="incident_reopen"),
    path("incidents/<int:pk>/sources/add/", incidents.incident_add_source, name="incident_add_source"),
    path("incidents.geojson", counts.incidents_geojson, name="incidents_geojson"),
    path("incidents/export/", counts.export, name="export"),
    path("incidents/import/", counts.import_page, name="import"),
    path("review/", incidents.review_queue, name="review_queue"),
    path("posts/", field.post_logs, name="post_logs"),
    path("patrols/", field.patrol_list, name="patrol_list"),
    path("patrols/<int:pk>/", field.patrol_detail, name="patrol_detail"),
    path("map/features.geojson", layers.features_geojson, name="features_geojson"),
    path("map/features/save/", layers.feature_save, name="feature_save"),
    path("map/features/<int:pk>/retire/", layers.feature_retire, name="feature_retire"),
    path("map/posts-near/", layers.posts_near, name="posts_near"),
    path("map/post-buffers.geojson", layers.post_buffers, name="post_buffers"),
    path("map/patrol-tracks.geojson", layers.patrol_tracks, name="patrol_tracks"),
    path("counts/", counts.counts_page, name="counts"),
    path("counts/chart.svg", counts.counts_chart, name="counts_chart"),
]
