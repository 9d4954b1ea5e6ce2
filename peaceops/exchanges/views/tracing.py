"""Tracing requests: recorded from families, matched against every case; matches go to the officer only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.core import audit, versioning
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.exchanges import forms
from peaceops.exchanges.models import TracingMatch, TracingRequest
from peaceops.exchanges.services import tracing as services
from peaceops.search.services import TRACING, search

VIEW, CHANGE = "exchanges.view_cases", "exchanges.change_cases"


@require(VIEW)
def tracing_list(request):
    query = request.GET.get("q", "").strip()
    requests_ = search(TracingRequest.objects.visible_to(request.user), TRACING, query)
    requests_ = list(requests_[:200])
    audit.record_list_read(request.user, TracingRequest, [r.pk for r in requests_])
    return render(request, "exchanges/tracing_list.html", {"requests": requests_, "query": query})


@require(VIEW, CHANGE, writer_only=True)
def tracing_new(request):
    form = forms.TracingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tracing = form.save()
        found = services.match_request(tracing, request.user)
        messages.success(request, _("Request recorded; %(count)s possible matches for review.") % {"count": found})
        return redirect(tracing.get_absolute_url())
    return render(request, "exchanges/tracing_form.html", {"form": form})


@require(VIEW)
def tracing_detail(request, pk: int):
    tracing = get_visible_or_404(TracingRequest.objects.all(), request.user, pk=pk)
    audit.record_read(request.user, tracing)
    matches = tracing.matches.select_related("person").prefetch_related("person__names")
    return render(request, "exchanges/tracing_detail.html", {
        "tracing": tracing, "matches": matches, "can_identify": can(request.user, "exchanges.view_identification")})


@require(VIEW, CHANGE)
def tracing_action(request, pk: int, action: str):
    tracing = get_visible_or_404(TracingRequest.objects.all(), request.user, pk=pk)
    if request.method != "POST":
        raise Http404
    with versioning.expecting(tracing, versioning.posted_revision(request)):
        return _tracing_action(request, tracing, action)


def _tracing_action(request, tracing, action: str):
    if action == "rematch":
        found = services.match_request(tracing, request.user)
        messages.success(request, _("%(count)s new possible matches.") % {"count": found})
    elif action in ("confirm", "reject"):
        match = TracingMatch.objects.filter(request=tracing, pk=request.POST.get("match") or 0).first()
        try:
            if match is None:
                raise ValidationError(_("That match is not open for a decision."))
            services.decide_match(match, action == "confirm", request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
    else:
        raise Http404
    return redirect(tracing.get_absolute_url())
