"""REST endpoints. Every list page and every record read is written to the audit chain, as in the web UI."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from peaceops.exchanges.api_base import AuditedReadViewSet, MatchDecisionNoteSerializer
from peaceops.exchanges.identification_api import register as register_identification
from peaceops.exchanges.models import (
    DetentionCase,
    ExchangeEvent,
    Handover,
    MatchDecision,
    MissingCase,
    PartyList,
    PartyListEntry,
    RemainsCase,
    TracingRequest,
)
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services import cases as case_services
from peaceops.exchanges.services import events as event_services
from peaceops.exchanges.services import reconcile as rec_services
from peaceops.search.services import LIST_ENTRY, PERSON, TRACING, search


@extend_schema_field({"type": "object", "nullable": True, "properties": {
    "id": {"type": "integer"}, "uuid": {"type": "string", "format": "uuid"},
    "names": {"type": "array", "items": {"type": "string"}}}})
class PersonNameField(serializers.Field):
    def to_representation(self, person):
        return None if person is None else {"id": person.pk, "uuid": str(person.uuid),
                                            "names": [n.full_name for n in person.names.all()]}


# What the API shows of each record, named field by field: a new model field stays internal until added here
# (MatchDecision.undo, the state to restore on undo, never leaves the server).
FIELDS = {
    "DetentionCase": ["id", "uuid", "created_at", "updated_at", "revision", "person", "kind", "holding_party", "place",
                      "place_text", "detained_on", "status", "released_on", "notes"],
    "MissingCase": ["id", "uuid", "created_at", "updated_at", "revision", "person", "reported_by",
                    "reported_by_party", "reported_on", "last_seen_place", "last_seen_text", "last_seen_on",
                    "circumstances", "status", "closed_on"],
    "RemainsCase": ["id", "uuid", "created_at", "updated_at", "revision", "reference", "person", "recovered_on",
                    "recovered_place", "recovered_place_text", "recovered_by", "condition", "holding_party",
                    "received_on", "dna_required", "identification_status", "identification_method", "identified_on",
                    "handed_over_to", "handed_over_to_party", "handed_over_on"],
    "PartyList": ["id", "uuid", "created_at", "updated_at", "revision", "party", "kind", "title", "received_on",
                  "received_via", "source_file", "encoding", "imported_by"],
    "PartyListEntry": ["id", "party_list", "line", "reference", "full_name", "script", "father_name", "birth_date",
                       "birth_place", "sex", "raw", "person"],
    "MatchDecision": ["id", "reconciliation", "left_entry", "right_entry", "right_person", "probability", "reasons",
                      "status", "decided_by", "decided_at", "note"],
    "ExchangeEvent": ["id", "uuid", "created_at", "updated_at", "revision", "kind", "subject", "agreed_on", "date",
                      "place", "place_text", "intermediary", "status", "completed_at", "completed_by", "notes"],
    "Handover": ["id", "event", "person", "from_party", "to_party", "witnessed_by", "handed_at"],
    "TracingRequest": ["id", "uuid", "created_at", "updated_at", "revision", "sought_name", "sought_father_name",
                       "sought_birth_date", "sought_birth_place", "sought_sex", "requested_by", "relationship",
                       "contact", "received_on", "status", "notes"],
}


def _serializer(model_, extra=None):
    fields = list(FIELDS[model_.__name__])
    attrs = {"Meta": type("Meta", (), {"model": model_, "fields": fields})}
    if hasattr(model_, "person"):
        attrs["person_detail"] = PersonNameField(source="person", read_only=True)
        fields.append("person_detail")
    fields.extend(extra or {})
    attrs.update(extra or {})
    return type(f"{model_.__name__}Serializer", (serializers.ModelSerializer,), attrs)


class CaseCreateMixin:
    """POST opens a case through the same forms and services as the web page: one set of rules, and a case
    about a person (detention, missing) carries that person in `person` ({name, father_name, sex, birth_date,
    birth_place}, the name exactly as written). A refused request writes nothing and names every bad field."""

    kind = ""

    @extend_schema(request={"application/json": {"type": "object", "description": "The web form's fields; "
                                                 "`person` for detention and missing cases."}})
    def create(self, request, *args, **kwargs):
        from peaceops.exchanges import forms

        _model, form_class, _title = forms.CASE_KINDS[self.kind]
        data = {k: v for k, v in request.data.items() if k != "person"}
        form = form_class(data=data)
        person_form = None if self.kind == "remains" else forms.PersonForm(data=request.data.get("person") or {})
        errors = {} if form.is_valid() else dict(form.errors)
        if person_form is not None and not person_form.is_valid():
            errors["person"] = dict(person_form.errors)
        if errors:
            raise serializers.ValidationError(errors)
        with transaction.atomic():
            case = case_services.open_case(self.kind, form.cleaned_data,
                                           person_form.cleaned_data if person_form else None)
        data = dict(self.get_serializer(case).data)
        warnings = getattr(getattr(case, "person", None), "warnings", [])
        if warnings:  # a field read in part (a birth date with a wrong day): the case is open, the user is told
            data["warnings"] = warnings
        return Response(data, status=status.HTTP_201_CREATED)


def _case_viewset(model_, kind: str):
    return type(f"{model_.__name__}ViewSet", (CaseCreateMixin, AuditedReadViewSet), {
        "model": model_, "kind": kind, "serializer_class": _serializer(model_), "name_search": (PERSON, "person_id"),
        "filterset_fields": ["status"] if hasattr(model_, "status") else ["identification_status"]})


DetentionCaseViewSet = _case_viewset(DetentionCase, "detention")
MissingCaseViewSet = _case_viewset(MissingCase, "missing")
RemainsCaseViewSet = _case_viewset(RemainsCase, "remains")


def _lists_with_entry(queryset, query):
    entries = search(PartyListEntry.objects.all(), LIST_ENTRY, query, rank=False)
    return queryset.filter(pk__in=entries.values("party_list_id"))


class PartyListViewSet(AuditedReadViewSet):
    """Party lists with their entries; `?q=` keeps the lists that name someone matching it."""

    model = PartyList
    name_search = staticmethod(_lists_with_entry)
    serializer_class = _serializer(PartyList, extra={
        "entries": _serializer(PartyListEntry)(many=True, read_only=True)})


class MatchDecisionViewSet(AuditedReadViewSet):
    """Proposals with probability and reasons; POST confirm/ reject/ to decide, reopen/ to undo (exchange
    officers)."""

    model = MatchDecision
    serializer_class = _serializer(MatchDecision)
    filterset_fields = ["reconciliation", "status"]

    def _decide(self, request, fn):
        decision = self.get_object()
        note = MatchDecisionNoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        try:
            fn(decision, request.user, note.validated_data["note"])
        except ExchangeError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        decision.refresh_from_db()
        return Response(self.get_serializer(decision).data)

    @extend_schema(request=MatchDecisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._decide(request, rec_services.confirm)

    @extend_schema(request=MatchDecisionNoteSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, rec_services.reject)

    @extend_schema(request=MatchDecisionNoteSerializer,
                   description="Back to proposed, with the reason in `note`; a confirmation is undone unless "
                               "the person has been handed over.")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._decide(request, rec_services.reopen)


class ExchangeEventViewSet(AuditedReadViewSet):
    model = ExchangeEvent
    serializer_class = _serializer(ExchangeEvent, extra={
        "handovers": _serializer(Handover)(many=True, read_only=True)})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        event = self.get_object()
        try:
            event_services.complete_event(event, request.user)
        except ExchangeError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        event.refresh_from_db()
        return Response(self.get_serializer(event).data)


class TracingRequestViewSet(AuditedReadViewSet):
    model = TracingRequest
    name_search = (TRACING, "pk")
    serializer_class = _serializer(TracingRequest)


def register(router) -> None:
    router.register("exchanges/detention-cases", DetentionCaseViewSet, basename="exchanges-detention")
    router.register("exchanges/missing-cases", MissingCaseViewSet, basename="exchanges-missing")
    router.register("exchanges/remains-cases", RemainsCaseViewSet, basename="exchanges-remains")
    router.register("exchanges/party-lists", PartyListViewSet, basename="exchanges-list")
    router.register("exchanges/match-decisions", MatchDecisionViewSet, basename="exchanges-decision")
    router.register("exchanges/events", ExchangeEventViewSet, basename="exchanges-event")
    router.register("exchanges/tracing-requests", TracingRequestViewSet, basename="exchanges-tracing")


REGISTER = [register, register_identification]
