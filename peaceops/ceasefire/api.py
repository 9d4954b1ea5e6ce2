"""REST endpoints: incidents with their workflow, duplicates, counts and exports; post logs; patrols."""

from __future__ import annotations

import io

from django.db.models import Prefetch
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from peaceops.api.rows import RowsListMixin
from peaceops.ceasefire import counts, imports, rows, services
from peaceops.ceasefire.models import Incident, ObservationPostLog, Patrol
from peaceops.ceasefire.serializers import (
    AttachSourceSerializer,
    DecisionSerializer,
    IncidentSerializer,
    MergeSerializer,
    PatrolSerializer,
    PostLogSerializer,
    ProposalSerializer,
    ReopenSerializer,
)
from peaceops.ceasefire.services import exports
from peaceops.ceasefire.taxonomy import VIOLATION_TYPES
from peaceops.core.models import SourceReport
from peaceops.core.params import check_span, date_param
from peaceops.core.permissions import capability_permission
from peaceops.core.roles import can

# Reviewing is the analysts' (ceasefire.review), not every filer's: checked before the body is read.
REVIEW = capability_permission("ceasefire.view", "ceasefire.review")


class IncidentViewSet(RowsListMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Incidents. Monitors file and see their own; analysts review, verify and merge; coordinators read.

    A list page is built from column values (peaceops.ceasefire.rows): the serializer's JSON at a fraction of its
    CPU, which is what 50 concurrent clients on two cores wait for."""

    serializer_class = IncidentSerializer
    permission_classes = [capability_permission("ceasefire.view", "ceasefire.file")]
    filterset_fields = ["status", "incident_type", "sub_type", "district", "place", "merged_into"]
    list_rows = staticmethod(rows.incident_rows)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # ?violations=1: ceasefire violations only; ?violations=0: the other report types only.
        flag = self.request.query_params.get("violations")
        if flag in ("1", "true"):
            queryset = queryset.filter(incident_type__in=sorted(VIOLATION_TYPES))
        elif flag in ("0", "false"):
            queryset = queryset.exclude(incident_type__in=sorted(VIOLATION_TYPES))
        return queryset
    ordering_fields = ["occurred_from", "id"]

    def get_queryset(self):
        # Items of one incident ordered fully (newest first, then by id): the list rows read them the same way.
        items = Prefetch("sources", SourceReport.objects.select_related("source").order_by("-received_at", "id"))
        return (Incident.objects.visible_to(self.request.user)
                .select_related("claimed_by", "reported_by", "place", "district")
                .prefetch_related(items, "steps__actor"))

    def create(self, request, *args, **kwargs):
        """File an incident. The answer is the new record's list row (the serializer's JSON, read back from
        column values in three queries) rather than the serializer walking the instance it just saved, which read
        its items, their sources, its step and their users one by one."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        built = rows.incident_rows([serializer.instance.pk])
        data = built[0] if built else serializer.data
        return Response(data, status=status.HTTP_201_CREATED, headers=self.get_success_headers(data))

    def _decide(self, request, call):
        incident = self.get_object()
        incident = call(incident)
        return Response(IncidentSerializer(self.get_queryset().get(pk=incident.pk)).data)

    @extend_schema(request=None, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[REVIEW])
    def claim(self, request, pk=None):
        return self._decide(request, lambda incident: services.claim(incident, request.user))

    @extend_schema(request=DecisionSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[REVIEW])
    def decide(self, request, pk=None):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._decide(request, lambda incident: services.decide(
            incident, request.user, data.validated_data["outcome"], data.validated_data["rationale"]))

    @extend_schema(request=ReopenSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[REVIEW])
    def reopen(self, request, pk=None):
        """Reopen a verified or refuted incident on new evidence; the earlier decision stays in its steps."""
        data = ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = [(item["source"], item.get("summary", "")) for item in data.validated_data["evidence"]]
        return self._decide(request, lambda incident: services.reopen(
            incident, request.user, data.validated_data["reason"], evidence))

    @extend_schema(request=AttachSourceSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"], url_path="sources", permission_classes=[REVIEW])
    def attach_source(self, request, pk=None):
        """Attach one more graded source to the incident without a merge; corroboration follows its grade."""
        data = AttachSourceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data

        def attach(incident):
            services.attach_source(incident, request.user, v["source"], v["summary"], v.get("reliability") or "",
                                   v.get("credibility"), v.get("reference") or "")
            return incident

        return self._decide(request, attach)

    @extend_schema(request=MergeSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"], permission_classes=[REVIEW])
    def merge(self, request, pk=None):
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["duplicates"]
        found = list(self.get_queryset().filter(pk__in=ids))
        if len(found) != len(set(ids)):
            raise serializers.ValidationError({"duplicates": "Unknown incident id."})
        return self._decide(request, lambda incident: services.merge(
            incident, found, request.user, data.validated_data["rationale"]))

    @extend_schema(responses={200: ProposalSerializer(many=True)})
    # Proposals compare against every incident, so only roles that see them all may ask.
    @action(detail=True, methods=["get"], permission_classes=[capability_permission("ceasefire.view_all")])
    def duplicates(self, request, pk=None):
        return Response(ProposalSerializer(services.propose_duplicates(self.get_object()), many=True).data)

    @extend_schema(parameters=[OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)])
    @action(detail=False, methods=["get"])
    def counts(self, request):
        """Violations per reporting day (lower bounds), per district and type, with the running total."""
        if not can(request.user, "ceasefire.view_counts"):
            raise NotFound
        last = date_param(request, "to") or date_param(request, "from")
        first = date_param(request, "from") or last
        if first is None:
            raise serializers.ValidationError({"from": "Give from and/or to."})
        check_span(first, last)
        rows = counts.daily_rows(first, last)
        return Response({
            "from": first, "to": last, "running_total": counts.running_total(last),
            "days": [{"day": d, "total": n} for d, n in sorted(counts.daily_totals(first, last).items())],
            "rows": [{"day": d, "district": district, "type": kind, "count": n} for d, district, kind, n
                     in sorted(rows, key=lambda r: (r[0], r[1] or 0, r[2]))],
        })

    # The format is in the path: DRF reserves the `format` query parameter for content negotiation.
    @extend_schema(parameters=[OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
                   responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"], url_path=r"export/(?P<fmt>acled|hxl)",
            permission_classes=[capability_permission("ceasefire.export")])
    def export(self, request, fmt: str = "acled"):
        """ACLED-compatible or HXL-tagged CSV: /export/acled/ or /export/hxl/."""
        qs = self.filter_queryset(self.get_queryset()).filter(merged_into__isnull=True)
        qs = exports.in_window(qs, date_param(request, "from"), date_param(request, "to"))
        out = io.StringIO()
        exports.export_incidents(qs, fmt, out, actor=request.user.username, via="API")
        return HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "format": {"type": "string"}, "file": {"type": "string", "format": "binary"}}}})
    @action(detail=False, methods=["post"], url_path="import",
            permission_classes=[capability_permission("ceasefire.view", "ceasefire.import")])
    def import_(self, request):
        upload, fmt = request.FILES.get("file"), request.data.get("format", "")
        if upload is None:
            raise serializers.ValidationError({"file": "Attach a CSV file."})
        if fmt not in imports.SPECS:
            raise serializers.ValidationError({"format": "Choose acled or hxl."})
        batch = imports.import_file(upload.read(), upload.name, fmt, request.user)
        if batch.file_error:
            raise serializers.ValidationError({"file": batch.file_error})
        # Good rows are kept; the quarantined ones are listed and wait at intake/batches/<import> to be fixed.
        body = {"created": batch.rows_saved, "skipped": batch.rows_skipped, "import": batch.pk,
                "errors": [{"line": row.line, "message": "; ".join(row.errors), "problems": row.errors}
                           for row in batch.quarantined_rows.order_by("line")]}
        return Response(body, status=status.HTTP_200_OK)


class PostLogViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PostLogSerializer
    permission_classes = [capability_permission("ceasefire.view", "ceasefire.log")]
    filterset_fields = ["post", "manned"]

    def get_queryset(self):
        return ObservationPostLog.objects.visible_to(self.request.user)


class PatrolViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PatrolSerializer
    permission_classes = [capability_permission("ceasefire.view", "ceasefire.log")]

    def get_queryset(self):
        return Patrol.objects.visible_to(self.request.user).prefetch_related("stops__place")


def register(router) -> None:
    router.register("ceasefire/incidents", IncidentViewSet, basename="ceasefire-incident")
    router.register("ceasefire/post-logs", PostLogViewSet, basename="ceasefire-postlog")
    router.register("ceasefire/patrols", PatrolViewSet, basename="ceasefire-patrol")


REGISTER = [register]
