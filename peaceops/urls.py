"""URL map: the shell, each domain app under its own prefix, the API, and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy

from peaceops.core.views import account, health, shell, twofactor

admin.site.site_header = gettext_lazy("PeaceOps administration")
handler400 = "peaceops.core.views.errors.bad_request"

urlpatterns = [
    path("", shell.public_home, name="public_home"),
    path("dashboard/", shell.dashboard, name="dashboard"),
    path("health/", health.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/code/", twofactor.verify, name="otp_verify"),
    path("accounts/authenticator/", twofactor.enrol, name="otp_enrol"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("peaceops.core.urls")),
    path("api/", include("peaceops.api.urls")),
    path("admin/", admin.site.urls),
    # Open-source reports and their claims; /sources/ is the core's register of sources.
    path("open-sources/", include("peaceops.sources.urls")),
    # The OpenRosa server for ODK Collect and Enketo (its server URL is https://HOST/openrosa).
    path("openrosa/", include("peaceops.fieldforms.openrosa_urls")),
    path("field-forms/", include("peaceops.fieldforms.urls")),
]

# Each domain app mounts its pages under its own prefix once it has a urls module.
for _app in ("ceasefire", "returns", "exchanges", "restoration", "intake", "reports", "linkage", "alerts"):
    try:
        urlpatterns.append(path(f"{_app}/", include(f"peaceops.{_app}.urls")))
    except ModuleNotFoundError as exc:
        if exc.name != f"peaceops.{_app}.urls":
            raise

