"""View and API guards. What a role may not see is a 404 (its existence is not disclosed); what it may see but not
change is a 403."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from peaceops.core.roles import can

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def require(view_capability: str, write_capability: str | None = None, *, writer_only: bool = False):
    """Decorate a view: anonymous users go to the login page; others need `view_capability` (else 404) and, for
    writes, `write_capability` (else 403).

    `writer_only` marks a page that exists only to change something (a "new" or "edit" form, an import): opening
    it at all needs `write_capability`, so a role that may see but not change gets 403 on GET as on POST. Views
    never repeat these checks inline; tests/access/test_role_url_matrix.py reads the attributes set below."""
    if writer_only and not write_capability:
        raise ValueError("a writer-only page names the capability that writes")
    write_methods = None if writer_only else WRITE_METHODS

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, view_capability):
                raise Http404
            writing = write_methods is None or request.method in write_methods
            if write_capability and writing and not can(request.user, write_capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.view_capability = view_capability  # read by the tests that walk every page
        wrapped.write_capability = write_capability
        wrapped.writer_only = writer_only
        return wrapped

    return decorator


def get_visible_or_404(queryset, user, **lookup):
    """The object if `user` may see it; otherwise 404, whether it exists or not."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def capability_permission(view_capability: str, write_capability: str | None = None) -> type[BasePermission]:
    """A permission class: reading needs `view_capability`, writing `write_capability`.

    Without the view capability the endpoint answers 404, as the web UI does: its existence is not disclosed.
    Both are checked before the body is read, so a refused write never learns which fields it got wrong; an
    action that needs another capability than its viewset's declares its own `permission_classes`.
    """

    class CapabilityPermission(BasePermission):
        view_capability: str  # set below, read by the tests that walk every endpoint
        write_capability: str | None

        def has_permission(self, request, view) -> bool:
            if not request.user or not request.user.is_authenticated:
                return False
            if not can(request.user, view_capability):
                from rest_framework.exceptions import NotFound  # noqa: PLC0415

                raise NotFound()
            if request.method in SAFE_METHODS:
                return True
            return write_capability is not None and can(request.user, write_capability)

    CapabilityPermission.__name__ = f"Can_{view_capability.replace('.', '_')}"
    CapabilityPermission.view_capability = view_capability
    CapabilityPermission.write_capability = write_capability
    return CapabilityPermission
