from __future__ import annotations

import json

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peaceops.alerts.models import ConsentBasis, Severity, TaskKind
from peaceops.core.events import event_kinds
from peaceops.core.roles import ROLE_LABELS, STAFF_ROLES
from peaceops.core.versioning import RevisionFormMixin


def _staff():
    return get_user_model().objects.filter(is_active=True, groups__name__in=STAFF_ROLES).distinct()\
        .order_by("username")


def _role_choices():
    return [(r, ROLE_LABELS[r]) for r in sorted(STAFF_ROLES)]


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Event"))
    district = forms.IntegerField(label=_("Only in the place or district (gazetteer id)"), required=False,
                                  min_value=1)
    min_casualties = forms.IntegerField(label=_("At least this many casualties"), required=False, min_value=1)
    conditions = forms.CharField(label=_("Other conditions (JSON)"), required=False,
                                 help_text=_('On the event\'s facts, e.g. {"corridor": 3}'))
    severity = forms.ChoiceField(label=pgettext_lazy("alert", "Severity"), choices=Severity.choices,
                                 initial=Severity.WARNING)
    roles = forms.MultipleChoiceField(label=_("Roles told"), required=False, widget=forms.CheckboxSelectMultiple)
    users: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(label=_("People told"), required=False, queryset=None)
    email = forms.BooleanField(label=_("Also by e-mail"), required=False)
    webhook = forms.BooleanField(label=_("Also to the webhook"), required=False)
    escalate_after = forms.IntegerField(label=_("Escalate after (minutes) if nobody acknowledges"),
                                        required=False, min_value=1)
    escalate_to = forms.MultipleChoiceField(label=_("Escalate to"), required=False,
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(((k, f"{label} ({k})") for k, label in event_kinds().items()),
                                             key=lambda c: c[0])
        self.fields["roles"].choices = self.fields["escalate_to"].choices = _role_choices()
        self.fields["users"].queryset = _staff()

    def clean_conditions(self):
        text = self.cleaned_data["conditions"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Not valid JSON.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give a JSON object, such as {\"corridor\": 3}."))
        return value

    def rule_conditions(self) -> dict:
        conditions = dict(self.cleaned_data["conditions"])
        if self.cleaned_data.get("district"):
            conditions["district"] = self.cleaned_data["district"]
        if self.cleaned_data.get("min_casualties"):
            conditions["min_casualties"] = self.cleaned_data["min_casualties"]
        return conditions


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def rule_initial(rule) -> dict:
    """A rule as the form shows it: the district and the least casualties in their own fields when they are a
    single number, every other condition in the JSON box."""
    rest = dict(rule.conditions or {})
    initial = {"name": rule.name, "kind": rule.kind, "severity": rule.severity, "roles": rule.role_list,
               "users": list(rule.users.values_list("pk", flat=True)), "email": rule.email,
               "webhook": rule.webhook, "escalate_after": rule.escalate_after,
               "escalate_to": rule.escalate_role_list}
    for key in ("district", "min_casualties"):
        if _whole(rest.get(key)):
            initial[key] = rest.pop(key)
    initial["conditions"] = json.dumps(rest, ensure_ascii=False) if rest else ""
    return initial


class RuleEditForm(RevisionFormMixin, RuleForm):
    """The rule form over an existing rule, carrying the revision the coordinator saw (a stale save is refused)."""

    def __init__(self, *args, record=None, **kwargs):
        kwargs.setdefault("initial", rule_initial(record))
        super().__init__(*args, record=record, **kwargs)
        told = list(record.users.values_list("pk", flat=True))  # someone told who has left staff stays listed
        self.fields["users"].queryset = get_user_model().objects.filter(
            Q(pk__in=_staff().values("pk")) | Q(pk__in=told)).order_by("username")

    def changes(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "kind": data["kind"], "conditions": self.rule_conditions(),
                "severity": data["severity"], "roles": data["roles"], "users": list(data["users"]),
                "email": data["email"], "webhook": data["webhook"], "escalate_after": data["escalate_after"],
                "escalate_to": data["escalate_to"]}


class RuleActiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the rule's history)"), required=False, max_length=90)


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    owner: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_at = forms.DateTimeField(label=_("Due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    details = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    subject_kind = forms.ChoiceField(label=_("From"), required=False, choices=[
        ("", "—"), ("incident", _("incident")), ("tracing", _("tracing request")), ("facility", _("facility")),
        ("alert", _("alert"))])
    subject_id = forms.IntegerField(label=_("Its number"), required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()

    def clean(self):
        data = super().clean()
        if bool(data.get("subject_kind")) != bool(data.get("subject_id")):
            raise forms.ValidationError(_("Give both what the task comes from and its number, or neither."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DoneForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReferralForm(forms.Form):
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Referred to"), queryset=None)
    consent_basis = forms.ChoiceField(label=_("Consent basis"), choices=ConsentBasis.choices)
    consent_note = forms.CharField(label=_("How consent was recorded"), required=False, max_length=300)
    shared = forms.CharField(label=_("What was shared"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from peaceops.core.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()
