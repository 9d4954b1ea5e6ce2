from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceops.core.models import Party, Place
from peaceops.sources.models import Claim

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IngestForm(forms.Form):
    text = forms.CharField(label=_("Paste the report"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("The whole text, with its dateline. English and Russian are read."))
    file = forms.FileField(label=_("or upload a file"), required=False,
                           help_text=_("Plain text, or a web page saved from a browser (HTML)."))
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=200,
                             help_text=_("Who published it, when the report does not say."))
    published = forms.DateField(label=_("Published on"), required=False, widget=DATE)
    grade = forms.CharField(label=_("Grade"), required=False, max_length=2,
                            help_text=_("Admiralty grade, such as B2 (default: the outlet's reliability, 6)."))

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste a report or choose a file."))
        return data


class CorrectionForm(forms.ModelForm):
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.order_by("name"), required=False)
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.all(), required=False)
    note = forms.CharField(label=_("Why"), required=False, max_length=500)

    class Meta:
        model = Claim
        fields = ["kind", "value", "qualifier", "period", "since", "as_of", "place", "attributed_to", "party"]
        widgets = {"since": DATE, "as_of": DATE}


class RejectionForm(forms.Form):
    note = forms.CharField(label=_("Why is it rejected?"), max_length=500)
