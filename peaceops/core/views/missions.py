"""The mission's configuration: everyone working in it reads it, the administrator changes it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peaceops.core import mission
from peaceops.core.models import Mission, Party
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can


class MissionForm(forms.ModelForm):
    parties = forms.ModelMultipleChoiceField(label=gettext_lazy("Parties and actors"), queryset=Party.objects.all(),
                                             required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Mission
        fields = mission.FIELDS
        # A date input takes ISO dates whatever the page's language (Russian would render 10.11.2020: blank).
        widgets = {"ceasefire_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "first_return_day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


@require("core.view_reference")
def mission_detail(request):
    from peaceops.core.context_processors import utc_offset

    return render(request, "core/mission.html", {
        "current": mission.current(), "missions": Mission.objects.visible_to(request.user).prefetch_related("parties"),
        "can_configure": can(request.user, "core.configure_mission"), "first_return_day": mission.first_return_day(),
        "bounds": mission.area_bounds(), "day_cutoff": mission.day_cutoff(), "small_cell": mission.small_cell(),
        "utc_offset": utc_offset(),
    })


@require("core.view_reference", "core.configure_mission", writer_only=True)
def mission_form(request, pk: int | None = None):
    record: Mission = get_visible_or_404(Mission.objects, request.user, pk=pk) if pk else Mission()
    initial = {"parties": list(record.parties.all())} if pk else {}
    form = MissionForm(request.POST or None, instance=record, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in mission.FIELDS}
        try:
            mission.save(record, values, parties=form.cleaned_data["parties"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Mission saved."))
            return redirect("core:mission")
    if form.errors:
        status = 400
    return render(request, "core/mission_form.html", {"form": form, "record": record}, status=status)


@require("core.view_reference", "core.configure_mission")
@require_POST
def mission_activate(request, pk: int):
    record = get_visible_or_404(Mission.objects, request.user, pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm: every page, report and import changes mission."))
        return redirect("core:mission")
    mission.activate(record)
    messages.success(request, _("“%(name)s” is now the active mission.") % {"name": record.name})
    return redirect("core:mission")
