"""What the exchanges API's viewsets share (the case permission, audited reads, a decision's note), in a leaf
module so `api` and `identification_api` need not import each other (issue 18)."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.response import Response

from peaceops.core import audit
from peaceops.core.permissions import capability_permission

PERMISSION = capability_permission("exchanges.view_cases", "exchanges.change_cases")


class AuditedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only access to sensitive records; list pages and single reads are audited."""

    permission_classes = [PERMISSION]
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).order_by("id")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", response.data) if isinstance(response.data, dict) else response.data
        audit.record_list_read(request.user, self.model, [row["id"] for row in rows], purpose="api list")
        return response

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        audit.record_read(request.user, obj, purpose="api")
        return Response(self.get_serializer(obj).data)


class MatchDecisionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
