"""Forms of the restoration pages; they only shape input, the services decide what is valid."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceops.core.models import Organisation, Place
from peaceops.core.models.places import PlaceKind
from peaceops.core.versioning import RevisionFormMixin
from peaceops.restoration.models import (
    ClearanceTask,
    DamageAssessment,
    Facility,
    HazardousArea,
    MineAccident,
    OrdnanceType,
    QAResult,
    ReleaseMethod,
    RiskEducationSession,
    Work,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FacilityForm(RevisionFormMixin, forms.ModelForm):
    class Meta:
        model = Facility
        fields = ["name", "kind", "place", "capacity", "capacity_unit", "settlements", "population_served",
                  "depends_on", "notes"]
        widgets = {"settlements": forms.SelectMultiple(attrs={"size": 8}),
                   "depends_on": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.exclude(kind__in=[PlaceKind.COUNTRY]).order_by("name")
        self.fields["settlements"].queryset = Place.objects.filter(kind=PlaceKind.SETTLEMENT).order_by("name")
        deps = Facility.objects.order_by("sector", "name")
        if self.instance.pk:
            deps = deps.exclude(pk=self.instance.pk)
        self.fields["depends_on"].queryset = deps


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class AssessmentForm(forms.ModelForm):
    photos = MultipleImageField(label=_("Photos"), required=False)

    class Meta:
        model = DamageAssessment
        fields = ["facility", "date", "assessor", "severity", "functionality", "needs"]
        widgets = {"date": DATE, "needs": forms.Textarea(attrs={"rows": 3})}


class WorkForm(RevisionFormMixin, forms.ModelForm):
    class Meta:
        model = Work
        fields = ["organisation", "activity", "facility", "status", "planned_start", "planned_end", "actual_start",
                  "actual_end", "percent_complete", "restores_to", "resources"]
        widgets = {"planned_start": DATE, "planned_end": DATE, "actual_start": DATE, "actual_end": DATE,
                   "resources": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        # Range checks live in the service so that forms, API and imports give the same message.
        for name in ("percent_complete", "restores_to"):
            self.fields[name].validators = []
            self.fields[name].widget.attrs.update({"min": 0, "max": 100})
        self.fields["percent_complete"].min_value = None


class WorkActionForm(RevisionFormMixin, forms.Form):
    ACTIONS = [("start", _("Start")), ("progress", _("Report progress")), ("suspend", _("Suspend")),
               ("resume", _("Resume")), ("complete", _("Complete")), ("cancel", _("Cancel"))]
    action = forms.ChoiceField(choices=ACTIONS)
    date = forms.DateField(label=_("Date"), required=False, widget=DATE)
    # xgettext:no-python-format
    percent = forms.IntegerField(label=_("% complete"), required=False)


class HazardousAreaForm(RevisionFormMixin, forms.ModelForm):
    geometry = forms.CharField(
        label=_("Geometry"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("“latitude, longitude” for a point, or GeoJSON: {\"type\": \"Polygon\", \"coordinates\": "
                    "[[[lon, lat], …, first position again]]}"))

    class Meta:
        model = HazardousArea
        fields = ["code", "name", "status", "hazard", "geometry", "place", "estimated_area_m2", "reported_on"]
        widgets = {"reported_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and isinstance(self.instance.geometry, dict):
            self.initial["geometry"] = json.dumps(self.instance.geometry)

    def clean_geometry(self):
        text = self.cleaned_data["geometry"].strip()
        if text.startswith("{"):
            try:
                return json.loads(text)
            except json.JSONDecodeError as exc:
                raise forms.ValidationError(_("Not valid JSON: %(error)s"), params={"error": exc}) from None
        try:
            lat, lon = (float(part) for part in text.replace(";", ",").split(","))
        except ValueError:
            raise forms.ValidationError(_("Give “latitude, longitude” or a GeoJSON geometry.")) from None
        return {"type": "Point", "coordinates": [lon, lat]}


class ClearanceTaskForm(RevisionFormMixin, forms.ModelForm):
    class Meta:
        model = ClearanceTask
        fields = ["code", "kind", "organisation", "hazardous_area", "place", "description", "status", "start", "end"]
        widgets = {"start": DATE, "end": DATE}


class ClearanceReportForm(forms.Form):
    task = forms.ModelChoiceField(label=_("Task"), queryset=ClearanceTask.objects.order_by("code"))
    date = forms.DateField(label=_("Date"), widget=DATE)
    area = forms.DecimalField(label=_("Area cleared"), min_value=0, decimal_places=2, initial=0)
    unit = forms.ChoiceField(label=_("Unit"), choices=[("m2", "m²"), ("ha", _("hectares"))])
    road_km = forms.DecimalField(label=_("Road cleared (km)"), min_value=0, decimal_places=2, initial=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in OrdnanceType.choices:
            self.fields[f"found_{value}"] = forms.IntegerField(label=label, min_value=0, initial=0, required=False)
            self.fields[f"destroyed_{value}"] = forms.IntegerField(label=label, min_value=0, initial=0,
                                                                   required=False)

    def ordnance_rows(self):
        return [(label, self[f"found_{value}"], self[f"destroyed_{value}"]) for value, label in OrdnanceType.choices]

    def ordnance(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {value: (data.get(f"found_{value}") or 0, data.get(f"destroyed_{value}") or 0)
                for value in OrdnanceType.values}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV, XLSX or HXL file"))


class LandReleaseForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    method = forms.ChoiceField(label=_("Method"), choices=ReleaseMethod.choices)
    area = forms.DecimalField(label=_("Area released"), decimal_places=2)
    unit = forms.ChoiceField(label=_("Unit"), choices=[("m2", "m²"), ("ha", _("hectares"))])
    team = forms.CharField(label=_("Team"), max_length=120)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.order_by("name"),
                                          required=False)
    task = forms.ModelChoiceField(label=_("Task"), queryset=ClearanceTask.objects.none(), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, area=None, **kwargs):
        super().__init__(*args, **kwargs)
        if area is not None:
            self.fields["task"].queryset = ClearanceTask.objects.filter(hazardous_area=area).order_by("code")


class QAForm(forms.Form):
    qa_date = forms.DateField(label=_("Inspected on"), widget=DATE)
    qa_result = forms.ChoiceField(label=_("Result"), choices=[(QAResult.PASSED, QAResult.PASSED.label),
                                                              (QAResult.FAILED, QAResult.FAILED.label)])
    qa_inspector = forms.CharField(label=_("Inspected by"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Drawn inline in each release's row without <label>s: each field names itself to the reader.
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
            field.widget.attrs.setdefault("title", str(field.label))
        self.fields["qa_inspector"].widget.attrs.setdefault("placeholder", str(self.fields["qa_inspector"].label))


class HandoverForm(forms.Form):
    handed_over_on = forms.DateField(label=_("Handed over on"), widget=DATE)
    handed_over_to = forms.CharField(label=_("Handed over to"), max_length=200,
                                     help_text=_("e.g. the village council, the land owners, the road authority"))


class MineAccidentForm(RevisionFormMixin, forms.ModelForm):
    class Meta:
        model = MineAccident
        fields = ["date", "place", "latitude", "longitude", "area", "device", "activity",
                  "killed_girls", "killed_boys", "killed_women", "killed_men",
                  "injured_girls", "injured_boys", "injured_women", "injured_men", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].help_text = _("Left empty, the area the coordinates (or the place) lie in.")
        for name in self.Meta.fields:
            if name.startswith(("killed_", "injured_")):
                self.fields[name].validators = []  # the service says it in its own words


class RiskEducationForm(RevisionFormMixin, forms.ModelForm):
    class Meta:
        model = RiskEducationSession
        fields = ["date", "place", "venue", "organisation", "area", "girls", "boys", "women", "men", "notes"]
        widgets = {"date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        for name in ("girls", "boys", "women", "men"):
            self.fields[name].validators = []
