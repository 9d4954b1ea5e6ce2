"""REST endpoints: sitrep versions with approve/publish actions, and the public list of published reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from peaceops.core.params import OperationDateField, parse_day
from peaceops.core.permissions import capability_permission
from peaceops.reports import content as sitrep_content
from peaceops.reports import services
from peaceops.reports.models import Sitrep


class SitrepSerializer(serializers.ModelSerializer):
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Sitrep
        fields = ["id", "uuid", "day", "version", "status", "content", "content_sha256", "corrects",
                  "change_note", "changes", "approved_by", "approved_at", "published_by", "published_at"]
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


DraftRequest = inline_serializer("SitrepDraftRequest", {"day": OperationDateField(),
                                                        "note": serializers.CharField(required=False)})


def _call(action_fn, *args):
    try:
        return action_fn(*args)
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    except DjangoValidationError as exc:
        raise serializers.ValidationError({"detail": exc.messages}) from None


class SitrepViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Every version of every daily report the user may see (drafts for working roles). POST opens a draft
    (or a correction, which needs `note`); coordinators approve and publish."""

    serializer_class = SitrepSerializer
    permission_classes = [capability_permission("reports.view_sitrep", "reports.approve")]
    filterset_fields = ["day", "status"]

    def get_queryset(self):
        return Sitrep.objects.visible_to(self.request.user).select_related("approved_by", "published_by")

    @extend_schema(request=DraftRequest, responses={201: SitrepSerializer})
    def create(self, request, *args, **kwargs):
        day = parse_day(serializers.DateField().to_internal_value(request.data.get("day", "")), "day")
        sitrep = _call(services.start_draft, day, request.user, str(request.data.get("note", "")))
        return Response(SitrepSerializer(sitrep).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: SitrepSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        sitrep = _call(services.approve, self.get_object(), request.user)
        return Response(SitrepSerializer(sitrep).data)

    @extend_schema(request=None, responses={200: SitrepSerializer})
    @action(detail=True, methods=["post"],
            permission_classes=[capability_permission("reports.view_sitrep", "reports.publish")])
    def publish(self, request, pk=None):
        sitrep = _call(services.publish, self.get_object(), request.user)
        return Response(SitrepSerializer(sitrep).data)


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
