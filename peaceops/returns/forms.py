"""Forms of the returns pages. Free-text places resolve through the gazetteer, in any script."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from peaceops.core.models import Place
from peaceops.core.models.places import PlaceKind
from peaceops.core.params import OperationDateFormField
from peaceops.returns.models import (
    Corridor,
    CorridorStatus,
    FlowDirection,
    FlowPurpose,
    FlowVehicle,
    MovementKind,
    SeatNeed,
    Vulnerability,
)
from peaceops.returns.services import MemberSpec
from peaceops.returns.services.households import BirthParts, parse_needs
from peaceops.returns.services.inputs import parse_bus, parse_buses, resolve_place  # noqa: F401 — the forms' parsers

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CorridorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    checkpoints = forms.CharField(label=_("Checkpoints, in order, one per line"), widget=forms.Textarea,
                                  help_text=_("Any name or alias in the gazetteer."))

    def clean_checkpoints(self):
        lines = [line.strip() for line in self.cleaned_data["checkpoints"].splitlines() if line.strip()]
        return [resolve_place(line, (PlaceKind.CHECKPOINT,)) for line in lines]


class CorridorStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CorridorStatus.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    at = forms.DateTimeField(label=_("From"), widget=DATETIME_WIDGET, required=False)


class HouseholdForm(forms.Form):
    members = forms.CharField(
        label=_("Members, one per line: name as written; sex (F/M); birth date (YYYY, YYYY-MM or YYYY-MM-DD); "
                "relationship; needs; carer (the number of the member who sits beside them) — the head first"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Needs, comma-separated: %(needs)s; seat needs: %(seats)s. "
                    "Example: “Anahit Petrosyan; F; 1941; mother; elderly, wheelchair; 2”.") % {
            "needs": ", ".join(str(label) for _v, label in Vulnerability.choices),
            "seats": ", ".join(str(label) for _v, label in SeatNeed.choices)})
    origin = forms.CharField(label=_("Current location"), required=False)
    destination = forms.CharField(label=_("Intended destination"))
    registered_on = forms.DateField(label=_("Registered on"), widget=forms.DateInput(attrs={"type": "date"}),
                                    required=False)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)

    def clean_members(self) -> list[MemberSpec]:
        return [parse_member(line, n) for n, line in enumerate(self.cleaned_data["members"].splitlines(), start=1)
                if line.strip()]

    def clean_destination(self):
        return resolve_place(self.cleaned_data["destination"], (PlaceKind.SETTLEMENT,))

    def clean_origin(self):
        text = self.cleaned_data.get("origin", "").strip()
        return resolve_place(text, (PlaceKind.SETTLEMENT,)) if text else None


def parse_birth(text: str) -> BirthParts:
    parts = [p for p in text.strip().split("-") if p]
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        raise ValidationError(_("Birth date “%(text)s” is not YYYY, YYYY-MM or YYYY-MM-DD.") % {"text": text}) from None
    parts_given: list[int | None] = [*numbers, None, None, None]
    return {"birth_year": parts_given[0], "birth_month": parts_given[1], "birth_day": parts_given[2]}


def parse_member(line: str, number: int) -> MemberSpec:
    fields = [f.strip() for f in line.split(";")]
    fields += [""] * (6 - len(fields))
    name, sex, born, relationship, needs_text, carer_text = fields[:6]
    sex = sex.upper()[:1] or "U"
    if sex not in {"F", "M", "U"}:
        raise ValidationError(_("Line %(n)d: sex must be F, M or empty.") % {"n": number})
    try:
        birth = parse_birth(born)
    except ValidationError as exc:
        raise ValidationError(_("Line %(n)d: %(error)s") % {"n": number, "error": exc.messages[0]}) from None
    try:
        needs, seat_needs = parse_needs(needs_text)
    except ValidationError as exc:
        raise ValidationError(_("Line %(n)d: %(error)s") % {"n": number, "error": exc.messages[0]}) from None
    carer = None
    if carer_text:
        if not carer_text.lstrip("#").isdigit():
            raise ValidationError(_("Line %(n)d: the carer is the number of another member's line, e.g. 2.")
                                  % {"n": number})
        carer = int(carer_text.lstrip("#"))
    return MemberSpec(name=name, sex=sex, relationship=relationship, needs=needs, seat_needs=seat_needs,
                      carer=carer, **birth)


class PlanForm(forms.Form):
    corridor = forms.ModelChoiceField(label=_("Corridor"), queryset=Corridor.objects.all())
    date = OperationDateFormField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    buses = forms.CharField(label=_("Vehicles (seats each)"), initial="40, 40",
                            help_text=_("e.g. “40, 40, 3x45, 4+2s, 30+2w+e”: after the seats, +Ns for N stretcher "
                                        "places (an ambulance), +Nw for N wheelchair spaces, +e for an escort of "
                                        "unaccompanied children aboard"))
    escort = forms.CharField(label=_("Escort"), required=False)

    def clean_buses(self):
        return parse_buses(self.cleaned_data["buses"])


class PassageForm(forms.Form):
    head_count = forms.IntegerField(label=_("Head count"), min_value=0,
                                    widget=forms.NumberInput(attrs={"placeholder": _("Head count")}))
    checked_by = forms.CharField(label=_("Checked by"), max_length=200,
                                 widget=forms.TextInput(attrs={"placeholder": _("Checked by")}))
    at = forms.DateTimeField(label=_("Time"), widget=DATETIME_WIDGET, required=False)


class TimeForm(forms.Form):
    at = forms.DateTimeField(label=_("Time"), widget=DATETIME_WIDGET, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("Reason")}))


class CargoForm(forms.Form):
    description = forms.CharField(label=_("What"), max_length=200,
                                  widget=forms.TextInput(attrs={"placeholder": _("What")}))
    quantity = forms.DecimalField(label=_("How much"), min_value=0, max_digits=12, decimal_places=2)
    unit = forms.CharField(label=_("Unit"), max_length=30, initial="t")


class FlowLineForm(forms.Form):
    """One line of a checkpoint's day sheet: people (and vehicles) in one direction, by one means, for one
    purpose. 0 people removes the line."""

    direction = forms.ChoiceField(label=_("Direction"), choices=FlowDirection.choices)
    vehicle = forms.ChoiceField(label=_("Means of travel"), choices=FlowVehicle.choices)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=FlowPurpose.choices)
    people = forms.IntegerField(label=_("People"), min_value=0, required=False,
                                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}))
    vehicles = forms.IntegerField(label=_("Vehicles"), min_value=0, required=False,
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}))


FlowLineFormSet = forms.formset_factory(FlowLineForm, extra=0, max_num=200, absolute_max=200)


class MovementForm(forms.Form):
    """A registered household's movement outside a convoy."""

    kind = forms.ChoiceField(label=_("Movement"), choices=MovementKind.choices)
    at = forms.DateTimeField(label=_("Time"), widget=DATETIME_WIDGET, required=False)
    checkpoint = forms.ModelChoiceField(label=_("Recorded at checkpoint"), required=False,
                                        queryset=Place.objects.filter(kind=PlaceKind.CHECKPOINT).order_by("name"))
    destination = forms.CharField(label=_("To (settlement)"), required=False,
                                  help_text=_("A return goes to the household's destination unless you name another."))

    def clean_destination(self):
        text = self.cleaned_data.get("destination", "").strip()
        return resolve_place(text, (PlaceKind.SETTLEMENT,)) if text else None


class ResolveHeadcountForm(forms.Form):
    absent = forms.TypedMultipleChoiceField(label=_("Not on the bus"), coerce=int, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    added = forms.CharField(label=_("Travelling unlisted: household references or person numbers, comma-separated"),
                            required=False)
    miscounted = forms.BooleanField(label=_("The count itself was wrong (recounted)"), required=False)
    note = forms.CharField(label=_("How it was resolved"), max_length=1000)
