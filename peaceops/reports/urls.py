from django.urls import path, register_converter

from peaceops.core.params import parse_day
from peaceops.reports import views


class IsoDate:
    """A report's day in the address; a day outside the operation's range is a 400 naming the range (it is
    raised while the address is resolved, as `BadParameter` is no ValueError)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value):
        return parse_day(value, "day")

    def to_url(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDate, "isodate")

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("sitrep/<isodate:day>/", views.sitrep_page, name="sitrep"),
    path("sitrep/<isodate:day>/download.<str:fmt>", views.sitrep_download, name="sitrep_download"),
    path("sitrep/<isodate:day>/draft/", views.start_draft, name="start_draft"),
    path("versions/<int:pk>/approve/", views.approve, name="approve"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("versions/<int:pk>/marking/", views.set_marking, name="marking"),
    path("versions/<int:pk>/narrative/<slug:section>/", views.narrative, name="narrative"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("public/", views.public_index, name="public_index"),
    path("public/<isodate:day>/", views.public_sitrep, name="public_sitrep"),
    path("public/<isodate:day>/download.<str:fmt>", views.public_download, name="public_download"),
    path("public/sitreps.hxl.csv", views.public_hxl, name="public_hxl"),
]
