from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from peaceops.core import services
from peaceops.core.forms import parse_coordinate
from peaceops.core.models import (
    Mission,
    Organisation,
    Party,
    Person,
    PersonName,
    Place,
    PlaceAlias,
    Source,
    SourceReport,
)
from peaceops.core.models.audit import AuditEvent
from peaceops.core.models.sources import Reliability


def _float(value) -> float | None:
    return float(value) if value is not None else None


class PlaceAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlaceAlias
        fields = ["id", "name", "language", "script", "kind"]
        read_only_fields = ["script"]


@extend_schema_field({"anyOf": [{"type": "number"}, {"type": "string"}], "nullable": True,
                      "description": "Decimal degrees; written as a number or text (e.g. \"39.815\"), read as a number."})
class CoordinateField(serializers.CharField):
    """Coordinates are accepted as text (parsed by the form's rules) and answered as numbers: the schema says so."""


class PlaceSerializer(serializers.ModelSerializer):
    aliases = PlaceAliasSerializer(many=True, read_only=True)
    latitude = CoordinateField(required=False, allow_null=True, allow_blank=True)
    longitude = CoordinateField(required=False, allow_null=True, allow_blank=True)

    class Meta:
        model = Place
        fields = ["id", "uuid", "name", "kind", "parent", "latitude", "longitude", "pcode", "population", "aliases"]

    def _coordinate(self, value, axis):
        if value in (None, ""):
            return None
        try:
            return parse_coordinate(str(value), axis)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_latitude(self, value):
        return self._coordinate(value, "lat")

    def validate_longitude(self, value):
        return self._coordinate(value, "lon")

    def to_representation(self, instance):
        # The gazetteer is the API's busiest read: plain attribute reads instead of DRF's per-field machinery,
        # which cost half of a page of 50 places with their aliases. A test keeps this equal to DRF's own output.
        return {
            "id": instance.pk, "uuid": str(instance.uuid), "name": instance.name, "kind": instance.kind,
            "parent": instance.parent_id, "latitude": _float(instance.latitude),
            "longitude": _float(instance.longitude), "pcode": instance.pcode, "population": instance.population,
            "aliases": [{"id": a.pk, "name": a.name, "language": a.language, "script": a.script, "kind": a.kind}
                        for a in instance.aliases.all()],
        }

    def save(self, **kwargs):
        place = self.instance or Place()
        for field, value in {**self.validated_data, **kwargs}.items():
            setattr(place, field, value)
        try:
            self.instance = services.save_place(place)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "message_dict") else exc.messages) from None
        return self.instance


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "uuid", "code", "label", "kind", "description"]


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "uuid", "name", "acronym", "party", "sector"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "uuid", "name", "kind", "reliability", "party", "organisation", "url"]


class SourceReportSerializer(serializers.ModelSerializer):
    grade = serializers.CharField(read_only=True)

    class Meta:
        model = SourceReport
        fields = ["id", "uuid", "source", "received_at", "summary", "reference", "reliability", "credibility",
                  "grade", "reported_by", "graded_by", "graded_at", "grading_note"]
        read_only_fields = ["reliability", "credibility", "reported_by", "graded_by", "graded_at", "grading_note"]


class GradeSerializer(serializers.Serializer):
    reliability = serializers.ChoiceField(choices=Reliability.choices)
    credibility = serializers.IntegerField(min_value=1, max_value=6)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PersonNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonName
        fields = ["full_name", "script", "given", "patronymic", "surname", "is_primary", "written_by"]


class PersonSerializer(serializers.ModelSerializer):
    names = PersonNameSerializer(many=True, read_only=True)
    birth_date = serializers.CharField(source="birth_date_display", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "uuid", "sex", "birth_date", "birthplace_text", "birthplace", "father_name", "names",
                  "merged_into"]


class AuditEventSerializer(serializers.ModelSerializer):
    object_repr = serializers.SerializerMethodField()

    def get_object_repr(self, event) -> str:
        from peaceops.core.audit import displayed_repr

        return displayed_repr(event)

    class Meta:
        model = AuditEvent
        fields = ["id", "timestamp", "actor", "action", "model", "object_id", "object_repr", "detail", "request_id",
                  "prev_hash", "hash"]


class MissionSerializer(serializers.ModelSerializer):
    parties = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), many=True, required=False)

    class Meta:
        model = Mission
        fields = ["id", "uuid", "name", "active", "ceasefire_start", "first_return_day", "south", "west", "north",
                  "east", "day_cutoff", "small_cell", "time_zone", "parties", "revision"]
        read_only_fields = ["active", "revision"]
