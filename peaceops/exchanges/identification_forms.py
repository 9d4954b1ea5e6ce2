"""Forms of the identification pages (ante-mortem, post-mortem, DNA); the services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceops.exchanges.forms import DateInput
from peaceops.exchanges.models import (
    AnteMortem,
    DnaSample,
    FamilyContact,
    PostMortem,
    RecoverySite,
    SampleKind,
)


class FamilyContactForm(forms.ModelForm):
    class Meta:
        model = FamilyContact
        fields = ["name", "relationship", "consent_to_share", "contact", "recorded_on"]
        widgets = {"recorded_on": DateInput}


class AnteMortemForm(forms.ModelForm):
    class Meta:
        model = AnteMortem
        fields = ["collected_from", "collected_on", "age_at_disappearance", "stature_cm", "description",
                  "dental_missing", "dental_notes", "medical", "clothing", "effects", "last_seen_latitude",
                  "last_seen_longitude"]
        widgets = {"collected_on": DateInput, "description": forms.Textarea(attrs={"rows": 3}),
                   "dental_notes": forms.Textarea(attrs={"rows": 2}), "medical": forms.Textarea(attrs={"rows": 2}),
                   "clothing": forms.Textarea(attrs={"rows": 2}), "effects": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_from"].queryset = FamilyContact.objects.filter(missing_case=case)
        self.instance.missing_case = case  # for the model's own checks


class RecoverySiteForm(forms.ModelForm):
    class Meta:
        model = RecoverySite
        fields = ["reference", "place", "latitude", "longitude", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PostMortemForm(forms.ModelForm):
    class Meta:
        model = PostMortem
        fields = ["recovery_site", "latitude", "longitude", "recovery_team", "body_or_part", "sex_estimate",
                  "age_min", "age_max", "stature_min_cm", "stature_max_cm", "dental_missing", "dental_notes",
                  "clothing", "effects", "examined_on"]
        widgets = {"examined_on": DateInput, "dental_notes": forms.Textarea(attrs={"rows": 2}),
                   "clothing": forms.Textarea(attrs={"rows": 2}), "effects": forms.Textarea(attrs={"rows": 2})}


class ReferenceSampleForm(forms.ModelForm):
    class Meta:
        model = DnaSample
        fields = ["donor", "sample_id", "laboratory", "taken_on"]
        widgets = {"taken_on": DateInput}

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = FamilyContact.objects.filter(missing_case=case)
        self.fields["donor"].required = True
        self.instance.kind, self.instance.missing_case = SampleKind.REFERENCE, case


class RemainsSampleForm(forms.ModelForm):
    class Meta:
        model = DnaSample
        fields = ["sample_id", "laboratory", "taken_on"]
        widgets = {"taken_on": DateInput}

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind, self.instance.remains_case = SampleKind.REMAINS, case


class PhotographForm(forms.Form):
    photograph = forms.FileField(label=_("Photograph (JPEG or PNG)"))


class LabImportForm(forms.Form):
    file = forms.FileField(label=_("The laboratory's CSV file"),
                           help_text=_("Columns: reference_sample, remains_sample, likelihood_ratio, laboratory, "
                                       "reported_on (YYYY-MM-DD)."))
    laboratory = forms.CharField(label=_("Laboratory (when the file has no laboratory column)"), max_length=200,
                                 required=False)


class DecisionNoteForm(forms.Form):
    note = forms.CharField(label=_("Note or reason"), max_length=300, required=False)
