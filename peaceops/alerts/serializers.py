"""The JSON shape of alerts and tasks: the API and `peaceops alerts|tasks list --format json` share it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from peaceops.alerts.models import Alert, AlertRule, ConsentBasis, Referral, Severity, Task, TaskKind


def _subject(obj) -> dict | None:
    if not obj.subject_model and not obj.link:
        return None
    return {"model": obj.subject_model, "id": obj.subject_id, "link": obj.link}


class AlertSerializer(serializers.ModelSerializer):
    rule = serializers.SerializerMethodField()
    created = serializers.DateTimeField(source="created_at", read_only=True)
    acknowledged_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    subject = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = ["id", "uuid", "rule", "kind", "severity", "summary", "created", "acknowledged_by",
                  "acknowledged_at", "escalated_at", "subject", "roles"]
        read_only_fields = fields

    def get_rule(self, obj) -> dict | None:
        return {"id": obj.rule_id, "name": obj.rule.name} if obj.rule_id else None

    def get_subject(self, obj) -> dict | None:
        return _subject(obj)

    def get_roles(self, obj) -> list[str]:
        return obj.role_list


class RuleSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    escalate_to = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    users: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", many=True, required=False,
                                         queryset=get_user_model().objects.all())
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.WARNING)

    class Meta:
        model = AlertRule
        fields = ["id", "name", "kind", "conditions", "severity", "roles", "users", "email", "webhook",
                  "escalate_after", "escalate_to", "active"]
        read_only_fields = ["id", "active"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["roles"], data["escalate_to"] = instance.role_list, instance.escalate_role_list
        return data


class RuleSwitchSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=90,
                                   help_text="kept in the rule's history")


class ReferralSerializer(serializers.ModelSerializer):
    organisation: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="name", read_only=True)
    referred_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Referral
        fields = ["organisation", "consent_basis", "consent_note", "shared", "referred_by", "created_at"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    created_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    subject = serializers.SerializerMethodField()
    referral = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "uuid", "kind", "title", "details", "owner", "due_at", "state", "decline_reason",
                  "outcome", "subject", "alert", "created_by", "created_at", "accepted_at", "closed_at",
                  "escalated_at", "referral"]
        read_only_fields = fields

    def get_subject(self, obj) -> dict | None:
        return _subject(obj)

    def get_referral(self, obj) -> dict | None:
        referral = getattr(obj, "referral", None) if obj.is_referral else None
        return ReferralSerializer(referral).data if referral else None


class TaskInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TaskKind.choices)
    title = serializers.CharField(max_length=200)
    owner = serializers.CharField(help_text="user name")
    due_at = serializers.DateTimeField()
    details = serializers.CharField(required=False, allow_blank=True, default="")
    subject_kind = serializers.ChoiceField(choices=["incident", "tracing", "facility", "alert"], required=False)
    subject_id = serializers.IntegerField(required=False, min_value=1)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class DoneSerializer(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class ReferSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="organisation name or acronym")
    consent_basis = serializers.ChoiceField(choices=ConsentBasis.choices)
    consent_note = serializers.CharField(required=False, allow_blank=True, default="")
    shared = serializers.CharField()
