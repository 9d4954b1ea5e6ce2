"""REST endpoints of the core registry."""

from __future__ import annotations

import threading

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from peaceops.core import audit, gazetteer, mission, services
from peaceops.core.models import Mission, Organisation, Party, Person, Place, Source, SourceReport
from peaceops.core.models.audit import AuditAction, AuditEvent
from peaceops.core.permissions import capability_permission
from peaceops.core.roles import can
from peaceops.core.serializers import (
    AuditEventSerializer,
    GradeSerializer,
    MissionSerializer,
    OrganisationSerializer,
    PartySerializer,
    PersonSerializer,
    PlaceAliasSerializer,
    PlaceSerializer,
    SourceReportSerializer,
    SourceSerializer,
)


class VisibleQuerysetMixin:
    """Every API queryset passes through the model's visible_to(user)."""

    queryset_base = None

    def get_queryset(self):
        return self.queryset_base.visible_to(self.request.user)


class AuditedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only access to sensitive records (people, cases, households, proposals about them): every list page
    and every single read appends to the audit chain, naming the records by id ("api list" / "api").

    The one implementation of the audited pair (issue 18); a subclass sets `model` (the records the list event
    names) and `permission_classes`, and may narrow `get_queryset` (always through `visible_to`). A list built
    some other way (`peaceops.api.rows.RowsListMixin`) stands after this class, so the rows it returns are the
    ones audited."""

    model: type[models.Model]  # set by every subclass

    def get_queryset(self):
        # Every audited model's manager has visible_to (django-stubs only knows Model's plain manager).
        return self.model.objects.visible_to(self.request.user).order_by("id")  # type: ignore[attr-defined]

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", response.data) if isinstance(response.data, dict) else response.data
        audit.record_list_read(request.user, self.model, [row["id"] for row in rows], purpose="api list")
        return response

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.record_read(request.user, obj, purpose="api")
        return Response(self.get_serializer(obj).data)


LIST_COLUMNS = ("id", "uuid", "name", "kind", "parent_id", "latitude", "longitude", "pcode", "population")


class _PageCache:
    """Serialised gazetteer pages of this process, for as long as the gazetteer's stamp says nothing changed.

    A page is the same for everyone allowed to read it (places are visible all or nothing, and the permission
    check runs before the cache is asked), and the gazetteer changes rarely while field devices list it often.
    """

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._pages: dict[tuple, dict] = {}
        self._lock = threading.Lock()

    def get_or_build(self, key: tuple, build) -> dict:
        page = self._pages.get(key)
        if page is None:
            page = build()
            with self._lock:
                if len(self._pages) >= self._size:
                    self._pages.clear()  # stamps move on; old keys are never asked for again
                self._pages[key] = page
        return page


_place_pages = _PageCache()


class PlaceViewSet(VisibleQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                   viewsets.ReadOnlyModelViewSet):
    """Gazetteer places. `?q=` searches names and aliases in any script; `/resolve/?name=` resolves one name."""

    serializer_class = PlaceSerializer
    permission_classes = [capability_permission("core.view_gazetteer", "core.edit_gazetteer")]
    filterset_fields = ["kind", "parent", "pcode"]
    ordering_fields = ["name", "population"]
    queryset_base = Place.objects.prefetch_related("aliases")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            # Lists load just the serialised columns: building model instances is most of a page's cost.
            # (Never on writes: saving an instance with deferred fields would skip them.)
            queryset = queryset.only(*LIST_COLUMNS)
        query = self.request.query_params.get("q")
        if query:
            ids = [p.pk for p in gazetteer.search(query)]
            return queryset.filter(id__in=ids)
        return queryset

    def list(self, request, *args, **kwargs):
        def build() -> dict:
            data = dict(super(PlaceViewSet, self).list(request, *args, **kwargs).data)
            if "results" in data:
                data["results"] = list(data["results"])  # plain data: no serializer (and request) kept alive
            return data

        # Errors (a bad filter, a page out of range) raise inside build() and are never cached.
        return Response(_place_pages.get_or_build((gazetteer.stamp(), request.build_absolute_uri()), build))

    @extend_schema(parameters=[OpenApiParameter("name", OpenApiTypes.STR, required=True)],
                   responses={200: PlaceSerializer})
    @action(detail=False, methods=["get"])
    def resolve(self, request):
        name = request.query_params.get("name", "")
        try:
            result = gazetteer.resolve(name)
        except gazetteer.PlaceNotFound as exc:
            return Response({"detail": str(exc), "suggestions": [p.pk for p in exc.suggestions]},
                            status=status.HTTP_404_NOT_FOUND)
        except gazetteer.PlaceAmbiguous as exc:
            return Response({"detail": str(exc), "candidates": [p.pk for p in exc.candidates]},
                            status=status.HTTP_409_CONFLICT)
        data = PlaceSerializer(result.place).data
        data["match"] = {"method": result.method, "score": result.score}
        return Response(data)

    @extend_schema(request=PlaceAliasSerializer, responses={201: PlaceAliasSerializer})
    @action(detail=True, methods=["post"])
    def aliases(self, request, pk=None):
        place = self.get_object()
        serializer = PlaceAliasSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alias = services.add_alias(place, serializer.validated_data["name"], serializer.validated_data["language"],
                                   serializer.validated_data.get("kind", "official"))
        return Response(PlaceAliasSerializer(alias).data, status=status.HTTP_201_CREATED)


class PartyViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PartySerializer
    permission_classes = [capability_permission("core.view_reference")]
    queryset_base = Party.objects.all()
    filterset_fields = ["kind"]


class MissionViewSet(VisibleQuerysetMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    """The mission's dates, area and reporting rules; `/current/` is the one every page uses."""

    serializer_class = MissionSerializer
    permission_classes = [capability_permission("core.view_reference", "core.configure_mission")]
    queryset_base = Mission.objects.prefetch_related("parties")

    def _save(self, serializer, record):
        values = {k: v for k, v in serializer.validated_data.items() if k in mission.FIELDS}
        serializer.instance = mission.save(record, values, parties=serializer.validated_data.get("parties"))

    def perform_create(self, serializer):
        self._save(serializer, Mission())

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    @extend_schema(responses={200: MissionSerializer})
    @action(detail=False, methods=["get"])
    def current(self, request):
        return Response(MissionSerializer(mission.current()).data)

    @extend_schema(request=None, responses={200: MissionSerializer})
    @action(detail=True, methods=["post"],
            permission_classes=[capability_permission("core.view_reference", "core.configure_mission")])
    def activate(self, request, pk=None):
        return Response(MissionSerializer(mission.activate(self.get_object())).data)


class OrganisationViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    permission_classes = [capability_permission("core.view_reference")]
    queryset_base = Organisation.objects.all()
    search_fields = ["name", "acronym"]


class SourceViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SourceSerializer
    permission_classes = [capability_permission("core.view_sources")]
    queryset_base = Source.objects.all()
    filterset_fields = ["kind", "reliability"]
    lookup_value_regex = r"\d+"  # /api/sources/documents/ and /claims/ belong to the open-source module


class SourceReportViewSet(VisibleQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Items of information; monitors and analysts record them, analysts grade them (A–F, 1–6)."""

    serializer_class = SourceReportSerializer
    permission_classes = [capability_permission("core.view_sources", "core.report_information")]
    queryset_base = SourceReport.objects.select_related("source")
    filterset_fields = ["source", "reliability", "credibility"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        if not Source.objects.visible_to(self.request.user).filter(pk=data["source"].pk).exists():
            raise NotFound
        serializer.instance = services.report_information(data["source"], data["received_at"], data["summary"],
                                                          data.get("reference", ""), user=self.request.user)

    @extend_schema(request=GradeSerializer, responses={200: SourceReportSerializer})
    @action(detail=True, methods=["post"],
            permission_classes=[capability_permission("core.view_sources", "core.grade_sources")])
    def grade(self, request, pk=None):
        if not can(request.user, "core.grade_sources"):
            raise PermissionDenied("Only analysts grade information.")
        report = self.get_object()
        serializer = GradeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.grade(report, serializer.validated_data["reliability"], serializer.validated_data["credibility"],
                       request.user, serializer.validated_data["note"])
        return Response(SourceReportSerializer(report).data)


class PersonViewSet(VisibleQuerysetMixin, AuditedReadViewSet):
    """Identity records (sensitive): every list page and every record read is written to the audit chain."""

    serializer_class = PersonSerializer
    permission_classes = [capability_permission("core.view_persons")]
    model = Person
    queryset_base = Person.objects.prefetch_related("names").order_by("id")
    name_search = ("person", "pk")


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEventSerializer
    permission_classes = [capability_permission("core.view_audit")]
    queryset = AuditEvent.objects.order_by("-id")
    filter_backends = []  # the filters are the log page's (audit.filtered_events), with its 400s for bad values

    @extend_schema(parameters=[
        OpenApiParameter("actor", str, description="part of the user name, any case"),
        OpenApiParameter("action", str, enum=AuditAction.values),
        OpenApiParameter("model", str, description="part of the record type (app.Model), any case"),
        OpenApiParameter("object_id", str, description="the record's id, exactly"),
        OpenApiParameter("from", OpenApiTypes.DATE, description="first reporting day"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="last reporting day")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return audit.filtered_events(self.request)[0]

    @extend_schema(responses={200: inline_serializer("ChainReport", {
        "count": serializers.IntegerField(), "intact": serializers.BooleanField(),
        "first_broken_id": serializers.IntegerField(allow_null=True), "reason": serializers.CharField()})})
    @action(detail=False, methods=["get"])
    def verify(self, request):
        report = audit.verify()
        return Response({"count": report.count, "intact": report.intact, "first_broken_id": report.first_broken_id,
                         "reason": report.reason})


def register(router) -> None:
    router.register("places", PlaceViewSet, basename="place")
    router.register("parties", PartyViewSet, basename="party")
    router.register("missions", MissionViewSet, basename="mission")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("sources", SourceViewSet, basename="source")
    router.register("source-reports", SourceReportViewSet, basename="sourcereport")
    router.register("persons", PersonViewSet, basename="person")
    router.register("audit-events", AuditEventViewSet, basename="auditevent")


REGISTER = [register]
