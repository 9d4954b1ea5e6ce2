"""REST endpoints of restoration and mine action; every write goes through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from peaceops.core.operation import operation_day
from peaceops.core.params import check_span, date_param
from peaceops.core.permissions import capability_permission
from peaceops.restoration.models import (
    ClearanceReport,
    ClearanceTask,
    DamageAssessment,
    Facility,
    HazardousArea,
    LandRelease,
    MineAccident,
    RiskEducationSession,
    Work,
)
from peaceops.restoration.serializers import (
    AssessmentSerializer,
    ClearanceReportSerializer,
    ClearanceTaskSerializer,
    FacilitySerializer,
    HandoverSerializer,
    HazardousAreaSerializer,
    LandReleaseSerializer,
    MineAccidentSerializer,
    QASerializer,
    RiskEducationSerializer,
    WorkActionSerializer,
    WorkSerializer,
)
from peaceops.restoration.services import assessments, facilities, land_release, mine_action, works
from peaceops.restoration.services import status as service_status


def _as_of(request) -> dt.date:
    return date_param(request, "as_of", operation_day())


class _Visible:
    queryset_base: Any = None

    def get_queryset(self):
        return self.queryset_base.visible_to(self.request.user)


class _SavedThroughService:
    """Creates and updates go through the module's service, which validates; its errors become field errors."""

    model: Any = None
    save_with: Callable[[Any], Any] | None = None

    def _save(self, serializer, instance=None):
        obj = instance or self.model()
        for key, value in serializer.validated_data.items():
            setattr(obj, key, value)
        assert self.save_with is not None, "a viewset saving through a service names it"
        serializer.instance = self.save_with(obj)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)


class FacilityViewSet(_SavedThroughService, _Visible, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Facilities; `settlements` take ids or names; `/status/?as_of=` is each facility's state on a date."""

    serializer_class = FacilitySerializer
    permission_classes = [capability_permission("restoration.view", "restoration.edit")]
    queryset_base = Facility.objects.select_related("place").prefetch_related("settlements", "depends_on")
    filterset_fields = ["sector", "kind", "place"]

    def _save(self, serializer, instance=None):
        data = dict(serializer.validated_data)
        names = data.pop("settlements", None)
        deps = data.pop("depends_on", None)
        facility = instance or Facility()
        for key, value in data.items():
            setattr(facility, key, value)
        settlements = facilities.resolve_settlements(names) if names is not None else None
        serializer.instance = facilities.save_facility(facility, settlements, deps)

    @extend_schema(parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE)], responses={200: inline_serializer(
        "FacilityState", {"facility": serializers.IntegerField(), "own": serializers.IntegerField(),
                          "effective": serializers.IntegerField(), "level": serializers.CharField(),
                          "since": serializers.DateField(allow_null=True),
                          "blocked_by": serializers.ListField(child=serializers.IntegerField())}, many=True)})
    @action(detail=False, methods=["get"], pagination_class=None)
    def status(self, request):
        day = _as_of(request)
        states = service_status.StatusEngine(self.get_queryset()).facility_states(day)
        return Response([{"facility": pk, "own": s.own, "effective": s.effective, "level": s.level,
                          "since": s.since, "blocked_by": list(s.blocked_by)} for pk, s in states.items()])


