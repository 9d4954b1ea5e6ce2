"""API shapes. Validation of the rules is the services' job; these parse and map errors to fields."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from peaceops.ceasefire import services
from peaceops.ceasefire.models import Incident, ObservationPostLog, Patrol, VerificationStep
from peaceops.ceasefire.taxonomy import is_violation
from peaceops.core.models import Place, Source
from peaceops.core.models.sources import Credibility, Reliability
from peaceops.core.text import record_number


def _holds_fields(field: serializers.Field) -> bool:
    """A nested serializer, or a field with a child field (a list, a dict, a many-related field): state is kept
    on the parts, so DRF's deep copy is needed."""
    return isinstance(field, serializers.BaseSerializer) or any(
        isinstance(value, serializers.Field) for value in vars(field).values())


def fresh_fields(template: dict) -> dict:
    """Unbound copies of a serializer's template fields, one set per serializer instance.

    DRF deep-copies each declared field by calling its constructor again with deep copies of its arguments (about
    a millisecond for IncidentSerializer's forty-odd fields, a tenth of a filing). A plain field keeps its
    per-instance state in its own attributes, which binding sets (name, parent, label, source) and validation
    only reads, so a shallow copy of an unbound template field is as separate as the deep copy: its arguments,
    choices and validators are shared, as DRF's deep copy shares validators. A field that holds other fields is
    still deep-copied. tests/ceasefire/test_serializer_fields.py holds the two equal in validation and output."""
    fields = {}
    for name, field in template.items():
        if _holds_fields(field):
            fields[name] = copy.deepcopy(field)
            continue
        fresh = fields[name] = copy.copy(field)
        if "_validators" in vars(fresh):  # its own list, as DRF's constructor gives each copy
            fresh._validators = list(fresh._validators)
    return fields


class SourceInSerializer(serializers.Serializer):
    # A declared field named like Field.source (which the stubs type str | None); DRF's metaclass takes it off
    # the class, so the two never meet at run time.
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())  # type: ignore[assignment]
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class StepSerializer(serializers.ModelSerializer):
    actor: serializers.StringRelatedField = serializers.StringRelatedField()
    # Plain strings: two fields over one choice set would give the OpenAPI schema two names for one enum.
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = VerificationStep
        fields = ["action", "from_status", "to_status", "actor", "at", "rationale"]


