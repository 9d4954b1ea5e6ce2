"""REST endpoints of the returns module: the same services as the web pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from peaceops.api.rows import RowsListMixin
from peaceops.core.api import AuditedReadViewSet
from peaceops.core.models import Person
from peaceops.core.models.places import PlaceKind
from peaceops.core.operation import operation_day
from peaceops.core.params import date_param
from peaceops.core.permissions import capability_permission
from peaceops.core.reporting import is_small_cell
from peaceops.core.roles import can
from peaceops.returns import services
from peaceops.returns.models import Convoy, Corridor, DuplicateProposal, FlowCount, Household
from peaceops.returns.rows import household_rows
from peaceops.returns.serializers import (
    ConvoySerializer,
    ConvoyStepSerializer,
    CorridorSerializer,
    DuplicateDecisionSerializer,
    DuplicateProposalSerializer,
    DuplicateSearchSerializer,
    FlowCountSerializer,
    FlowSheetSerializer,
    HouseholdInSerializer,
    HouseholdSerializer,
    MemberNeedsSerializer,
    MovementInSerializer,
    PlanSerializer,
    ResolveHeadcountSerializer,
    SetStatusSerializer,
)
from peaceops.returns.services import duplicates
from peaceops.returns.services import flows as flow_services
from peaceops.returns.services.households import search_households
from peaceops.returns.services.inputs import resolve_place
from peaceops.returns.services.planning import reason_text


class CorridorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CorridorSerializer
    permission_classes = [capability_permission("returns.view", "returns.change")]

    def get_queryset(self):
        return Corridor.objects.visible_to(self.request.user).prefetch_related("checkpoints__place", "status_changes")

    @extend_schema(request=SetStatusSerializer, responses={200: CorridorSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        corridor = self.get_object()
        data = SetStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.set_corridor_status(corridor, data.validated_data["status"], data.validated_data["reason"],
                                     at=data.validated_data["at"], user=request.user)
        return Response(CorridorSerializer(Corridor.objects.get(pk=corridor.pk)).data)


class HouseholdViewSet(AuditedReadViewSet, RowsListMixin):
    """Households (personal data): list pages and record reads go to the audit chain. A list page is built from
    column values (peaceops.returns.rows): the serializer's JSON at a fraction of its CPU."""

    serializer_class = HouseholdSerializer
    permission_classes = [capability_permission("returns.view", "returns.change")]
    filterset_fields = ["state", "is_vulnerable", "destination"]
    name_search = staticmethod(search_households)
    model = Household
    list_rows = staticmethod(household_rows)

    def get_queryset(self):
        return (Household.objects.visible_to(self.request.user).prefetch_related("members__person__names")
                .order_by("-is_vulnerable", "registered_on", "id"))

    @extend_schema(request=HouseholdInSerializer, responses={201: HouseholdSerializer})
    def create(self, request):
        data = HouseholdInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        destination = resolve_place(v["destination"], (PlaceKind.SETTLEMENT,))
        origin = resolve_place(v["origin"], (PlaceKind.SETTLEMENT,)) if v["origin"] else None
        household = services.register_household(
            [services.MemberSpec(**{k: m[k] for k in m if k not in {"needs", "carer"}}, needs=m["needs"],
                                 carer=m["carer"]) for m in v["members"]], destination, origin=origin,
            vulnerabilities=v["vulnerabilities"], registered_on=v["registered_on"], reference=v["reference"],
            written_by="API")
        return Response(HouseholdSerializer(household).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemberNeedsSerializer, responses={200: HouseholdSerializer},
                   description="Record a member's needs and seat needs (replacing theirs) and who sits beside them.")
    @action(detail=True, methods=["post"])
    def needs(self, request, pk=None):
        household = self.get_object()
        data = MemberNeedsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        member = household.members.filter(person_id=v["person"]).first()
        if member is None:
            raise DjangoValidationError("person: not a member of this household.")
        carer = None
        if v["carer"] is not None:
            carer = Person.objects.filter(pk=v["carer"]).first()
            if carer is None:
                raise DjangoValidationError("carer: no such person.")
        services.set_member_needs(member, v["needs"], carer=carer)
        return Response(HouseholdSerializer(Household.objects.get(pk=household.pk)).data)

    @extend_schema(request=MovementInSerializer, responses={201: OpenApiTypes.OBJECT},
                   description="A self-organised return, a departure or secondary displacement of the household "
                               "(or of the persons named among its members), outside an escorted convoy.")
    @action(detail=True, methods=["post"])
    def movement(self, request, pk=None):
        household = self.get_object()
        data = MovementInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        checkpoint = None
        if v["checkpoint"] is not None:
            checkpoint = flow_services.checkpoints().filter(pk=v["checkpoint"]).first()
            if checkpoint is None:
                raise DjangoValidationError("checkpoint: no such checkpoint.")
        destination = resolve_place(v["destination"], (PlaceKind.SETTLEMENT,)) if v["destination"] else None
        new = services.record_household_movement(household, v["kind"], at=v["at"], destination=destination,
                                                 checkpoint=checkpoint, person_ids=v["persons"] or None,
                                                 user=request.user)
        return Response({"household": household.pk, "kind": v["kind"], "returned_first_time": new},
                        status=status.HTTP_201_CREATED)


