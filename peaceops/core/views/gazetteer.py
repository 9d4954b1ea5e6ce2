"""Gazetteer pages: search in any script, place detail with its aliases, and the map."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core import basemap, gazetteer, services, versioning
from peaceops.core.forms import AliasForm, PlaceForm
from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind
from peaceops.core.params import choice_param
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can


@require("core.view_gazetteer")
def place_list(request):
    query = request.GET.get("q", "").strip()
    kind = choice_param(request, "kind", PlaceKind)
    resolution = error = None
    if query:
        places = list(gazetteer.search(query))
        try:
            resolution = gazetteer.resolve(query)
        except (gazetteer.PlaceNotFound, gazetteer.PlaceAmbiguous) as exc:
            error = str(exc)
        if resolution and resolution.place not in places:
            places.insert(0, resolution.place)
        page = None
    else:
        qs = Place.objects.visible_to(request.user).select_related("parent")
        if kind:
            qs = qs.filter(kind=kind)
        page = Paginator(qs, 100).get_page(request.GET.get("page"))
        places = page.object_list
    context = {"places": places, "page": page, "query": query, "kind": kind, "kinds": PlaceKind.choices,
               "resolution": resolution, "error": error, "can_edit": can(request.user, "core.edit_gazetteer")}
    template = "core/_place_results.html" if request.htmx else "core/place_list.html"
    return render(request, template, context)


@require("core.view_gazetteer", "core.edit_gazetteer")
def place_detail(request, pk: int):
    place = get_visible_or_404(Place.objects.select_related("parent"), request.user, pk=pk)
    form = AliasForm(request.POST or None, place=place)
    if request.method == "POST":
        if form.is_valid():
            try:
                with versioning.expecting(place, versioning.posted_revision(request)):
                    services.add_alias(place, form.cleaned_data["name"], form.cleaned_data["language"],
                                       form.cleaned_data["kind"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Alias added."))
                return redirect("core:place_detail", pk=place.pk)
    return render(request, "core/place_detail.html", {
        "place": place, "aliases": place.aliases.all(), "children": place.children.order_by("name"),
        "form": form, "can_edit": can(request.user, "core.edit_gazetteer"),
    })


@require("core.view_gazetteer", "core.edit_gazetteer", writer_only=True)
def place_edit(request, pk: int | None = None):
    place = get_visible_or_404(Place.objects, request.user, pk=pk) if pk else None
    form = PlaceForm(request.POST or None, instance=place)
    done = versioning.submit(request, form, place, lambda: services.save_place(form.save(commit=False)))
    if done.saved:
        messages.success(request, _("Place saved."))
        return redirect("core:place_detail", pk=done.value.pk)
    return render(request, "core/place_form.html", {"form": form, "place": place}, status=done.status)


@require("core.view_map")
def map_page(request):
    south, west, north, east = basemap.area_bounds()
    text = {
        "all": _("All dates"), "window": _("Days shown"), "upTo": _("Up to"), "play": _("Play"),
        "heat": _("Incidents as a heat map"), "postsTitle": _("Posts that could have seen this point"),
        "noPosts": _("No observation post within %(km)s km.") % {"km": "{km}"},
        "draw": _("Draw"), "finish": _("Finish"), "cancel": _("Cancel"), "edit": _("Edit shape"),
        "save": _("Save"), "retire": _("Retire"), "name": _("Name of the new feature:"),
        "confirmRetire": _("Take this feature off the map? Its history is kept."),
        "saved": _("Saved."), "drawHint": _("Click to add vertices; Finish when done."),
        "whichPosts": _("Which posts could have seen this?"), "open": _("open"),
        "incidentsShown": _("incidents shown"),
    }
    return render(request, "core/map.html", {"title": "map", "map_bounds": f"{south},{west},{north},{east}",
                                             "map_text": text})


@require("core.view_map")
def basemap_geojson(request):
    """The offline base layer (built by `peaceops map build-basemap`, else drawn from the gazetteer now)."""
    return JsonResponse(basemap.current())


@require("core.view_map")
def places_geojson(request):
    """Places with coordinates as GeoJSON, named in the page's language; every alias travels along so the map
    popup shows all names."""
    places = Place.objects.visible_to(request.user).exclude(latitude=None).prefetch_related("aliases")
    kinds = request.GET.getlist("kind")
    if kinds:
        places = places.filter(kind__in=kinds)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(p.longitude), float(p.latitude)]},
            "properties": {"id": p.pk, "name": str(p), "kind": p.kind, "kind_label": str(p.get_kind_display()),
                           "aliases": sorted({a.name for a in p.aliases.all()}), "population": p.population},
        }
        for p in places
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require("core.view_map")
def map_layers(request):
    """The layers this user may see, each app contributing its own through `map_layers.MAP_LAYERS`."""
    from peaceops.core.registry import collect

    layers = []
    for key, label, url_name, query, capability, colour, labels, visible in collect("map_layers", "MAP_LAYERS"):
        if can(request.user, capability):
            url = reverse(url_name) + (f"?{query}" if query else "")
            layers.append({"key": key, "label": str(label), "url": url, "color": colour, "labels": labels,
                           "visible": visible})
    return JsonResponse({"layers": layers})
