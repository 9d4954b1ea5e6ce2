"""Forms of the ceasefire pages. They parse and present; the rules live in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peaceops.ceasefire import services
from peaceops.ceasefire.models import Incident, Patrol, Status
from peaceops.ceasefire.taxonomy import SUBTYPES, IncidentType
from peaceops.core.forms import CoordinateFieldsMixin
from peaceops.core.models import Party, Place, Source
from peaceops.core.models.places import PlaceKind
from peaceops.core.models.sources import Credibility, Reliability

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _grouped_subtypes():
    labels = dict(IncidentType.choices)
    return [("", "—")] + [(labels[t], [(s, label) for s, (label, _e, _se) in subs.items()])
                          for t, subs in SUBTYPES.items()]


class IncidentForm(CoordinateFieldsMixin, forms.ModelForm):
    """The fields a monitor fills in first come first; everything after "casualties" may be left as it is."""

    occurred_from = forms.DateTimeField(label=_("When (from)"), widget=DATETIME)
    occurred_to = forms.DateTimeField(label=_("Until"), widget=DATETIME, required=False,
                                      help_text=_("Leave empty for a single moment."))
    place_name = forms.CharField(label=_("Where: place"), required=False,
                                 widget=forms.TextInput(attrs={"list": "places", "autocomplete": "off"}),
                                 help_text=_("Any spelling or script: Martuni, Xocavənd, Мартуни, OP-09."))
    latitude = forms.CharField(label=_("Latitude"), required=False)
    longitude = forms.CharField(label=_("Longitude"), required=False)
    sub_type = forms.ChoiceField(label=_("Sub-type"), choices=_grouped_subtypes)
    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.all())
    source_summary = forms.CharField(label=_("What the source said"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))
    attachment = forms.FileField(label=_("Attachment"), required=False)

    class Meta:
        model = Incident
        fields = ["occurred_from", "occurred_to", "time_precision", "place_name", "bearing", "distance_km",
                  "latitude", "longitude", "location_precision", "incident_type", "sub_type", "weapons",
                  "direction_of_fire", "alleged_party", "alleged_by", "killed_civilian", "killed_military",
                  "killed_unknown", "injured_civilian", "injured_military", "injured_unknown", "explosions", "bursts",
                  "rounds", "damage", "notes",
                  "observed_by_post", "observed_by_patrol"]
        widgets = {"damage": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["alleged_party"].queryset = Party.objects.filter(kind__in=["conflict_party", "unknown"])
        self.fields["observed_by_post"].queryset = Place.objects.filter(kind=PlaceKind.OBSERVATION_POST)
        self.fields["observed_by_patrol"].queryset = Patrol.objects.visible_to(user)[:200] if user else \
            Patrol.objects.none()
        for name in ("killed_civilian", "killed_military", "killed_unknown", "injured_civilian", "injured_military",
                     "injured_unknown", "explosions", "bursts", "rounds"):
            self.fields[name].widget.attrs.update({"min": 0, "class": "short"})
        # In the browser, choosing a type leaves only its sub-types to pick from (shell.js); the server still checks.
        self.fields["incident_type"].widget.attrs["data-narrows"] = "id_sub_type"

    def clean_place_name(self):
        name = self.cleaned_data["place_name"].strip()
        if not name:
            return None
        try:
            return services.resolve_place(name)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["place"]) from None

    def incident_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["place"] = data.pop("place_name")
        for name in ("source", "source_summary", "attachment"):
            data.pop(name, None)
        return data

    def _post_clean(self):  # the service validates the model; the form only parses
        pass


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=[
        (Status.VERIFIED, _("verified")), (Status.UNCONFIRMED, _("unconfirmed")), (Status.REFUTED, _("refuted"))])
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    """Reopen a verified or refuted incident: why, and the new item of information that calls for it."""

    reason = forms.CharField(label=_("Why reopen"), widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ModelChoiceField(label=_("Source of the new evidence"), queryset=Source.objects.all())
    summary = forms.CharField(label=_("What the source now reports"), widget=forms.Textarea(attrs={"rows": 3}))


class SourceForm(forms.Form):
    """One more source for the same incident, without a merge; its grade is the item's own."""

    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.all())
    summary = forms.CharField(label=_("What the source reported"), widget=forms.Textarea(attrs={"rows": 2}))
    reliability = forms.ChoiceField(label=_("Reliability of this item"), required=False,
                                    choices=[("", _("as the source is graded"))] + list(Reliability.choices))
    credibility = forms.TypedChoiceField(label=_("Credibility of this item"), coerce=int, empty_value=None,
                                         required=False, choices=[("", "—")] + list(Credibility.choices))
    reference = forms.CharField(label=_("Reference"), required=False, max_length=200)


class MergeForm(forms.Form):
    duplicates = forms.ModelMultipleChoiceField(label=_("Merge these into this incident"),
                                                queryset=Incident.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicates"].queryset = queryset


class PostLogForm(forms.Form):
    post = forms.ModelChoiceField(label=_("Observation post"),
                                  queryset=Place.objects.filter(kind=PlaceKind.OBSERVATION_POST))
    shift_start = forms.DateTimeField(label=_("Shift start"), widget=DATETIME)
    shift_end = forms.DateTimeField(label=_("Shift end"), widget=DATETIME)
    manned = forms.BooleanField(label=_("Manned"), required=False, initial=True)
    personnel = forms.IntegerField(label=_("Personnel on duty"), min_value=0, initial=4)
    observations = forms.CharField(label=_("Observations"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PatrolForm(forms.Form):
    route_name = forms.CharField(label=_("Route"), max_length=120)
    route = forms.CharField(label=_("Places passed, in order"), widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("One place per line or separated by semicolons, any spelling."))
    started_at = forms.DateTimeField(label=_("Started"), widget=DATETIME)
    ended_at = forms.DateTimeField(label=_("Ended"), widget=DATETIME, required=False)
    team = forms.CharField(label=_("Team"), required=False)
    distance_km = forms.DecimalField(label=_("Distance (km)"), required=False, min_value=0)
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_route(self):
        names = [n.strip() for n in self.cleaned_data["route"].replace(";", "\n").splitlines() if n.strip()]
        places, errors = [], []
        for name in names:
            try:
                places.append(services.resolve_place(name))
            except ValidationError as exc:
                errors.extend(exc.message_dict["place"])
        if errors:
            raise forms.ValidationError(errors)
        return places


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("acled", "ACLED CSV"), ("hxl", "HXL CSV")])
    file = forms.FileField(label=_("File"))


def add_service_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put a service's field errors on the form fields they belong to (or on the form)."""
    rename = rename or {}
    for field, messages in exc.message_dict.items():
        target = rename.get(field, field)
        form.add_error(target if target in form.fields else None, messages)
