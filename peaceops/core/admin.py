"""Django admin: for administrators' configuration (users, reference data) — never case contents, never secrets.

Roles are not edited here: the user pages show them read-only and link to the access page, where a grant waits
for a second administrator (peaceops.core.rolegrants). Group and permission pages, authenticator devices and API
tokens' secrets are not in the admin at all; tokens are listed (whose, since when, until when) to be revoked.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken
from simple_history.admin import SimpleHistoryAdmin

from peaceops.core.models import Organisation, Party, Place, PlaceAlias, Source
from peaceops.core.roles import FOUR_EYES_ROLES, ROLE_LABELS, roles_of

for _model in (User, Group, TOTPDevice, AuthToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Accounts without their roles, permissions or superuser flag: those change on the access page only."""

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Account"), {"fields": ("is_active", "roles")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("roles", "last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "roles", "is_active")
    list_filter = ("is_active", "groups")
    filter_horizontal = ()

    @admin.display(description=_("roles"))
    def roles(self, obj):
        names = sorted(obj.groups.values_list("name", flat=True))
        labels = ", ".join(str(ROLE_LABELS.get(name, name)) for name in names) or "—"
        return format_html('{} · <a href="{}">{}</a>', labels, reverse("core:access"), gettext("change roles"))

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: the audit chain and the case files name them

    def user_change_password(self, request, id, form_url=""):
        target = self.get_object(request, unquote(id))
        if target is not None and target.pk != request.user.pk and (
                roles_of(target) & FOUR_EYES_ROLES or target.is_superuser):
            # Setting such an account's password would let one administrator sign in as it and read case files.
            messages.error(request, gettext(
                "%(user)s holds a role that reads case files or administers accounts; an administrator cannot set "
                "its password. Its holder changes it at /accounts/password/. If it is lost: remove the role on "
                "the access page (at once), set a new password, then request the role again — a second "
                "administrator approves it.") % {"user": target.get_username()})
            return redirect(reverse("admin:auth_user_change", args=[target.pk]))
        return super().user_change_password(request, id, form_url)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Issued API tokens, to revoke one (a lost laptop); the token itself is never stored, so never shown."""

    list_display = ("user", "created", "expiry")
    fields = ("user", "created", "expiry")
    readonly_fields = fields
    search_fields = ("user__username",)

    def has_add_permission(self, request):
        return False  # tokens are issued to their holder only, at /api/auth/token/

    def has_change_permission(self, request, obj=None):
        return False


class PlaceAliasInline(admin.TabularInline):
    model = PlaceAlias
    extra = 1
    fields = ["name", "language", "kind", "script"]
    readonly_fields = ["script"]


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "parent", "pcode", "population"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name", "pcode"]
    inlines = [PlaceAliasInline]


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["label", "kind", "code"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "party", "sector"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "reliability", "party"]
    list_filter = ["kind", "reliability"]
