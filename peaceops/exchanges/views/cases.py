"""Case files (detention, missing, remains): every list and every read is written to the audit chain."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.core import audit, versioning
from peaceops.core.params import date_param, query_string
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.exchanges import forms
from peaceops.exchanges.models import MissingCase
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services import cases as services
from peaceops.exchanges.services.summary import case_states
from peaceops.search.services import PERSON, search

VIEW, CHANGE = "exchanges.view_cases", "exchanges.change_cases"

KINDS = forms.CASE_KINDS


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@require(VIEW)
def case_list(request, kind: str = "detention"):
    model, _form, title = _kind(kind)
    cases = model.objects.visible_to(request.user).select_related("person").prefetch_related("person__names")
    query = request.GET.get("q", "").strip()
    if query:  # remains are also found by their reference (most are not identified yet)
        cases = search(cases, PERSON, query, field="person_id",
                       also=Q(reference__icontains=query) if kind == "remains" else None)
    as_of, state = date_param(request, "as_of"), request.GET.get("state", "")
    if as_of and state:  # where a sitrep figure links: the cases it counted on that day
        condition = case_states(as_of)[kind].get(state)
        if condition is None:
            raise Http404
        cases = cases.filter(condition)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    audit.record_list_read(request.user, model, [c.pk for c in page.object_list])
    return render(request, "exchanges/case_list.html", {
        "page": page, "kind": kind, "title": title, "query": query, "kinds": KINDS, "as_of": as_of,
        "state": state, "state_label": STATE_LABELS.get(state, ""),
        "filters": query_string(q=query, as_of=as_of, state=state)})


STATE_LABELS = {
    "recovered": gettext_lazy("recovered"), "received": gettext_lazy("received"),
    "identified": gettext_lazy("identified"), "dna_pending": gettext_lazy("awaiting DNA identification"),
    "handed_over": gettext_lazy("handed over to families"),
    "dna_week": gettext_lazy("identified by DNA in the seven days to this date"), "held": gettext_lazy("held"),
    "open": gettext_lazy("open"),
}


@require(VIEW)
def case_detail(request, kind: str, pk: int):
    model, _form, _title = _kind(kind)
    case = get_visible_or_404(model.objects.select_related("person"), request.user, pk=pk)
    audit.record_read(request.user, case)
    context = {"case": case, "kind": kind, "person": case.person,
               "can_identify": can(request.user, "exchanges.view_identification"),
               # the family page exists for a missing person (and for whom a tracing request was confirmed)
               "family_link": case.person_id is not None and (kind == "missing" or MissingCase.objects.filter(
                   person_id=case.person_id).exists())}
    if kind == "detention":
        context["visits"] = case.visits.select_related("visited_by")
        context["visit_form"] = forms.VisitForm()
    elif kind == "missing":
        context["resolve_form"] = forms.ResolveMissingForm()
    else:
        context["identify_form"] = forms.IdentifyForm()
        context["handover_form"] = forms.HandOverRemainsForm()
    return render(request, "exchanges/case_detail.html", context)


@require(VIEW, CHANGE, writer_only=True)
def case_new(request, kind: str):
    model, form_class, title = _kind(kind)
    form = form_class(request.POST or None)
    person_form = forms.PersonForm(request.POST or None, prefix="person") if kind != "remains" else None
    if request.method == "POST" and form.is_valid() and (person_form is None or person_form.is_valid()):
        try:
            with transaction.atomic():
                case = services.open_case(kind, form.cleaned_data, person_form.cleaned_data if person_form else None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case opened."))
            for warning in getattr(getattr(case, "person", None), "warnings", []):
                messages.warning(request, warning)
            return redirect(case.get_absolute_url())
    return render(request, "exchanges/case_form.html", {"form": form, "person_form": person_form, "kind": kind,
                                                        "title": title})


@require(VIEW, CHANGE)
def case_action(request, kind: str, pk: int, action: str):
    """Lifecycle steps posted from the detail page: visit, resolve, identify, hand over."""
    model, _form, _title = _kind(kind)
    case = get_visible_or_404(model.objects.all(), request.user, pk=pk)
    if request.method != "POST":
        return redirect(case.get_absolute_url())
    handlers = {
        ("detention", "visit"): (forms.VisitForm, lambda d: services.record_visit(
            case, d["visited_on"], d["findings"])),
        ("missing", "resolve"): (forms.ResolveMissingForm, lambda d: services.resolve_missing_case(
            case, d["status"], d["on"])),
        ("remains", "identify"): (forms.IdentifyForm, lambda d: services.identify_remains_as(
            case, {k: d[k] for k in ("name", "sex", "birth_date", "father_name", "birth_place")},
            d["status"], d["method"], d["on"])),
        ("remains", "handover"): (forms.HandOverRemainsForm, lambda d: services.hand_over_remains(
            case, d["to"], d["on"])),
    }
    if (kind, action) not in handlers:
        raise Http404
    form_class, handle = handlers[(kind, action)]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items()))
    else:
        try:
            with versioning.expecting(case, versioning.posted_revision(request)), transaction.atomic():
                handle(form.cleaned_data)
        except (ExchangeError, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Saved."))
    return redirect(case.get_absolute_url())
