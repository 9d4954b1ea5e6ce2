"""The shell: landing page, dashboard assembled from each app's sections."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from peaceops.core.numbers import grouped
from peaceops.core.operation import is_pinned
from peaceops.core.params import page_day
from peaceops.core.registry import collect
from peaceops.core.roles import PUBLIC, can, roles_of


@login_required
def dashboard(request):
    if roles_of(request.user) == {PUBLIC} or not can(request.user, "core.view_dashboard"):
        return redirect("public_home")
    day = page_day(request)  # every card counts as of this day; a bad ?as_of= is a 400 naming it
    sections = []
    for provider in collect("dashboard", "SECTIONS"):
        sections.extend(provider(request))
    for section in sections:  # counts as the language writes them ("48,983", "48 983"), like every other page
        if section.get("template") == "core/_section_figures.html":
            section["data"] = [(label, grouped(value) if isinstance(value, int) and not isinstance(value, bool)
                                else value, url) for label, value, url in section["data"]]
    return render(request, "core/dashboard.html", {
        "sections": sections, "day": day, "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1), "pinned": is_pinned()})


def public_home(request):
    """What anyone may see without logging in; the reports module adds published sitreps here."""
    blocks = []
    for provider in collect("public", "BLOCKS"):
        blocks.extend(provider(request))
    return render(request, "core/public_home.html", {"blocks": blocks})
