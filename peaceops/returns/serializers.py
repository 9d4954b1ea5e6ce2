from __future__ import annotations

from rest_framework import serializers

from peaceops.core.params import OperationDateField
from peaceops.returns.models import (
    CargoLine,
    CheckpointPassage,
    Convoy,
    Corridor,
    CorridorCheckpoint,
    CorridorStatusChange,
    DuplicateProposal,
    FlowCount,
    FlowDirection,
    FlowPurpose,
    FlowVehicle,
    Household,
    HouseholdMember,
    Vehicle,
    Vulnerability,
)


class CheckpointSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="place.name", read_only=True)

    class Meta:
        model = CorridorCheckpoint
        fields = ["id", "position", "place", "name"]


STATUS_HELP = "open, restricted or closed"


class StatusChangeSerializer(serializers.ModelSerializer):
    # Plain text in the schema (here and below): "status" enums of several apps would collide by name.
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)

    class Meta:
        model = CorridorStatusChange
        fields = ["id", "status", "reason", "at"]


class CorridorSerializer(serializers.ModelSerializer):
    checkpoints = CheckpointSerializer(many=True, read_only=True)
    status_changes = StatusChangeSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)

    class Meta:
        model = Corridor
        fields = ["id", "uuid", "name", "status", "checkpoints", "status_changes"]


class SetStatusSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=STATUS_HELP)  # checked by the service
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = HouseholdMember
        fields = ["person", "name", "relationship", "needs", "seat_needs", "carer"]

    def get_name(self, member) -> str:
        return str(member.person)


class HouseholdSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "uuid", "reference", "head", "origin", "destination", "vulnerabilities", "is_vulnerable",
                  "size", "registered_on", "state", "members"]
        read_only_fields = fields


class MemberInSerializer(serializers.Serializer):
    name = serializers.CharField()
    sex = serializers.ChoiceField(choices=["F", "M", "U"], default="U")
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    birth_month = serializers.IntegerField(required=False, allow_null=True)
    birth_day = serializers.IntegerField(required=False, allow_null=True)
    relationship = serializers.CharField(required=False, allow_blank=True, default="")
    needs = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                  help_text="needs and seat needs: medical, elderly, disabled, unaccompanied_child, "
                                            "pregnant; stretcher, wheelchair, carer")
    carer = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                     help_text="the member (1 = the head, in the order given) who sits beside them")


class MemberNeedsSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text="a member of the household")
    needs = serializers.ListField(child=serializers.CharField(), default=list,
                                  help_text="needs and seat needs, replacing the member's")
    carer = serializers.IntegerField(required=False, allow_null=True, default=None,
                                     help_text="person id of who sits beside them (travels on the same vehicle)")


class HouseholdInSerializer(serializers.Serializer):
    members = MemberInSerializer(many=True)
    destination = serializers.CharField(help_text="Place id or any name/alias of a settlement")
    origin = serializers.CharField(required=False, allow_blank=True, default="")
    vulnerabilities = serializers.ListField(child=serializers.ChoiceField(choices=Vulnerability.choices),
                                            required=False, default=list)
    registered_on = serializers.DateField(required=False, allow_null=True, default=None)
    reference = serializers.CharField(required=False, allow_blank=True, default="")


class VehicleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = ["id", "label", "seats", "stretchers", "wheelchair_spaces", "child_escort"]


class CargoSerializer(serializers.ModelSerializer):
    class Meta:
        model = CargoLine
        fields = ["id", "description", "quantity", "unit"]


class PassageSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckpointPassage
        fields = ["id", "checkpoint", "passed_at", "head_count", "checked_by", "manifest_count", "discrepancy",
                  "unresolved", "resolved_at", "resolution", "absent", "added"]

    discrepancy = serializers.IntegerField(read_only=True, help_text="counted minus manifest")
    unresolved = serializers.BooleanField(read_only=True, help_text="true while the difference holds the arrival")


