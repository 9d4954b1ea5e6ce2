from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from peaceops.core.models import Place, PlaceAlias, SourceReport
from peaceops.core.models.places import AliasKind, AliasLanguage
from peaceops.core.models.sources import Credibility, Reliability
from peaceops.core.versioning import RevisionFormMixin


def parse_coordinate(value: str, axis: str) -> Decimal:
    """Accept '39.815' or '39,815'; refuse what is not a number or lies outside the operating region."""
    text = (value or "").strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(_("“%(value)s” is not a number of degrees."), params={"value": value}) from None
    from peaceops.core import mission

    # The mission's area with a margin: coordinates outside it are almost always a typo or swapped lat/lon.
    low, high = mission.coordinate_bounds()[axis]
    if not low <= float(number) <= high:
        raise forms.ValidationError(
            _("%(value)s is outside the operating region (%(low)s to %(high)s); are latitude and longitude swapped?"),
            params={"value": value, "low": low, "high": high},
        )
    return number.quantize(Decimal("0.000001"))


class CoordinateFieldsMixin:
    """Optional latitude/longitude typed as text, read with `parse_coordinate` (comma decimals, region check)."""

    def clean_latitude(self):
        value = self.cleaned_data["latitude"]
        return parse_coordinate(value, "lat") if value else None

    def clean_longitude(self):
        value = self.cleaned_data["longitude"]
        return parse_coordinate(value, "lon") if value else None


class PlaceForm(RevisionFormMixin, CoordinateFieldsMixin, forms.ModelForm):
    latitude = forms.CharField(label=_("Latitude"), required=False, help_text=_("Decimal degrees, e.g. 39.815"))
    longitude = forms.CharField(label=_("Longitude"), required=False, help_text=_("Decimal degrees, e.g. 46.752"))

    class Meta:
        model = Place
        fields = ["name", "kind", "parent", "latitude", "longitude", "pcode", "population", "notes"]


class AliasForm(forms.ModelForm):
    class Meta:
        model = PlaceAlias
        fields = ["name", "language", "kind"]

    def __init__(self, *args, place: Place, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.place = place
        for name, choices in (("language", AliasLanguage.choices), ("kind", AliasKind.choices)):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)  # the model fields have choices
            field.choices = choices


class SourceReportForm(forms.ModelForm):
    received_at = forms.DateTimeField(label=_("Received at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    class Meta:
        model = SourceReport
        fields = ["received_at", "summary", "reference"]


class GradeForm(RevisionFormMixin, forms.Form):
    reliability = forms.ChoiceField(label=_("Source reliability"), choices=Reliability.choices)
    credibility = forms.TypedChoiceField(label=_("Information credibility"), coerce=int,
                                         choices=Credibility.choices)
    note = forms.CharField(label=_("Why this grade"), widget=forms.Textarea, required=False)


class RoleChangeForm(forms.Form):
    """An administrator's request to grant or remove a role (peaceops.core.rolegrants decides what follows)."""

    user: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Account"), queryset=None,
                                                          to_field_name="username")
    kind = forms.ChoiceField(label=_("Change"), choices=[("grant", _("grant the role")),
                                                        ("revoke", _("remove the role"))])
    role = forms.ChoiceField(label=_("Role"), choices=())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                             help_text=_("The second administrator and the audit log read this."))

    def __init__(self, *args, **kwargs):
        from django.contrib.auth.models import User

        from peaceops.core.roles import ROLE_LABELS

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["user"].label_from_instance = lambda user: user.get_username()
        self.fields["role"].choices = list(ROLE_LABELS.items())


class RoleDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
