"""Forms of the exchanges pages; they collect input, the services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceops.core.models import Party, Person
from peaceops.core.models.parties import PartyKind
from peaceops.exchanges.models import (
    DetentionCase,
    ExchangeEvent,
    Identification,
    IdentificationMethod,
    ListKind,
    MissingCase,
    MissingStatus,
    PartyList,
    RemainsCase,
    TracingRequest,
)
from peaceops.exchanges.services.imports import KNOWN_ENCODINGS


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


def conflict_parties():
    return Party.objects.filter(kind=PartyKind.CONFLICT_PARTY)


class PersonForm(forms.Form):
    """Who the case is about, with the name exactly as written."""

    name = forms.CharField(label=_("Name as written"), max_length=300)
    father_name = forms.CharField(label=_("Father's name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("U", _("unknown")), ("F", _("female")), ("M", _("male"))])
    birth_date = forms.CharField(label=_("Birth date (YYYY, YYYY-MM or YYYY-MM-DD)"), max_length=10, required=False)
    birth_place = forms.CharField(label=_("Birthplace as written"), max_length=200, required=False)


class DetentionCaseForm(forms.ModelForm):
    class Meta:
        model = DetentionCase
        fields = ["kind", "holding_party", "place", "place_text", "detained_on", "notes"]
        widgets = {"detained_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holding_party"].queryset = conflict_parties()


class MissingCaseForm(forms.ModelForm):
    class Meta:
        model = MissingCase
        fields = ["reported_by", "reported_by_party", "reported_on", "last_seen_place", "last_seen_text",
                  "last_seen_on", "circumstances"]
        widgets = {"reported_on": DateInput, "last_seen_on": DateInput}


class RemainsCaseForm(forms.ModelForm):
    class Meta:
        model = RemainsCase
        fields = ["reference", "recovered_on", "recovered_place", "recovered_place_text", "recovered_by",
                  "condition", "holding_party", "received_on", "dna_required"]
        widgets = {"recovered_on": DateInput, "received_on": DateInput}


# Case kinds by the name in URLs and the API: the model, the form that opens one, the title of its list.
CASE_KINDS = {
    "detention": (DetentionCase, DetentionCaseForm, _("Detention cases")),
    "missing": (MissingCase, MissingCaseForm, _("Missing persons")),
    "remains": (RemainsCase, RemainsCaseForm, _("Remains")),
}


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea)


class ResolveMissingForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=[c for c in MissingStatus.choices if c[0] != "open"])
    on = forms.DateField(label=_("On"), widget=DateInput)


class IdentifyForm(PersonForm):
    status = forms.ChoiceField(label=_("Identification"),
                               choices=[c for c in Identification.choices if c[0] != "unidentified"])
    method = forms.ChoiceField(label=_("Method"), choices=IdentificationMethod.choices)
    on = forms.DateField(label=_("Identified on"), widget=DateInput)


class HandOverRemainsForm(forms.Form):
    to = forms.CharField(label=_("Handed over to (family or authority)"), max_length=200)
    on = forms.DateField(label=_("On"), widget=DateInput)


class ListImportForm(forms.Form):
    file = forms.FileField(label=_("List file (CSV or XLSX)"))
    party = forms.ModelChoiceField(label=_("Party"), queryset=Party.objects.none())
    kind = forms.ChoiceField(label=_("Kind of list"), choices=ListKind.choices)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    received_via = forms.ModelChoiceField(label=_("Received via"), queryset=Party.objects.none(), required=False)
    encoding = forms.ChoiceField(label=_("Encoding (if not UTF-8)"), required=False,
                                 choices=[("", _("detect (UTF-8 or UTF-16)"))] + [(e, e) for e in KNOWN_ENCODINGS])
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = conflict_parties()
        self.fields["received_via"].queryset = Party.objects.filter(kind=PartyKind.INTERMEDIARY)


class ReconcileForm(forms.Form):
    against = forms.ModelChoiceField(label=_("Against list"), queryset=PartyList.objects.none(), required=False,
                                     empty_label=_("the case files"))

    def __init__(self, *args, party_list: PartyList, user, **kwargs):
        super().__init__(*args, **kwargs)
        against = self.fields["against"]
        assert isinstance(against, forms.ModelChoiceField)
        against.queryset = PartyList.objects.visible_to(user).exclude(pk=party_list.pk)


class EventForm(forms.ModelForm):
    class Meta:
        model = ExchangeEvent
        fields = ["kind", "subject", "agreed_on", "date", "place", "place_text", "intermediary", "notes"]
        widgets = {"agreed_on": DateInput, "date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intermediary"].queryset = Party.objects.filter(kind=PartyKind.INTERMEDIARY)


class RosterForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person (identity confirmed)"), queryset=Person.objects.none())
    from_party = forms.ModelChoiceField(label=_("From party"), queryset=Party.objects.none())
    to_party = forms.ModelChoiceField(label=_("To party"), queryset=Party.objects.none())

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.fields["from_party"].queryset = conflict_parties()
        self.fields["to_party"].queryset = conflict_parties()


class HandoverForm(forms.Form):
    witnessed_by = forms.CharField(label=_("Witnessed by"), max_length=200)
    handed_at = forms.DateTimeField(label=_("Time of handover"), widget=DateTimeInput)


class TracingRequestForm(forms.ModelForm):
    class Meta:
        model = TracingRequest
        fields = ["sought_name", "sought_father_name", "sought_birth_date", "sought_birth_place", "sought_sex",
                  "requested_by", "relationship", "contact", "received_on", "notes"]
        widgets = {"received_on": DateInput}
