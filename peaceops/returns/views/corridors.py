"""Corridor pages: list, create, and the status history with its change form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.core import versioning
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.returns import services
from peaceops.returns.forms import CorridorForm, CorridorStatusForm
from peaceops.returns.models import Corridor


@require("returns.view", "returns.change")
def corridor_list(request):
    form = CorridorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corridor = services.create_corridor(form.cleaned_data["name"], form.cleaned_data["checkpoints"],
                                                user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Corridor created."))
            return redirect("returns:corridor_detail", pk=corridor.pk)
    corridors = Corridor.objects.visible_to(request.user).prefetch_related("checkpoints__place")
    return render(request, "returns/corridor_list.html", {
        "corridors": corridors, "form": form, "can_edit": can(request.user, "returns.change")})


@require("returns.view", "returns.change")
def corridor_detail(request, pk: int):
    corridor = get_visible_or_404(Corridor.objects, request.user, pk=pk)
    form = CorridorStatusForm(request.POST or None, initial={"status": corridor.status})
    if request.method == "POST":
        if form.is_valid():
            try:
                with versioning.expecting(corridor, versioning.posted_revision(request)):
                    services.set_corridor_status(corridor, form.cleaned_data["status"], form.cleaned_data["reason"],
                                                 at=form.cleaned_data["at"], user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Corridor status recorded."))
                return redirect("returns:corridor_detail", pk=corridor.pk)
    return render(request, "returns/corridor_detail.html", {
        "corridor": corridor, "checkpoints": corridor.ordered_checkpoints(),
        "changes": corridor.status_changes.select_related("recorded_by"), "form": form,
        "can_edit": can(request.user, "returns.change")})