class ConvoyViewSet(viewsets.ReadOnlyModelViewSet):
    """Convoys. POST `plan/` fills a new convoy from the waiting list; POST `{id}/dispatch|pass|arrive|turn-back|
    add-household|remove-household/` runs it."""

    serializer_class = ConvoySerializer
    permission_classes = [capability_permission("returns.view", "returns.change")]
    filterset_fields = ["status", "date", "corridor"]

    def get_queryset(self):
        return Convoy.objects.visible_to(self.request.user).prefetch_related("vehicles", "cargo", "passages")

    @extend_schema(request=PlanSerializer, responses={201: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def plan(self, request):
        data = PlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        result = services.plan_convoy(v["corridor"], v["date"], v["buses"], escort=v["escort"], user=request.user)
        return Response({"convoy": ConvoySerializer(result.convoy).data, "people": result.people,
                         "seats": result.seats, "placed_households": [pk for pk, _ in result.placed],
                         "unplaceable": [{"household": pk, "code": code, "reason": reason_text(code),
                                          "person": result.whom.get(pk)} for pk, code in result.unplaceable],
                         "mixed_vehicles": [{"vehicle": result.convoy.vehicles.all()[index].pk,
                                             "destinations": places} for index, places in result.mixed.items()]},
                        status=status.HTTP_201_CREATED)

    def _step(self, request, run):
        convoy = self.get_object()
        data = ConvoyStepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run(convoy, data.validated_data)
        return Response(ConvoySerializer(Convoy.objects.get(pk=convoy.pk)).data)

    @extend_schema(request=ConvoyStepSerializer, responses={200: ConvoySerializer})
    @action(detail=True, methods=["post"], url_path="dispatch")
    def dispatch_convoy(self, request, pk=None):  # not "dispatch": that name is the view's own entry point
        return self._step(request, lambda c, v: services.dispatch(c, at=v["at"], user=request.user))

    @extend_schema(request=ConvoyStepSerializer, responses={200: ConvoySerializer})
    @action(detail=True, methods=["post"], url_path="pass")
    def pass_checkpoint(self, request, pk=None):
        def run(convoy, v):
            checkpoint = convoy.corridor.checkpoints.filter(pk=v.get("checkpoint")).first()
            if checkpoint is None:
                raise DjangoValidationError("checkpoint: give the id of a checkpoint of this corridor.")
            services.pass_checkpoint(convoy, checkpoint, head_count=v.get("head_count", 0),
                                     checked_by=v["checked_by"], at=v["at"], user=request.user)
        return self._step(request, run)

    @extend_schema(request=ConvoyStepSerializer, responses={200: ConvoySerializer})
    @action(detail=True, methods=["post"])
    def arrive(self, request, pk=None):
        return self._step(request, lambda c, v: services.arrive(c, at=v["at"], user=request.user))

    @extend_schema(request=ConvoyStepSerializer, responses={200: ConvoySerializer})
    @action(detail=True, methods=["post"], url_path="turn-back")
    def turn_back(self, request, pk=None):
        return self._step(request, lambda c, v: services.turn_back(c, v["reason"], at=v["at"], user=request.user))

    @extend_schema(request=ResolveHeadcountSerializer, responses={200: ConvoySerializer},
                   description="Resolve a checkpoint head count that differed from the manifest: who was not on "
                               "the bus, who travelled unlisted; the arrival is held until this is done.")
    @action(detail=True, methods=["post"], url_path="resolve-headcount")
    def resolve_headcount(self, request, pk=None):
        convoy = self.get_object()
        data = ResolveHeadcountSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        passage = convoy.passages.filter(pk=v["passage"]).first()
        if passage is None:
            raise serializers.ValidationError({"passage": ["no such passage of this convoy"]})
        visible = Household.objects.visible_to(request.user)
        services.resolve_headcount(passage, absent=v["absent"], added=[
            p for p in v["added"] if visible.filter(members__person_id=p).exists()] if v["added"] else [],
            note=v["note"], miscounted=v["miscounted"], user=request.user)
        return Response(ConvoySerializer(Convoy.objects.get(pk=convoy.pk)).data)

    def _household(self, v) -> Household:
        household = Household.objects.visible_to(self.request.user).filter(pk=v.get("household") or 0).first()
        if household is None:
            raise DjangoValidationError("household: no such household.")
        return household

    @extend_schema(request=ConvoyStepSerializer, responses={200: ConvoySerializer})
    @action(detail=True, methods=["post"], url_path="add-household")
    def add_household(self, request, pk=None):
        return self._step(request, lambda c, v: services.add_household_to_convoy(c, self._household(v)))

    @extend_schema(request=ConvoyStepSerializer, responses={200: ConvoySerializer})
    @action(detail=True, methods=["post"], url_path="remove-household")
    def remove_household(self, request, pk=None):
        return self._step(request, lambda c, v: services.remove_household_from_convoy(c, self._household(v)))


def _published_payload(day) -> dict:
    """The public role's answer: the newest published report up to `day` (null figures before the first)."""
    from peaceops.returns.published import published_returns

    published = published_returns(day)
    if published is None:
        return {"as_of": day.isoformat(), "published_day": None, "published_version": None, "total": None,
                "last_24h": None, "by_destination": []}

    def shown(value):  # hidden counts are null, as on the live answer for roles without record access
        return None if isinstance(value, str) else value

    return {"as_of": day.isoformat(), "published_day": published.day.isoformat(),
            "published_version": published.version, "total": shown(published.total),
            "last_24h": shown(published.last_24h),
            "by_destination": [{"name": name, "count": n} for name, n in published.by_destination]}


class ReturnedAsOfViewSet(viewsets.ViewSet):
    """Distinct people returned by the end of reporting day `as_of` (default today), by destination, and in the
    last 24 hours. Roles without record access get small cells suppressed (null). The public role gets the
    newest published report's figures up to `as_of` (`published_day`), never live ones."""

    permission_classes = [capability_permission("returns.view_counts")]

    @extend_schema(parameters=[OpenApiParameter("as_of", OpenApiTypes.DATE)], responses={200: OpenApiTypes.OBJECT})
    def list(self, request):
        day = date_param(request, "as_of", operation_day())
        if not can(request.user, "returns.view_live_counts"):
            return Response(_published_payload(day))
        count = services.returned_as_of(day)
        detailed = can(request.user, "returns.view")
        flows = services.flow_summary(day, day)
        escorted, own = count.escorted, count.self_organised
        if not detailed and (is_small_cell(escorted) or is_small_cell(own)):
            escorted = own = None  # one small part would give the other away by subtraction from the total
        return Response({
            "as_of": day.isoformat(), "period_end": count.end.isoformat(), "total": count.total,
            "last_24h": count.last_24h, "escorted": escorted, "self_organised": own,
            # People counted at checkpoints outside convoys that day, without names: beside the total, not in it.
            "flows": {"incoming": flows.incoming, "outgoing": flows.outgoing, "returns": flows.returns,
                      "departures": flows.departures, "secondary": flows.secondary},
            "by_destination": [{"place": place.pk, "name": place.name, "pcode": place.pcode,
                                "count": None if not detailed and is_small_cell(n) else n}
                               for place, n in count.by_destination]})


class FlowCountViewSet(viewsets.ReadOnlyModelViewSet):
    """Flow counts at checkpoints (people passing outside convoys, by direction, means of travel and purpose; no
    names). POST `sheet/` writes one checkpoint's counts for one day: each line replaces its row, 0 removes it."""

    serializer_class = FlowCountSerializer
    permission_classes = [capability_permission("returns.view_flows", "returns.record_flows")]
    filterset_fields = ["day", "checkpoint", "direction", "purpose", "vehicle"]

    def get_queryset(self):
        return FlowCount.objects.visible_to(self.request.user).select_related("checkpoint").order_by(
            "-day", "checkpoint", "direction", "purpose", "vehicle", "id")

    @extend_schema(request=FlowSheetSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def sheet(self, request):
        data = FlowSheetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        checkpoint = flow_services.checkpoints().filter(pk=v["checkpoint"]).first()
        if checkpoint is None:
            raise serializers.ValidationError({"checkpoint": ["no such checkpoint"]})
        total = services.record_flow_counts(checkpoint, v["day"], [services.FlowLine(**line) for line in v["lines"]],
                                            user=request.user)
        rows = FlowCount.objects.filter(checkpoint=checkpoint, day=v["day"])
        return Response({"checkpoint": checkpoint.pk, "day": v["day"].isoformat(), "people": total,
                         "rows": FlowCountSerializer(rows, many=True).data})


class DuplicateProposalViewSet(AuditedReadViewSet):
    """Possible duplicate registrations in the household registry (audited reads). POST `search/` runs the
    linkage engine over the registry; POST `{id}/confirm/` (merges the two identity records) or `{id}/reject/`,
    each with a reason."""

    serializer_class = DuplicateProposalSerializer
    permission_classes = [capability_permission("returns.view", "returns.change")]
    filterset_fields = ["status"]
    model = DuplicateProposal

    def get_queryset(self):
        return DuplicateProposal.objects.visible_to(self.request.user).select_related("decided_by").order_by(
            "-probability", "id")

    @extend_schema(request=DuplicateSearchSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def search(self, request):
        data = DuplicateSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = duplicates.find_duplicates(request.user, data.validated_data.get("threshold"))
        return Response(result.as_dict())

    def _decide(self, request, decide):
        proposal = self.get_object()
        data = DuplicateDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decide(proposal, request.user, data.validated_data["reason"])
        return Response(self.get_serializer(DuplicateProposal.objects.get(pk=proposal.pk)).data)

    @extend_schema(request=DuplicateDecisionSerializer, responses={200: DuplicateProposalSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, duplicates.confirm)

    @extend_schema(request=DuplicateDecisionSerializer, responses={200: DuplicateProposalSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, duplicates.reject)

    @extend_schema(request=DuplicateDecisionSerializer, responses={200: DuplicateProposalSerializer},
                   description="Back to proposed, with the reason; a merge this decision made is undone.")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._decide(request, duplicates.reopen)


def register(router) -> None:
    router.register("returns/corridors", CorridorViewSet, basename="returns-corridor")
    router.register("returns/households", HouseholdViewSet, basename="returns-household")
    router.register("returns/convoys", ConvoyViewSet, basename="returns-convoy")
    router.register("returns/duplicates", DuplicateProposalViewSet, basename="returns-duplicate")
    router.register("returns/returned-as-of", ReturnedAsOfViewSet, basename="returns-returned")
    router.register("returns/flows", FlowCountViewSet, basename="returns-flow")


REGISTER = [register]
