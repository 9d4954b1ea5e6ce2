"""API shapes; validation beyond field types is the services' job."""

from __future__ import annotations

from rest_framework import serializers

from peaceops.core.models import Place
from peaceops.restoration.models import (
    ClearanceReport,
    ClearanceTask,
    DamageAssessment,
    Facility,
    HazardousArea,
    LandRelease,
    MineAccident,
    OrdnanceCount,
    QAResult,
    RiskEducationSession,
    Work,
)


class FacilitySerializer(serializers.ModelSerializer):
    # Settlements may be given by id or by name in any script (resolved through the gazetteer).
    settlements = serializers.ListField(child=serializers.CharField(), write_only=True, required=False)
    settlements_served = serializers.SerializerMethodField()

    class Meta:
        model = Facility
        fields = ["id", "uuid", "name", "kind", "sector", "place", "capacity", "capacity_unit", "settlements",
                  "settlements_served", "population_served", "depends_on", "notes"]
        read_only_fields = ["uuid", "sector"]
        extra_kwargs: dict[str, dict] = {"depends_on": {"required": False}}

    def get_settlements_served(self, obj) -> list[dict]:
        return [{"id": p.pk, "name": p.name} for p in obj.settlements.all()]

    def validate_place(self, value: Place) -> Place:
        return value


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DamageAssessment
        fields = ["id", "uuid", "facility", "date", "assessor", "severity", "functionality", "needs",
                  "submitted_by"]
        read_only_fields = ["uuid", "submitted_by"]
        extra_kwargs: dict[str, dict] = {"functionality": {"validators": []}}


class WorkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Work
        fields = ["id", "uuid", "organisation", "activity", "facility", "planned_start", "planned_end",
                  "actual_start", "actual_end", "status", "percent_complete", "restores_to", "resources",
                  "external_id"]
        read_only_fields = ["uuid"]
        # Ranges and date order are checked by the work service, with its messages.
        extra_kwargs: dict[str, dict] = {"percent_complete": {"validators": []}, "restores_to": {"validators": []}}
        validators: list = []


class WorkActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["start", "progress", "suspend", "resume", "complete", "cancel"])
    date = serializers.DateField(required=False)
    percent = serializers.IntegerField(required=False)


class HazardousAreaSerializer(serializers.ModelSerializer):
    land_release = serializers.SerializerMethodField()

    class Meta:
        model = HazardousArea
        fields = ["id", "uuid", "code", "name", "status", "hazard", "geometry", "place", "estimated_area_m2",
                  "reported_on", "land_release"]
        read_only_fields = ["uuid"]
        # Sizes are checked by the service (more than 0 m², not below what is released), with its messages.
        extra_kwargs: dict[str, dict] = {"estimated_area_m2": {"validators": []}}

    def get_land_release(self, obj) -> dict:
        """m² cancelled, reduced, cleared, released, remaining (null without a size) and handed over."""
        from peaceops.restoration.services import land_release

        b = land_release.balance(obj)
        return {"cancelled_m2": b.cancelled_m2, "reduced_m2": b.reduced_m2, "cleared_m2": b.cleared_m2,
                "released_m2": b.released_m2, "remaining_m2": b.remaining_m2, "handed_over_m2": b.handed_over_m2}


class ClearanceTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClearanceTask
        fields = ["id", "uuid", "code", "kind", "organisation", "hazardous_area", "place", "description", "status",
                  "start", "end"]
        read_only_fields = ["uuid"]


class OrdnanceCountSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrdnanceCount
        fields = ["ordnance_type", "found", "destroyed"]


class ClearanceReportSerializer(serializers.ModelSerializer):
    ordnance = OrdnanceCountSerializer(many=True, required=False)

    class Meta:
        model = ClearanceReport
        fields = ["id", "uuid", "task", "date", "area_cleared_m2", "road_cleared_km", "notes", "ordnance"]
        read_only_fields = ["uuid"]
        validators: list = []


class LandReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = LandRelease
        fields = ["id", "uuid", "area", "date", "method", "area_m2", "team", "organisation", "task", "notes",
                  "qa_date", "qa_result", "qa_inspector", "handed_over_on", "handed_over_to"]
        read_only_fields = ["uuid", "qa_date", "qa_result", "qa_inspector", "handed_over_on", "handed_over_to"]


class QASerializer(serializers.Serializer):
    date = serializers.DateField()
    result = serializers.ChoiceField(choices=[QAResult.PASSED, QAResult.FAILED])
    inspector = serializers.CharField(max_length=120)


class HandoverSerializer(serializers.Serializer):
    date = serializers.DateField()
    recipient = serializers.CharField(max_length=200)


class MineAccidentSerializer(serializers.ModelSerializer):
    killed = serializers.IntegerField(read_only=True)
    injured = serializers.IntegerField(read_only=True)

    class Meta:
        model = MineAccident
        fields = ["id", "uuid", "date", "area", "place", "latitude", "longitude", "device", "activity",
                  "killed_girls", "killed_boys", "killed_women", "killed_men", "injured_girls", "injured_boys",
                  "injured_women", "injured_men", "killed", "injured", "notes"]
        read_only_fields = ["uuid"]


class RiskEducationSerializer(serializers.ModelSerializer):
    participants = serializers.IntegerField(read_only=True)

    class Meta:
        model = RiskEducationSession
        fields = ["id", "uuid", "date", "place", "venue", "organisation", "area", "girls", "boys", "women", "men",
                  "participants", "notes"]
        read_only_fields = ["uuid"]
