"""API permissions go through the same capabilities as the web UI."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from peaceops.core.roles import can


def capability_permission(view_capability: str, write_capability: str | None = None) -> type[BasePermission]:
    """A permission class: reading needs `view_capability`, writing `write_capability`.

    Without the view capability the endpoint answers 404, as the web UI does: its existence is not disclosed.
    Both are checked before the body is read, so a refused write never learns which fields it got wrong; an
    action that needs another capability than its viewset's declares its own `permission_classes`.
    """

    class CapabilityPermission(BasePermission):
        def has_permission(self, request, view) -> bool:
            if not request.user or not request.user.is_authenticated:
                return False
            if not can(request.user, view_capability):
                from rest_framework.exceptions import NotFound

                raise NotFound()
            if request.method in SAFE_METHODS:
                return True
            return bool(write_capability) and can(request.user, write_capability)

    CapabilityPermission.__name__ = f"Can_{view_capability.replace('.', '_')}"
    CapabilityPermission.view_capability = view_capability
    CapabilityPermission.write_capability = write_capability
    return CapabilityPermission