class AssessmentViewSet(_Visible, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AssessmentSerializer
    permission_classes = [capability_permission("restoration.view_assessments", "restoration.assess")]
    queryset_base = DamageAssessment.objects.select_related("facility")
    filterset_fields = ["facility", "date", "severity"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = assessments.record_assessment(
            d["facility"], d["date"], d["assessor"], d["severity"], d["functionality"], d.get("needs", ""),
            user=self.request.user)


class WorkViewSet(_SavedThroughService, _Visible, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Works (3W). Lifecycle steps: POST `/works/{id}/step/` with action start|progress|suspend|resume|complete|
    cancel."""

    serializer_class = WorkSerializer
    permission_classes = [capability_permission("restoration.view", "restoration.edit")]
    queryset_base = Work.objects.select_related("organisation", "facility")
    filterset_fields = ["status", "organisation", "facility"]

    model = Work
    save_with = staticmethod(works.save_work)

    @extend_schema(request=WorkActionSerializer, responses={200: WorkSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        work = self.get_object()
        body = WorkActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        verb, day, percent = (body.validated_data.get(k) for k in ("action", "date", "percent"))
        works.take_step(work, verb, day=day, percent=percent)
        return Response(WorkSerializer(work).data)


class ServiceStatusViewSet(viewsets.ViewSet):
    """Per settlement and for the region: which services function as of `as_of`, with the previous day."""

    permission_classes = [capability_permission("restoration.view")]

    @extend_schema(parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE)], responses={200: OpenApiTypes.OBJECT})
    def list(self, request):
        day = _as_of(request)
        today, yesterday = service_status.with_previous_day(day, Facility.objects.visible_to(request.user))
        return Response({
            "as_of": day,
            "settlements": [{"id": s.place.pk, "name": s.place.name, "district": s.district,
                             "population": s.population,
                             "services": {k: {"level": v.level, "percent": v.percent} for k, v in s.services.items()}}
                            for s in today.settlements],
            "region": {k: {"served": t.served, "full": t.full, "partial": t.partial, "none": t.none,
                           "change": t.served - yesterday.totals[k].served} for k, t in today.totals.items()},
        })


class HazardousAreaViewSet(_SavedThroughService, _Visible, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                           viewsets.ReadOnlyModelViewSet):
    serializer_class = HazardousAreaSerializer
    permission_classes = [capability_permission("restoration.view", "restoration.edit")]
    queryset_base = HazardousArea.objects.all()
    filterset_fields = ["status", "hazard"]

    model = HazardousArea
    save_with = staticmethod(mine_action.save_hazardous_area)

    @extend_schema(responses={200: inline_serializer("LinkedIncident", {
        "id": serializers.IntegerField(), "uuid": serializers.UUIDField(), "occurred_from": serializers.DateTimeField(),
        "sub_type": serializers.CharField(), "status": serializers.CharField()}, many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def incidents(self, request, pk=None):
        """The ceasefire mine/UXO incidents (that this user may see) lying in the area: by point in polygon, else
        by place."""
        from django.apps import apps

        area = self.get_object()
        try:
            visible = apps.get_model("ceasefire", "Incident").objects.visible_to(request.user)
        except LookupError:
            return Response([])
        return Response([{"id": i.pk, "uuid": i.uuid, "occurred_from": i.occurred_from, "sub_type": i.sub_type,
                          "status": i.status} for i in land_release.incidents_in_area(area, visible)])


class ClearanceTaskViewSet(_Visible, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ClearanceTaskSerializer
    permission_classes = [capability_permission("restoration.view", "restoration.edit")]
    queryset_base = ClearanceTask.objects.all()
    filterset_fields = ["status", "kind", "organisation"]

    def perform_create(self, serializer):
        serializer.instance = mine_action.save_task(ClearanceTask(**serializer.validated_data))


class ClearanceReportViewSet(_Visible, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Daily reports; `/totals/?first=&last=` sums them (area m² and ha, road km, ordnance by type)."""

    serializer_class = ClearanceReportSerializer
    permission_classes = [capability_permission("restoration.view", "restoration.edit")]
    queryset_base = ClearanceReport.objects.select_related("task").prefetch_related("ordnance")
    filterset_fields = ["task", "date"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        ordnance = {row["ordnance_type"]: (row.get("found", 0), row.get("destroyed", 0))
                    for row in d.get("ordnance", [])}
        serializer.instance = mine_action.record_daily_report(
            d["task"], d["date"], d.get("area_cleared_m2", 0), d.get("road_cleared_km", 0), ordnance,
            d.get("notes", ""))

    @extend_schema(parameters=[OpenApiParameter("first", OpenApiTypes.DATE),
                               OpenApiParameter("last", OpenApiTypes.DATE)], responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def totals(self, request):
        last = date_param(request, "last", operation_day())
        first = date_param(request, "first", last)
        check_span(first, last, "first/last")
        t = mine_action.totals(first, last, self.get_queryset())
        return Response({"first": first, "last": last, "area_m2": t.area_m2, "area_ha": t.area_ha,
                         "road_km": t.road_km, "found": t.found, "destroyed": t.destroyed,
                         "by_type": {k: {"found": f, "destroyed": d} for k, (f, d) in t.by_type.items()}})


class LandReleaseViewSet(_Visible, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Land released from a hazardous area (cancellation, reduction, clearance, in m²). POST `/{id}/qa/` records a
    quality assurance inspection, `/{id}/handover/` the handover (only after QA passed). `/figures/?first=&last=`
    sums releases by method, handovers, accidents and victims, and risk-education reach."""

    serializer_class = LandReleaseSerializer
    permission_classes = [capability_permission("restoration.view", "restoration.edit")]
    queryset_base = LandRelease.objects.select_related("area")
    filterset_fields = ["area", "method", "date", "qa_result"]

    def perform_create(self, serializer):
        d = serializer.validated_data
        serializer.instance = land_release.record_release(
            d["area"], d["date"], d["method"], d["area_m2"], d.get("team", ""), d.get("organisation"),
            d.get("task"), d.get("notes", ""))

    def _step(self, request, body_class, step):
        release = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        release = step(release, body.validated_data)
        return Response(LandReleaseSerializer(release).data)

    @extend_schema(request=QASerializer, responses={200: LandReleaseSerializer})
    @action(detail=True, methods=["post"])
    def qa(self, request, pk=None):
        return self._step(request, QASerializer, lambda r, d: land_release.record_qa(
            r, d["date"], d["result"], d["inspector"]))

    @extend_schema(request=HandoverSerializer, responses={200: LandReleaseSerializer})
    @action(detail=True, methods=["post"])
    def handover(self, request, pk=None):
        return self._step(request, HandoverSerializer, lambda r, d: land_release.hand_over(
            r, d["date"], d["recipient"]))

    @extend_schema(parameters=[OpenApiParameter("first", OpenApiTypes.DATE),
                               OpenApiParameter("last", OpenApiTypes.DATE)], responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"])
    def figures(self, request):
        last = date_param(request, "last", operation_day())
        first = date_param(request, "first", last - dt.timedelta(days=6))
        check_span(first, last, "first/last")
        user = request.user
        f = land_release.figures(first, last, self.get_queryset(), MineAccident.objects.visible_to(user),
                                 RiskEducationSession.objects.visible_to(user))
        return Response({"first": first, "last": last, "released_m2": f.released_m2, "by_method_m2": f.by_method,
                         "handed_over_m2": f.handed_over_m2, "accidents": f.accidents, "killed": f.killed,
                         "injured": f.injured,
                         "victims_by_group": {g: {"killed": k, "injured": i}
                                              for g, (k, i) in f.victims_by_group.items()},
                         "risk_education_sessions": f.sessions, "reached": f.reached, "reach": f.reach})


class MineAccidentViewSet(_SavedThroughService, _Visible, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                          viewsets.ReadOnlyModelViewSet):
    """Mine/ERW accidents with victims by sex, age group and outcome; without `area`, the area the coordinates
    (or place) lie in."""

    serializer_class = MineAccidentSerializer
    permission_classes = [capability_permission("restoration.view", "restoration.edit")]
    queryset_base = MineAccident.objects.all()
    filterset_fields = ["area", "date", "device"]

    model = MineAccident
    save_with = staticmethod(land_release.save_accident)


class RiskEducationViewSet(_SavedThroughService, _Visible, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                           viewsets.ReadOnlyModelViewSet):
    serializer_class = RiskEducationSerializer
    permission_classes = [capability_permission("restoration.view", "restoration.edit")]
    queryset_base = RiskEducationSession.objects.all()
    filterset_fields = ["place", "date", "area"]

    model = RiskEducationSession
    save_with = staticmethod(land_release.save_session)


def register(router) -> None:
    router.register("restoration/facilities", FacilityViewSet, basename="restoration-facility")
    router.register("restoration/assessments", AssessmentViewSet, basename="restoration-assessment")
    router.register("restoration/works", WorkViewSet, basename="restoration-work")
    router.register("restoration/service-status", ServiceStatusViewSet, basename="restoration-status")
    router.register("restoration/hazardous-areas", HazardousAreaViewSet, basename="restoration-hazardousarea")
    router.register("restoration/clearance-tasks", ClearanceTaskViewSet, basename="restoration-clearancetask")
    router.register("restoration/clearance-reports", ClearanceReportViewSet, basename="restoration-clearancereport")
    router.register("restoration/land-releases", LandReleaseViewSet, basename="restoration-landrelease")
    router.register("restoration/mine-accidents", MineAccidentViewSet, basename="restoration-mineaccident")
    router.register("restoration/risk-education", RiskEducationViewSet, basename="restoration-riskeducation")


REGISTER = [register]
