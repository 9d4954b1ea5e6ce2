"""Django admin: for administrators' configuration (users, roles, gazetteer, parties) — never case contents."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from peaceops.core.models import Organisation, Party, Place, PlaceAlias, Source


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
