"""View guards. What a role may not see is a 404 (its existence is not disclosed); what it may see but not
change is a 403."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from peaceops.core.roles import can


def require(view_capability: str, write_capability: str | None = None, *, write_methods=("POST", "PUT", "PATCH",
                                                                                           "DELETE")):
    """Decorate a view: anonymous users go to the login page; others need `view_capability` (else 404) and, for
    writes, `write_capability` (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, view_capability):
                raise Http404
            if write_capability and request.method in write_methods and not can(request.user, write_capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.view_capability = view_capability  # read by the tests that walk every page
        wrapped.write_capability = write_capability
        return wrapped

    return decorator


def get_visible_or_404(queryset, user, **lookup):
    """The object if `user` may see it; otherwise 404, whether it exists or not."""
    obj = queryset.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