class ConvoySerializer(serializers.ModelSerializer):
    vehicles = VehicleSerializer(many=True, read_only=True)
    cargo = CargoSerializer(many=True, read_only=True)
    passages = PassageSerializer(many=True, read_only=True)
    head_count = serializers.IntegerField(read_only=True)
    # Plain text in the schema: an enum here would collide with the corridor's "status" enum by name.
    status = serializers.CharField(read_only=True, help_text="planned, dispatched, arrived or turned_back")

    class Meta:
        model = Convoy
        fields = ["id", "uuid", "corridor", "date", "escort", "status", "dispatched_at", "arrived_at",
                  "turned_back_at", "turn_back_reason", "vehicles", "cargo", "passages", "head_count"]
        read_only_fields = fields


class PlanSerializer(serializers.Serializer):
    corridor = serializers.PrimaryKeyRelatedField(queryset=Corridor.objects.all())
    date = OperationDateField()
    buses = serializers.ListField(child=serializers.CharField(), min_length=1,
                                  help_text="seats per vehicle: 45, or 4+2s (2 stretcher places), 30+2w (2 wheelchair "
                                            "spaces), 30+e (an escort of unaccompanied children aboard)")

    def validate_buses(self, value):
        from peaceops.returns.services.inputs import parse_bus

        try:
            buses = [parse_bus(v) for v in value]
        except ValueError:
            raise serializers.ValidationError("write each vehicle as SEATS[+Ns][+Nw][+e]") from None
        if any(b.seats <= 0 for b in buses):
            raise serializers.ValidationError("every vehicle needs a positive number of seats")
        return buses
    escort = serializers.CharField(required=False, allow_blank=True, default="")


class ConvoyStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    checkpoint = serializers.IntegerField(required=False)
    head_count = serializers.IntegerField(required=False, min_value=0)
    checked_by = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    household = serializers.IntegerField(required=False)


class DuplicateProposalSerializer(serializers.ModelSerializer):
    # Plain text in the schema: "status" enums of several apps would collide by name.
    status = serializers.CharField(read_only=True, help_text="proposed, confirmed or rejected")
    explanation = serializers.JSONField(read_only=True, help_text="per field: field, level, weight, agrees, "
                                                                  "left, right (values as the engine compared them); "
                                                                  "from_household on the father's name: the sides "
                                                                  "whose value is their household head's")
    decided_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = DuplicateProposal
        fields = ["id", "left", "right", "probability", "explanation", "status", "decided_by", "decided_at",
                  "reason", "survivor", "created_at", "updated_at"]
        read_only_fields = fields


class DuplicateDecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="why the officer decides so (required)")


class DuplicateSearchSerializer(serializers.Serializer):
    threshold = serializers.FloatField(required=False, min_value=0.01, max_value=1.0,
                                       help_text="lowest probability proposed")


class ResolveHeadcountSerializer(serializers.Serializer):
    passage = serializers.IntegerField(help_text="the checkpoint passage whose head count differed")
    absent = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                   help_text="person ids on the manifest who were not on the bus")
    added = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                  help_text="person ids of registered household members travelling unlisted")
    miscounted = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField()


class MovementInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["return", "departure", "secondary"])
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    checkpoint = serializers.IntegerField(required=False, allow_null=True, default=None,
                                          help_text="id of the checkpoint place where it was recorded")
    destination = serializers.CharField(required=False, allow_blank=True, default="",
                                        help_text="settlement (any name or alias); a return defaults to the "
                                                  "household's destination")
    persons = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                    help_text="person ids among the members (default: the whole household)")


class FlowCountSerializer(serializers.ModelSerializer):
    checkpoint_name = serializers.CharField(source="checkpoint.name", read_only=True)

    class Meta:
        model = FlowCount
        fields = ["id", "checkpoint", "checkpoint_name", "day", "direction", "vehicle", "purpose", "people",
                  "vehicles"]
        read_only_fields = fields


class FlowLineSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=FlowDirection.choices)
    vehicle = serializers.ChoiceField(choices=FlowVehicle.choices)
    purpose = serializers.ChoiceField(choices=FlowPurpose.choices)
    people = serializers.IntegerField(min_value=0)
    vehicles = serializers.IntegerField(min_value=0, required=False, default=0)


class FlowSheetSerializer(serializers.Serializer):
    checkpoint = serializers.IntegerField(help_text="id of the checkpoint place")
    day = OperationDateField()
    lines = FlowLineSerializer(many=True)
