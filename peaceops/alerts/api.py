"""REST endpoints of alerts and tasks: /api/alerts/, /api/alert-rules/, /api/tasks/ (the same services as the pages)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from peaceops.alerts.models import Alert, AlertRule, Task, TaskState
from peaceops.alerts.serializers import (
    AlertSerializer,
    DeclineSerializer,
    DoneSerializer,
    ReferSerializer,
    RuleSerializer,
    RuleSwitchSerializer,
    TaskInSerializer,
    TaskSerializer,
)
from peaceops.alerts.services import rules, work
from peaceops.core.permissions import capability_permission


def filter_tasks(queryset, user_name: str | None = None, state: str | None = None):
    if user_name:
        queryset = queryset.filter(owner__username=user_name)
    if state == "live":
        queryset = queryset.live()
    elif state:
        if state not in TaskState.values:
            raise DjangoValidationError(f"unknown state {state!r}: one of live, {', '.join(TaskState.values)}")
        queryset = queryset.filter(state=state)
    return queryset


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Alerts addressed to the caller (every alert for a coordinator). `?open=1`: not yet acknowledged."""

    serializer_class = AlertSerializer
    permission_classes = [capability_permission("alerts.view", "alerts.acknowledge")]

    def get_queryset(self):
        queryset = Alert.objects.visible_to(self.request.user).select_related("rule", "acknowledged_by")
        if self.request.query_params.get("open") in ("1", "true", "yes"):
            queryset = queryset.open()
        return queryset

    @extend_schema(parameters=[OpenApiParameter("open", OpenApiTypes.BOOL)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: AlertSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = self.get_object()
        rules.acknowledge(alert, request.user)
        return Response(AlertSerializer(Alert.objects.get(pk=alert.pk)).data)


_RULE_GUARD = capability_permission("alerts.view_rules", "alerts.manage_rules")


class RuleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Alert rules: every working role reads them; coordinators create, PATCH (the fields sent change; the same
    checks as a new rule; `If-Match` or `revision` against lost updates), deactivate and reactivate them. A rule is
    never deleted: an inactive one raises nothing and keeps its history."""

    serializer_class = RuleSerializer
    permission_classes = [_RULE_GUARD]

    def get_queryset(self):
        queryset = AlertRule.objects.visible_to(self.request.user).prefetch_related("users")
        if self.request.query_params.get("active") in ("1", "true", "yes"):
            queryset = queryset.filter(active=True)
        elif self.request.query_params.get("active") in ("0", "false", "no"):
            queryset = queryset.filter(active=False)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("active", OpenApiTypes.BOOL)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = rules.create_rule(
            data["name"], data["kind"], conditions=data.get("conditions") or {}, severity=data["severity"],
            roles=data.get("roles", []), users=data.get("users", []), email=data.get("email", False),
            webhook=data.get("webhook", False), escalate_after=data.get("escalate_after"),
            escalate_to=data.get("escalate_to", []), user=self.request.user)

    @extend_schema(request=RuleSerializer, responses={200: RuleSerializer})
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        unknown = set(request.data) - set(rules.EDITABLE) - {"revision"}
        if unknown:
            raise serializers.ValidationError({"detail": [
                f"not editable: {', '.join(sorted(unknown))}; editable: {', '.join(rules.EDITABLE)} (a rule is "
                "switched off and on with POST …/deactivate/ and …/reactivate/)"]})
        serializer = RuleSerializer(rule, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = {key: value for key, value in serializer.validated_data.items() if key in rules.EDITABLE}
        rule = rules.edit_rule(rule, request.user, **changes)
        return Response(RuleSerializer(AlertRule.objects.get(pk=rule.pk)).data)

    def _switch(self, request, active: bool):
        rule = self.get_object()
        data = RuleSwitchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rules.set_rule_active(rule, active, request.user, data.validated_data["reason"])
        return Response(RuleSerializer(AlertRule.objects.get(pk=rule.pk)).data)

    @extend_schema(request=RuleSwitchSerializer, responses={200: RuleSerializer})
    @action(detail=True, methods=["post"], permission_classes=[_RULE_GUARD])
    def deactivate(self, request, pk=None):
        return self._switch(request, active=False)

    @extend_schema(request=RuleSwitchSerializer, responses={200: RuleSerializer})
    @action(detail=True, methods=["post"], permission_classes=[_RULE_GUARD])
    def reactivate(self, request, pk=None):
        return self._switch(request, active=True)


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks the caller owns or opened (every task for a coordinator). `?user=NAME&state=open|accepted|done|
    declined|live`."""

    serializer_class = TaskSerializer
    permission_classes = [capability_permission("alerts.view_tasks", "alerts.open_task")]

    def get_queryset(self):
        queryset = Task.objects.visible_to(self.request.user).select_related("owner", "created_by", "referral__organisation", "referral__referred_by")
        return filter_tasks(queryset, self.request.query_params.get("user"),
                            self.request.query_params.get("state"))

    @extend_schema(parameters=[OpenApiParameter("user", OpenApiTypes.STR), OpenApiParameter("state", OpenApiTypes.STR)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TaskInSerializer, responses={201: TaskSerializer})
    def create(self, request):
        data = TaskInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        owner = get_user_model().objects.filter(username=v["owner"]).first()
        if owner is None:
            raise serializers.ValidationError({"owner": ["no such user"]})
        if bool(v.get("subject_kind")) != bool(v.get("subject_id")):
            raise serializers.ValidationError({"subject_kind": ["give subject_kind and subject_id together"]})
        alert, subject = None, None
        if v.get("subject_kind") == "alert":
            alert = Alert.objects.visible_to(request.user).filter(pk=v["subject_id"]).first()
            if alert is None:
                raise serializers.ValidationError({"subject_id": ["no such alert addressed to you"]})
        elif v.get("subject_kind"):
            subject = (v["subject_kind"], v["subject_id"])
        task = work.open_task(request.user, kind=v["kind"], title=v["title"], owner=owner, due_at=v["due_at"],
                              details=v["details"], subject=subject, alert=alert)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    def _step(self, request, run):
        task = self.get_object()
        run(task)
        return Response(TaskSerializer(Task.objects.get(pk=task.pk)).data)

    @extend_schema(request=None, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], permission_classes=[capability_permission("alerts.view_tasks",
                                                                                      "alerts.view_tasks")])
    def accept(self, request, pk=None):
        return self._step(request, lambda task: work.accept(task, request.user))

    @extend_schema(request=DoneSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], permission_classes=[capability_permission("alerts.view_tasks",
                                                                                      "alerts.view_tasks")])
    def done(self, request, pk=None):
        data = DoneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(request, lambda task: work.complete(task, request.user, data.validated_data["outcome"]))

    @extend_schema(request=DeclineSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], permission_classes=[capability_permission("alerts.view_tasks",
                                                                                      "alerts.view_tasks")])
    def decline(self, request, pk=None):
        data = DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(request, lambda task: work.decline(task, request.user, data.validated_data["reason"]))

    @extend_schema(request=ReferSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], permission_classes=[capability_permission("alerts.view_tasks",
                                                                                      "alerts.refer")])
    def refer(self, request, pk=None):
        from peaceops.core.models import Organisation

        data = ReferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        organisation = Organisation.objects.filter(Q(name=v["organisation"]) | Q(acronym=v["organisation"])).first()
        if organisation is None:
            raise serializers.ValidationError({"organisation": ["no such organisation"]})
        return self._step(request, lambda task: work.refer(task, request.user, organisation=organisation,
                                                           consent_basis=v["consent_basis"], shared=v["shared"],
                                                           consent_note=v["consent_note"]))


def register(router) -> None:
    router.register("alerts", AlertViewSet, basename="alerts-alert")
    router.register("alert-rules", RuleViewSet, basename="alerts-rule")
    router.register("tasks", TaskViewSet, basename="alerts-task")


REGISTER = [register]
