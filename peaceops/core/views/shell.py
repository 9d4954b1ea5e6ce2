"""The shell: landing page, dashboard assembled from each app's sections."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from peaceops.core.registry import collect
from peaceops.core.roles import PUBLIC, can, roles_of


@login_required
def dashboard(request):
    if roles_of(request.user) == {PUBLIC} or not can(request.user, "core.view_dashboard"):
        return redirect("public_home")
    sections = []
    for provider in collect("dashboard", "SECTIONS"):
        sections.extend(provider(request))
    return render(request, "core/dashboard.html", {"sections": sections})


def public_home(request):
    """What anyone may see without logging in; the reports module adds published sitreps here."""
    blocks = []
    for provider in collect("public", "BLOCKS"):
        blocks.extend(provider(request))
    return render(request, "core/public_home.html", {"blocks": blocks})
