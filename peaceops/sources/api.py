"""REST endpoints under /api/sources/: read (writes nothing), documents (ingest), claims (list, review) and
the cross-check — the same services as the command line and the web UI."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from peaceops.core.params import parse_date
from peaceops.core.permissions import capability_permission
from peaceops.core.roles import can
from peaceops.sources.forms import CorrectionForm
from peaceops.sources.models import Claim, Document
from peaceops.sources.reading import UnreadableReport
from peaceops.sources.services import check, ingest, output, reading, review


class ReportInput(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    file = serializers.FileField(required=False)
    name = serializers.CharField(required=False, default="pasted.txt")
    outlet = serializers.CharField(required=False, allow_blank=True, default="")
    published = serializers.DateField(required=False, allow_null=True, default=None)
    grade = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        if not data.get("file") and not (data.get("text") or "").strip():
            raise serializers.ValidationError({"text": "Give the report's text, or a file."})
        return data

    def content(self) -> tuple[bytes, str, bool]:
        data = self.validated_data
        if data.get("file"):
            return data["file"].read(), data["file"].name, False
        return data["text"].encode("utf-8"), data["name"], True


class ReviewInput(serializers.Serializer):
    """A correction names the fields it changes; a rejection gives `action: reject` and a `note`."""

    action = serializers.ChoiceField(choices=["correct", "reject", "restore"], default="correct")
    note = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.CharField(required=False)
    value = serializers.IntegerField(required=False, min_value=0)
    qualifier = serializers.CharField(required=False)
    period = serializers.CharField(required=False)
    since = serializers.DateField(required=False, allow_null=True)
    as_of = serializers.DateField(required=False, allow_null=True)
    place = serializers.IntegerField(required=False, allow_null=True)
    attributed_to = serializers.CharField(required=False, allow_blank=True)
    party = serializers.IntegerField(required=False, allow_null=True)


def _document_json(document: Document) -> dict:
    return {"id": document.pk, "title": document.title, "outlet": document.report.source.name,
            "grade": document.report.grade,
            "published": document.published_on.isoformat() if document.published_on else None,
            "language": document.language, "sha256": document.sha256, "notes": document.notes,
            "claims": [output.checked_json(c) for c in output.checked_claims(document.claims.order_by("start", "id"))]}


class DocumentViewSet(viewsets.GenericViewSet):
    """GET: stored documents with their checked claims. POST: ingest a report (201; 200 when already stored).
    POST read/: read a report and return its claims without storing anything."""

    permission_classes = [capability_permission("sources.view", "sources.ingest")]
    serializer_class = ReportInput
    queryset = Document.objects.none()  # for the schema; every request goes through visible_to below
    filter_backends = []

    def list(self, request):
        # Paged like every other list of the API ({count, next, previous, results}).
        documents = self.paginate_queryset(Document.objects.visible_to(request.user).select_related("report__source")
                                           .order_by("-published_on", "-id"))
        return self.get_paginated_response([
            {"id": d.pk, "title": d.title, "outlet": d.report.source.name, "grade": d.report.grade,
             "published": d.published_on.isoformat() if d.published_on else None, "language": d.language}
            for d in documents])

    def retrieve(self, request, pk=None):
        document = Document.objects.visible_to(request.user).select_related("report__source").filter(pk=pk).first()
        if document is None:
            raise NotFound()
        return Response(_document_json(document))

    def create(self, request):
        form = ReportInput(data=request.data)
        form.is_valid(raise_exception=True)
        data, name, pasted = form.content()
        try:
            done = ingest.ingest(data, name, request.user, grade=form.validated_data["grade"] or None,
                                 published=form.validated_data["published"], outlet=form.validated_data["outlet"],
                                 pasted=pasted)
        except UnreadableReport as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from None
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"grade": exc.messages}) from None
        return Response(_document_json(done.document), status=status.HTTP_201_CREATED if done.created
                        else status.HTTP_200_OK)

    # A POST that writes nothing (the report comes in the body): seeing open sources is enough.
    @action(detail=False, methods=["post"], url_path="read",
            permission_classes=[capability_permission("sources.view", "sources.view")])
    def read(self, request):
        form = ReportInput(data=request.data)
        form.is_valid(raise_exception=True)
        data, name, pasted = form.content()
        try:
            result = reading.read(data, name, published=form.validated_data["published"],
                                  outlet=form.validated_data["outlet"], pasted=pasted)
        except UnreadableReport as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from None
        return Response(result.as_json())


class ClaimViewSet(viewsets.GenericViewSet):
    """Checked claims (`?as_of=`, `?kind=`, `?verdict=`); POST check/ runs the cross-check; POST {id}/review/
    corrects (fields of the claim), rejects (`action: reject`, `note`) or restores one."""

    permission_classes = [capability_permission("sources.view", "sources.review")]
    serializer_class = ReviewInput
    queryset = Claim.objects.none()  # for the schema; every request goes through visible_to below
    filter_backends = []  # the filters are the documented query parameters, read below

    def _claims(self, request):
        claims = Claim.objects.visible_to(request.user).standing().order_by("as_of", "document_id", "start", "id")
        params = request.query_params
        day = parse_date(params["as_of"], "as_of") if params.get("as_of", "").strip() else None
        if day:
            claims = claims.filter(as_of=day)
        for name in ("kind", "verdict"):
            if params.get(name):
                claims = claims.filter(**{name: params[name]})
        return output.checked_claims(claims)

    def list(self, request):
        page = self.paginate_queryset(self._claims(request))
        return self.get_paginated_response([output.checked_json(c) for c in page])

    def retrieve(self, request, pk=None):
        claim = output.checked_claims(Claim.objects.visible_to(request.user)).filter(pk=pk).first()
        if claim is None:
            raise NotFound()
        return Response(output.checked_json(claim))

    @action(detail=False, methods=["post"])
    def check(self, request):
        check.run()
        return Response([output.checked_json(c) for c in self._claims(request)])

    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        claim = Claim.objects.visible_to(request.user).filter(pk=pk).first()
        if claim is None:
            raise NotFound()
        if not can(request.user, "sources.review"):
            raise PermissionDenied()
        verb = request.data.get("action", "correct")
        if verb == "reject":
            review.reject(claim, request.user, request.data.get("note", ""))
        elif verb == "restore":
            review.restore(claim, request.user)
        else:
            values = {name: getattr(claim, name) for name in review.EDITABLE}
            values = {k: (v.pk if hasattr(v, "pk") else v) for k, v in values.items()}
            values.update({k: v for k, v in request.data.items() if k in review.EDITABLE})
            form = CorrectionForm(values, instance=claim)
            if not form.is_valid():
                raise serializers.ValidationError(form.errors)
            review.correct(claim, request.user, {k: form.cleaned_data[k] for k in review.EDITABLE},
                           request.data.get("note", ""))
        claim = output.checked_claims(Claim.objects.filter(pk=claim.pk)).get()
        return Response(output.checked_json(claim))


def register(router) -> None:
    router.register("sources/documents", DocumentViewSet, basename="sources-document")
    router.register("sources/claims", ClaimViewSet, basename="sources-claim")


REGISTER = [register]
