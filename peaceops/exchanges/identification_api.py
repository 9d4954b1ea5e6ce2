"""REST endpoints of the identification of the dead (exchange officers only). Reads are audited as in the web UI;
writes go through the same forms and services as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from peaceops.core.permissions import capability_permission
from peaceops.exchanges import identification_forms as forms
from peaceops.exchanges.api_base import AuditedReadViewSet, MatchDecisionNoteSerializer
from peaceops.exchanges.models import (
    AmPmCandidate,
    AnteMortem,
    DecisionStatus,
    DnaMatch,
    DnaSample,
    FamilyContact,
    MissingCase,
    PostMortem,
    RecoverySite,
    RemainsCase,
    SampleKind,
)
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services import identification as services

PERMISSION = capability_permission("exchanges.view_identification", "exchanges.change_cases")

FIELDS = {
    FamilyContact: ["id", "missing_case", "name", "relationship", "consent_to_share", "contact", "recorded_on"],
    AnteMortem: ["id", "missing_case", "collected_from", "collected_on", "age_at_disappearance", "stature_cm",
                 "description", "dental_missing", "dental_notes", "medical", "clothing", "effects",
                 "last_seen_latitude", "last_seen_longitude", "photographs"],
    RecoverySite: ["id", "uuid", "reference", "place", "latitude", "longitude", "description"],
    PostMortem: ["id", "remains_case", "recovery_site", "latitude", "longitude", "recovery_team", "body_or_part",
                 "sex_estimate", "age_min", "age_max", "stature_min_cm", "stature_max_cm", "dental_missing",
                 "dental_notes", "clothing", "effects", "examined_on", "photographs"],
    DnaSample: ["id", "kind", "sample_id", "laboratory", "taken_on", "donor", "missing_case", "remains_case"],
    DnaMatch: ["id", "reference_sample", "remains_sample", "likelihood_ratio", "laboratory", "reported_on",
               "status", "decided_by", "decided_at", "note"],
    AmPmCandidate: ["id", "missing_case", "remains_case", "score", "reasons", "status", "decided_by", "decided_at",
                    "note"],
}


def _serializer(model_):
    meta = type("Meta", (), {"model": model_, "fields": FIELDS[model_], "read_only_fields": FIELDS[model_]})
    return type(f"{model_.__name__}IdentificationSerializer", (serializers.ModelSerializer,), {"Meta": meta})


class IdentificationViewSet(AuditedReadViewSet):
    permission_classes = [PERMISSION]
    # (parent model, parent field, form factory(data, parent), service(parent, cleaned data)) for POST
    parent: tuple[type[Any], str] | None = None  # a model with the visible_to manager, and its field

    def _parent(self, request):
        model_, name = self.parent
        try:
            pk = int(request.data.get(name) or 0)
        except (TypeError, ValueError):
            pk = 0
        return model_.objects.visible_to(request.user).filter(pk=pk).first()

    def _create(self, request, make_form, save):
        parent = self._parent(request) if self.parent else None
        if self.parent and parent is None:
            return Response({self.parent[1]: ["not found"]}, status=status.HTTP_400_BAD_REQUEST)
        form = make_form(request.data, parent)
        if not form.is_valid():
            return Response(dict(form.errors), status=status.HTTP_400_BAD_REQUEST)
        try:
            with transaction.atomic():
                obj = save(parent, form.cleaned_data)
        except (DjangoValidationError, ExchangeError) as exc:
            return Response({"detail": getattr(exc, "messages", None) or [str(exc)]},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


class FamilyContactViewSet(IdentificationViewSet):
    """Relatives of missing persons; POST with `missing_case` adds one."""

    model, serializer_class, parent = FamilyContact, _serializer(FamilyContact), (MissingCase, "missing_case")
    filterset_fields = ["missing_case"]

    @extend_schema(request={"application/json": {"type": "object"}})
    def create(self, request, *args, **kwargs):
        return self._create(request, lambda data, case: forms.FamilyContactForm(data=data),
                            lambda case, d: services.add_family_contact(case, **d))


class AnteMortemViewSet(IdentificationViewSet):
    """Ante-mortem data; POST with `missing_case` records it (or replaces the case's record; history kept)."""

    model, serializer_class, parent = AnteMortem, _serializer(AnteMortem), (MissingCase, "missing_case")
    filterset_fields = ["missing_case"]

    @extend_schema(request={"application/json": {"type": "object"}})
    def create(self, request, *args, **kwargs):
        return self._create(
            request, lambda data, case: forms.AnteMortemForm(
                data=data, case=case, instance=AnteMortem.objects.filter(missing_case=case).first()),
            lambda case, d: services.save_ante_mortem(case, **d))


class RecoverySiteViewSet(IdentificationViewSet):
    model, serializer_class = RecoverySite, _serializer(RecoverySite)

    @extend_schema(request={"application/json": {"type": "object"}})
    def create(self, request, *args, **kwargs):
        return self._create(request, lambda data, _p: forms.RecoverySiteForm(data=data),
                            lambda _p, d: services.record_recovery_site(**d))


class PostMortemViewSet(IdentificationViewSet):
    """Post-mortem data; POST with `remains_case` records it (or replaces the case's record; history kept)."""

    model, serializer_class, parent = PostMortem, _serializer(PostMortem), (RemainsCase, "remains_case")
    filterset_fields = ["remains_case", "recovery_site"]

    @extend_schema(request={"application/json": {"type": "object"}})
    def create(self, request, *args, **kwargs):
        return self._create(
            request, lambda data, case: forms.PostMortemForm(
                data=data, instance=PostMortem.objects.filter(remains_case=case).first()),
            lambda case, d: services.save_post_mortem(case, **d))


class DnaSampleViewSet(IdentificationViewSet):
    """DNA samples. POST with `missing_case` and `donor` registers a reference sample, with `remains_case` one
    from remains."""

    model, serializer_class = DnaSample, _serializer(DnaSample)
    filterset_fields = ["kind", "missing_case", "remains_case"]

    @extend_schema(request={"application/json": {"type": "object"}})
    def create(self, request, *args, **kwargs):
        if request.data.get("remains_case"):
            self.parent = (RemainsCase, "remains_case")
            return self._create(request, lambda data, case: forms.RemainsSampleForm(data=data, case=case),
                                lambda case, d: services.register_sample(kind=SampleKind.REMAINS,
                                                                         remains_case=case, **d))
        self.parent = (MissingCase, "missing_case")
        return self._create(request, lambda data, case: forms.ReferenceSampleForm(data=data, case=case),
                            lambda case, d: services.register_sample(kind=SampleKind.REFERENCE,
                                                                     missing_case=case, **d))


class LabImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    laboratory = serializers.CharField(required=False, allow_blank=True, default="")


class _Decisions:
    def _decide(self, request, fn):
        obj = self.get_object()
        note = MatchDecisionNoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        try:
            fn(obj, request.user, note.validated_data["note"])
        except ExchangeError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        obj.refresh_from_db()
        return Response(self.get_serializer(obj).data)


class DnaMatchViewSet(_Decisions, IdentificationViewSet):
    """The laboratory's match reports: POST import/ (its CSV) proposes identifications; confirm/ identifies the
    remains by DNA, reject/ refuses, reopen/ (reason in `note`) undoes a decision."""

    model, serializer_class = DnaMatch, _serializer(DnaMatch)
    filterset_fields = ["status"]

    @extend_schema(request={"multipart/form-data": LabImportSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request):
        data = LabImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.import_lab_results(data.validated_data["file"].read(), request.user,
                                             laboratory=data.validated_data["laboratory"].strip())
        return Response({"saved": [m.pk for m in result.saved], "skipped": result.skipped,
                         "errors": [{"line": e.line, "message": e.message} for e in result.errors]},
                        status=status.HTTP_201_CREATED if result.saved else status.HTTP_200_OK)

    @extend_schema(request=MatchDecisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, services.confirm_dna_match)

    @extend_schema(request=MatchDecisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, services.reject_dna_match)

    @extend_schema(request=MatchDecisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._decide(request, services.reopen_dna_match)


class AmPmCandidateViewSet(_Decisions, IdentificationViewSet):
    """Ranked ante-mortem / post-mortem pairs with reasons per field; POST compare/ runs the comparison."""

    model, serializer_class = AmPmCandidate, _serializer(AmPmCandidate)
    filterset_fields = ["status", "missing_case", "remains_case"]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by("-score", "id")

    @extend_schema(request=None)
    @action(detail=False, methods=["post"])
    def compare(self, request):
        return Response({"new": services.compare_all(request.user)})

    @extend_schema(request=MatchDecisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, lambda c, u, n: services.decide_candidate(c, DecisionStatus.CONFIRMED, u, n))

    @extend_schema(request=MatchDecisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, lambda c, u, n: services.decide_candidate(c, DecisionStatus.REJECTED, u, n))

    @extend_schema(request=MatchDecisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._decide(request, services.reopen_candidate)


def register(router) -> None:
    router.register("exchanges/family-contacts", FamilyContactViewSet, basename="exchanges-familycontact")
    router.register("exchanges/ante-mortem", AnteMortemViewSet, basename="exchanges-antemortem")
    router.register("exchanges/recovery-sites", RecoverySiteViewSet, basename="exchanges-recoverysite")
    router.register("exchanges/post-mortem", PostMortemViewSet, basename="exchanges-postmortem")
    router.register("exchanges/dna-samples", DnaSampleViewSet, basename="exchanges-dnasample")
    router.register("exchanges/dna-matches", DnaMatchViewSet, basename="exchanges-dnamatch")
    router.register("exchanges/ampm-candidates", AmPmCandidateViewSet, basename="exchanges-ampm")
