"""What the exchanges API's viewsets share (the case permission, audited reads, a decision's note), in a leaf
module so `api` and `identification_api` need not import each other (issue 18)."""

from __future__ import annotations

from rest_framework import serializers

from peaceops.core import api as core_api
from peaceops.core.permissions import capability_permission

PERMISSION = capability_permission("exchanges.view_cases", "exchanges.change_cases")


class AuditedReadViewSet(core_api.AuditedReadViewSet):
    """The core's audited reads (`peaceops.core.api.AuditedReadViewSet`) behind the case permission."""

    permission_classes = [PERMISSION]


class MatchDecisionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