class IncidentSerializer(serializers.ModelSerializer):
    place_name = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                       help_text="A place name in any script, resolved through the gazetteer.")
    sources_in = SourceInSerializer(many=True, write_only=True, source="new_sources", required=True,
                                    help_text="One or more sources: [{source: id, summary: text}].")
    sources = serializers.SerializerMethodField()
    steps = StepSerializer(many=True, read_only=True)
    claimed_by: serializers.StringRelatedField = serializers.StringRelatedField()
    reported_by: serializers.StringRelatedField = serializers.StringRelatedField()
    location = serializers.CharField(source="location_label", read_only=True)
    corroboration = serializers.SerializerMethodField()
    is_violation = serializers.SerializerMethodField(help_text="Counted as a ceasefire violation (by its type).")

    class Meta:
        model = Incident
        fields = ["id", "uuid", "external_id", "occurred_from", "occurred_to", "time_precision", "place", "place_name",
                  "bearing", "distance_km", "latitude", "longitude", "location_precision", "location", "district",
                  "incident_type", "sub_type", "weapons", "direction_of_fire", "alleged_party", "alleged_by",
                  "killed_civilian", "killed_military", "killed_unknown", "injured_civilian", "injured_military",
                  "injured_unknown", "explosions", "bursts", "rounds", "damage", "notes", "observed_by_post", "observed_by_patrol", "status",
                  "credibility", "corroboration", "is_violation", "claimed_by", "reported_by", "merged_into",
                  "sources", "sources_in", "steps"]
        read_only_fields = ["uuid", "district", "status", "credibility", "claimed_by", "reported_by", "merged_into"]
        extra_kwargs = {"occurred_to": {"required": False}}

    def get_fields(self):
        """ModelSerializer builds its fields from the model on every instance (~3.7 ms for this one, each filing
        and each record read); they depend on the class alone, so they are built once per process and each
        instance gets its own copies (`fresh_fields`)."""
        cls = type(self)
        template = cls.__dict__.get("_fields_template")
        if template is None:
            template = super().get_fields()
            cls._fields_template = template
        return fresh_fields(template)

    def get_corroboration(self, incident) -> dict:
        c = services.corroboration(incident)
        return {"sources": c.origins, "reliable": c.reliable, "confirmed": c.confirmed, "text": c.sentence}

    def get_is_violation(self, incident) -> bool:
        return is_violation(incident.incident_type)

    def get_sources(self, incident) -> list[dict]:
        return [{"id": r.pk, "source": r.source.name, "grade": r.grade, "summary": r.summary}
                for r in incident.sources.all()]

    def validate_place_name(self, value):
        if not value.strip():
            return None
        try:
            return services.resolve_place(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["place"]) from None

    def validate(self, attrs):
        place = attrs.pop("place_name", None)
        if place is not None:
            attrs["place"] = place
        return attrs

    def create(self, validated):
        sources = [(item["source"], item.get("summary", "")) for item in validated.pop("new_sources", [])]
        return services.file_incident(self.context["request"].user, validated, sources)

    def get_validators(self):
        return []  # the CheckConstraint is enforced by the service with a field-level message


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["verified", "unconfirmed", "refuted"])
    rationale = serializers.CharField(allow_blank=True)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    evidence = SourceInSerializer(many=True, help_text="The new evidence: [{source: id, summary: text}].")


class AttachSourceSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())  # type: ignore[assignment]  # as above
    summary = serializers.CharField(allow_blank=True)
    reliability = serializers.ChoiceField(choices=Reliability.choices, required=False, allow_blank=True, default="")
    credibility = serializers.ChoiceField(choices=Credibility.choices, required=False, allow_null=True,
                                          default=None)
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class MergeSerializer(serializers.Serializer):
    duplicates = serializers.ListField(child=serializers.IntegerField(), min_length=1)
    rationale = serializers.CharField(allow_blank=True)


class ProposalSerializer(serializers.Serializer):
    incident = serializers.IntegerField(source="incident.pk")
    hours_apart = serializers.FloatField()
    km_apart = serializers.FloatField(allow_null=True)
    score = serializers.FloatField()


class PostLogSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObservationPostLog
        fields = ["id", "uuid", "post", "shift_start", "shift_end", "manned", "personnel", "observations"]

    def create(self, validated):
        return services.log_post(self.context["request"].user, **validated)


class PatrolSerializer(serializers.ModelSerializer):
    route = serializers.ListField(child=serializers.CharField(), write_only=True, min_length=2,
                                  help_text="Places passed, in order: ids or names in any script.")
    stops = serializers.SerializerMethodField()

    class Meta:
        model = Patrol
        fields = ["id", "uuid", "route_name", "started_at", "ended_at", "team", "distance_km", "findings", "route",
                  "stops"]

    def get_stops(self, patrol) -> list[dict]:
        return [{"order": s.order, "place": s.place_id, "name": s.place.name} for s in patrol.stops.all()]

    def validate_route(self, names):
        places, errors = [], []
        for name in names:
            place = Place.objects.filter(pk=record_number(name)).first() if record_number(name) else None
            if place is None:
                try:
                    place = services.resolve_place(str(name))
                except DjangoValidationError as exc:
                    errors.extend(exc.message_dict["place"])
                    continue
            places.append(place)
        if errors:
            raise serializers.ValidationError(errors)
        return places

    def create(self, validated):
        return services.record_patrol(self.context["request"].user, validated["route_name"], validated["route"],
                                      validated["started_at"], validated.get("ended_at"),
                                      validated.get("team", ""), validated.get("findings", ""),
                                      validated.get("distance_km"))
