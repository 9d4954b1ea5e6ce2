from django.urls import path

from peaceops.sources import views

app_name = "sources"

urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/original/", views.document_original, name="document_original"),
    path("claims/<int:pk>/review/", views.claim_review, name="claim_review"),
    path("check/", views.recheck, name="recheck"),
]
