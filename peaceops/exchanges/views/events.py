"""Exchange events: roster, handovers, completion."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.core import audit, versioning
from peaceops.core.models import Person
from peaceops.core.params import date_param
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.exchanges import forms
from peaceops.exchanges.models import ExchangeEvent, Handover
from peaceops.exchanges.services import ExchangeError, reconcile
from peaceops.exchanges.services import events as services
from peaceops.exchanges.services.summary import agreed_pending, handovers_by

VIEW, CHANGE = "exchanges.view_cases", "exchanges.change_cases"


@require(VIEW)
def event_list(request):
    events = ExchangeEvent.objects.visible_to(request.user).select_related("place", "intermediary")
    as_of, state = date_param(request, "as_of"), request.GET.get("state", "")
    handovers = Handover.objects.none()
    if as_of and state == "exchanged":  # the sitrep's "persons exchanged to date": their events and handovers
        handovers = Handover.objects.filter(handovers_by(as_of), event__in=events)
        events = events.filter(pk__in=handovers.values("event"))
    elif as_of and state == "agreed":
        events = events.filter(agreed_pending(as_of))
    elif as_of or state:
        raise Http404
    return render(request, "exchanges/event_list.html", {
        "events": events, "as_of": as_of, "state": state,
        "persons_handed_over": handovers.count() if state == "exchanged" else None})


@require(VIEW, CHANGE, writer_only=True)
def event_new(request):
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        return redirect(event.get_absolute_url())
    return render(request, "exchanges/event_form.html", {"form": form})


@require(VIEW)
def event_detail(request, pk: int):
    event = get_visible_or_404(ExchangeEvent.objects.all(), request.user, pk=pk)
    handovers = list(event.handovers.select_related("person", "from_party", "to_party").prefetch_related(
        "person__names"))
    audit.record_list_read(request.user, Handover, [h.pk for h in handovers])
    return render(request, "exchanges/event_detail.html", {
        "event": event, "handovers": handovers, "handover_form": forms.HandoverForm(),
        "roster_form": forms.RosterForm(persons=reconcile.confirmed_persons().prefetch_related("names").exclude(
            handovers__event=event))})


@require(VIEW, CHANGE)
def event_action(request, pk: int, action: str):
    event = get_visible_or_404(ExchangeEvent.objects.all(), request.user, pk=pk)
    if request.method != "POST":
        raise Http404
    try:
        with versioning.expecting(event, versioning.posted_revision(request)):
            if action == "add":
                form = forms.RosterForm(request.POST, persons=reconcile.confirmed_persons())
                if not form.is_valid():
                    raise ExchangeError(_("Choose a person whose identity is confirmed, and both parties."))
                services.add_to_event(event, form.cleaned_data["person"], form.cleaned_data["from_party"],
                                      form.cleaned_data["to_party"])
            elif action == "handover":
                handover = forms.HandoverForm(request.POST)
                person = Person.objects.filter(pk=request.POST.get("person") or 0).first()
                if not handover.is_valid() or person is None:
                    raise ExchangeError(_("Give the person, the witness and the time of the handover."))
                services.record_handover(event, person, handover.cleaned_data["witnessed_by"],
                                         handover.cleaned_data["handed_at"])
            elif action == "complete":
                count = services.complete_event(event, request.user)
                messages.success(request, _("Exchange completed: %(count)s persons handed over.") % {"count": count})
            else:
                raise Http404
    except ExchangeError as exc:
        messages.error(request, str(exc))
    return redirect(event.get_absolute_url())
