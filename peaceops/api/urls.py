"""The REST API: every app registers its viewsets through `<app>/api.py: register(router)`."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from peaceops.api.integrity import with_integrity
from peaceops.api.views import obtain_token
from peaceops.core.registry import collect


class Router(DefaultRouter):
    """Every viewset an app registers gets ETag/If-Match and Idempotency-Key (peaceops.api.integrity)."""

    def register(self, prefix, viewset, basename=None):
        super().register(prefix, with_integrity(viewset), basename)


router = Router()
for register in collect("api", "REGISTER"):
    register(router)

urlpatterns = [
    path("auth/token/", obtain_token, name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves its start-up script as a file: the Content Security Policy forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    # ReDoc searches in a web worker it starts from a blob: this page alone may start one.
    path("redoc/", csp_update({"worker-src": ["'self'", "blob:"]})(SpectacularRedocView.as_view(url_name="api_schema")),
         name="api_redoc"),
    path("", include(router.urls)),
]
