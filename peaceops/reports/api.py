"""REST endpoints: sitrep versions with approve/publish actions, and the public list of published reports."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from peaceops.core.params import OperationDateField, parse_day
from peaceops.core.permissions import capability_permission
from peaceops.reports import content as sitrep_content
from peaceops.reports import services
from peaceops.reports.models import Classification, SectionNarrative, Sitrep


class NarrativeSerializer(serializers.ModelSerializer):
    written_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = SectionNarrative
        fields = ["section", "text", "written_by", "written_at"]
        read_only_fields = fields


class SitrepSerializer(serializers.ModelSerializer):
    created_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approved_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    published_by: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # A draft's narratives as they stand (approval copies them into `content`, where they stay).
    narratives = NarrativeSerializer(many=True, read_only=True)

    class Meta:
        model = Sitrep
        fields = ["id", "uuid", "day", "version", "status", "classification", "distribution", "content",
                  "content_sha256", "corrects", "change_note", "changes", "narratives", "created_by",
                  "approved_by", "approved_at", "published_by", "published_at"]
        read_only_fields = fields


class PublicSitrepSerializer(serializers.ModelSerializer):
    content = serializers.SerializerMethodField()
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Sitrep
        fields = ["uuid", "day", "version", "content", "content_sha256", "change_note", "changes", "published_at"]

    def get_content(self, obj) -> dict:
        return sitrep_content.public_view(obj.content)

    def get_changes(self, obj) -> list:
        return sitrep_content.public_changes(obj.changes)


DraftRequest = inline_serializer("SitrepDraftRequest", {
    "day": OperationDateField(), "note": serializers.CharField(required=False),
    "classification": serializers.ChoiceField(Classification.choices, required=False),
    "distribution": serializers.CharField(required=False, allow_blank=True)})
MarkingRequest = inline_serializer("SitrepMarkingRequest", {
    "classification": serializers.ChoiceField(Classification.choices),
    "distribution": serializers.CharField(required=False, allow_blank=True)})
NarrativeRequest = inline_serializer("SitrepNarrativeRequest", {
    "section": serializers.CharField(), "text": serializers.CharField(allow_blank=True),
    "based_on": serializers.CharField(required=False, allow_blank=True,
                                      help_text="written_at of the text you edited (\"\" for none)")})
PublishRequest = inline_serializer("SitrepPublishRequest", {
    "confirm": serializers.BooleanField(help_text="true: you have read the public view, publish it")})


class SitrepViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Every version of every daily report the user may see (drafts for working roles). POST opens a draft
    (or a correction, which needs `note`); coordinators approve and publish."""

    serializer_class = SitrepSerializer
    permission_classes = [capability_permission("reports.view_sitrep", "reports.approve")]
    filterset_fields = ["day", "status"]

    def get_queryset(self):
        return (Sitrep.objects.visible_to(self.request.user)
                .select_related("created_by", "approved_by", "published_by")
                .prefetch_related("narratives__written_by"))

    @extend_schema(request=DraftRequest, responses={201: SitrepSerializer})
    def create(self, request, *args, **kwargs):
        day = parse_day(serializers.DateField().to_internal_value(request.data.get("day", "")), "day")
        classification = request.data.get("classification")
        distribution = request.data.get("distribution")
        sitrep = services.start_draft(day, request.user, str(request.data.get("note", "")),
                       classification=str(classification) if classification is not None else None,
                       distribution=str(distribution) if distribution is not None else None)
        return Response(SitrepSerializer(sitrep).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MarkingRequest, responses={200: SitrepSerializer})
    @action(detail=True, methods=["post"])
    def marking(self, request, pk=None):
        """Set a draft's classification and the distribution line its renderings carry."""
        sitrep = services.set_marking(self.get_object(), request.user,
                       str(request.data.get("classification", "")), str(request.data.get("distribution", "")))
        return Response(SitrepSerializer(sitrep).data)

    @extend_schema(request=NarrativeRequest, responses={200: SitrepSerializer})
    @action(detail=True, methods=["post"],
            permission_classes=[capability_permission("reports.view_sitrep", "reports.narrate")])
    def narrative(self, request, pk=None):
        """Write a section's narrative in a draft (the section's own role, or a coordinator); empty text
        removes it."""
        sitrep = self.get_object()
        based_on = request.data.get("based_on")
        services.write_narrative(sitrep, str(request.data.get("section", "")),
              str(request.data.get("text", "")), request.user,
              based_on=str(based_on) if based_on is not None else None)
        return Response(SitrepSerializer(Sitrep.objects.get(pk=sitrep.pk)).data)

    @extend_schema(request=None, responses={200: SitrepSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        sitrep = services.approve(self.get_object(), request.user)
        return Response(SitrepSerializer(sitrep).data)

    @extend_schema(request=PublishRequest, responses={200: SitrepSerializer})
    @action(detail=True, methods=["post"],
            permission_classes=[capability_permission("reports.view_sitrep", "reports.publish")])
    def publish(self, request, pk=None):
        """Publish an approved version: needs `{"confirm": true}` (read `public-preview` first) and a coordinator
        who did not draft it."""
        confirmed = request.data.get("confirm") is True
        sitrep = services.publish(self.get_object(), request.user, confirmed=confirmed)
        return Response(SitrepSerializer(sitrep).data)

    @extend_schema(responses={200: inline_serializer("SitrepPublicPreview", {"content": serializers.JSONField()})})
    @action(detail=True, methods=["get"], url_path="public-preview")
    def public_preview(self, request, pk=None):
        """What the public will see of an approved version once it is published."""
        sitrep = self.get_object()
        if not sitrep.is_frozen:
            raise serializers.ValidationError({"detail": ["Only an approved version has a public view."]})
        return Response({"content": sitrep_content.public_view(sitrep.content)})


class PublicSitrepViewSet(viewsets.ReadOnlyModelViewSet):
    """Published reports for anyone, no login: small counts of people suppressed, no links into case files."""

    serializer_class = PublicSitrepSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]
    filterset_fields = ["day"]
    lookup_field = "uuid"

    def get_queryset(self):
        return Sitrep.objects.published().order_by("-day", "-version")


def register(router) -> None:
    router.register("sitreps", SitrepViewSet, basename="sitrep")
    router.register("public/sitreps", PublicSitrepViewSet, basename="public-sitrep")


REGISTER = [register]
