"""Identification of the dead: ante-mortem and post-mortem files, recovery sites, DNA match reports, the AM/PM
comparison and the family page. Exchange officers only; every page is written to the audit chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core import audit
from peaceops.core.attachments import open_attachment
from peaceops.core.models import Attachment, Person
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.uploads import RASTER_TYPES
from peaceops.exchanges import identification_forms as forms
from peaceops.exchanges.models import (
    AmPmCandidate,
    AnteMortem,
    DecisionStatus,
    DnaMatch,
    MissingCase,
    PostMortem,
    RecoverySite,
    RemainsCase,
    SampleKind,
)
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services import identification as services

VIEW, CHANGE = "exchanges.view_identification", "exchanges.change_cases"


def _errors(form) -> str:
    return "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())


def _run(request, fn) -> bool:
    try:
        with transaction.atomic():
            fn()
    except (ExchangeError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        return False
    messages.success(request, _("Saved."))
    return True


@require(VIEW)
def home(request):
    """The identification desk: DNA reports awaiting a decision, the ranked AM/PM pairs, recovery sites."""
    status = request.GET.get("status", DecisionStatus.PROPOSED)
    if status not in DecisionStatus.values:
        status = DecisionStatus.PROPOSED
    matches = list(DnaMatch.objects.visible_to(request.user).filter(status=status).select_related(
        "reference_sample__donor", "reference_sample__missing_case", "remains_sample__remains_case")[:200])
    candidates = list(AmPmCandidate.objects.visible_to(request.user).filter(status=status).select_related(
        "missing_case", "remains_case")[:200])
    sites = list(RecoverySite.objects.visible_to(request.user).annotate(found=Count("post_mortems"))[:200])
    audit.record_list_read(request.user, DnaMatch, [m.pk for m in matches])
    audit.record_list_read(request.user, AmPmCandidate, [c.pk for c in candidates])
    return render(request, "exchanges/identification/home.html", {
        "matches": matches, "candidates": candidates, "sites": sites, "status": status,
        "statuses": DecisionStatus.choices, "note_form": forms.DecisionNoteForm(),
        "min_lr": services.MIN_CONFIRM_LR})


@require(VIEW, CHANGE, writer_only=True)
def lab_import(request):
    form = forms.LabImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.import_lab_results(form.cleaned_data["file"].read(), request.user,
                                             laboratory=form.cleaned_data["laboratory"].strip())
        messages.success(request, _("%(saved)s reports imported, %(skipped)s already known, %(bad)s rows refused.")
                         % {"saved": len(result.saved), "skipped": result.skipped, "bad": len(result.errors)})
    return render(request, "exchanges/identification/lab_import.html", {"form": form, "result": result})


@require(VIEW, CHANGE)
def compare(request):
    if request.method != "POST":
        return redirect("exchanges:identification")
    found = services.compare_all(request.user)
    messages.success(request, _("%(count)s new candidate pairs.") % {"count": found})
    return redirect("exchanges:identification")


DNA_ACTIONS: dict[str, Callable[..., Any]] = {"confirm": services.confirm_dna_match, "reject": services.reject_dna_match,
               "reopen": services.reopen_dna_match}


@require(VIEW, CHANGE)
def dna_decide(request, pk: int, action: str):
    match = get_visible_or_404(DnaMatch.objects.all(), request.user, pk=pk)
    if action not in DNA_ACTIONS:
        raise Http404
    if request.method == "POST":
        form = forms.DecisionNoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        _run(request, lambda: DNA_ACTIONS[action](match, request.user, note))
    return redirect(_safe_next(request, reverse("exchanges:identification")))


@require(VIEW, CHANGE)
def ampm_decide(request, pk: int, action: str):
    candidate = get_visible_or_404(AmPmCandidate.objects.all(), request.user, pk=pk)
    handlers = {
        "confirm": lambda note: services.decide_candidate(candidate, DecisionStatus.CONFIRMED, request.user, note),
        "reject": lambda note: services.decide_candidate(candidate, DecisionStatus.REJECTED, request.user, note),
        "reopen": lambda note: services.reopen_candidate(candidate, request.user, note),
    }
    if action not in handlers:
        raise Http404
    if request.method == "POST":
        form = forms.DecisionNoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        _run(request, lambda: handlers[action](note))
    return redirect(_safe_next(request, reverse("exchanges:identification")))


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/exchanges/") else default


@require(VIEW)
def missing_file(request, pk: int):
    """A missing person's ante-mortem file: the family contacts, the ante-mortem data, the reference samples."""
    case = get_visible_or_404(MissingCase.objects.select_related("person"), request.user, pk=pk)
    audit.record_read(request.user, case, purpose="ante-mortem")
    am = AnteMortem.objects.filter(missing_case=case).first()
    if am is not None:
        audit.record_read(request.user, am)
    contacts = list(case.family.all())
    samples = list(case.reference_samples.select_related("donor"))
    candidates = list(AmPmCandidate.objects.filter(missing_case=case).select_related("remains_case"))
    matches = list(DnaMatch.objects.filter(reference_sample__missing_case=case).select_related(
        "reference_sample", "remains_sample__remains_case"))
    return render(request, "exchanges/identification/missing.html", {
        "case": case, "am": am, "contacts": contacts, "samples": samples, "candidates": candidates,
        "matches": matches, "am_form": forms.AnteMortemForm(instance=am, case=case),
        "contact_form": forms.FamilyContactForm(), "sample_form": forms.ReferenceSampleForm(case=case),
        "photo_form": forms.PhotographForm(), "note_form": forms.DecisionNoteForm()})


@require(VIEW, CHANGE)
def missing_action(request, pk: int, action: str):
    case = get_visible_or_404(MissingCase.objects.all(), request.user, pk=pk)
    back = redirect("exchanges:missing_file", pk=case.pk)
    if request.method != "POST":
        return back
    am = AnteMortem.objects.filter(missing_case=case).first()
    return _file_post(request, back, action, {
        "contact": lambda: (forms.FamilyContactForm(request.POST),
                            lambda d: services.add_family_contact(case, **d)),
        "ante-mortem": lambda: (forms.AnteMortemForm(request.POST, instance=am, case=case),
                                lambda d: services.save_ante_mortem(case, **d)),
        "sample": lambda: (forms.ReferenceSampleForm(request.POST, case=case),
                           lambda d: services.register_sample(kind=SampleKind.REFERENCE, missing_case=case, **d)),
    }, photographed=am)


def _file_post(request, back, action: str, steps: dict, photographed):
    """A POST to an identification file: `steps[action]()` gives the form and the service it feeds ("photo"
    adds a photograph to `photographed`, the file's ante- or post-mortem record, once there is one). An unknown
    action is a 404; a form's errors are shown; else the service runs in a transaction."""
    if action == "photo" and photographed is not None:
        form = forms.PhotographForm(request.POST, request.FILES)
        handle = lambda d: services.add_photograph(photographed, d["photograph"], d["photograph"].name,  # noqa: E731
                                                   request.user)
    elif action in steps:
        form, handle = steps[action]()
    else:
        raise Http404
    if not form.is_valid():
        messages.error(request, _errors(form))
    else:
        _run(request, lambda: handle(form.cleaned_data))
    return back


@require(VIEW)
def remains_file(request, pk: int):
    """A remains case's post-mortem file: recovery, examination, samples, DNA reports and AM/PM candidates."""
    case = get_visible_or_404(RemainsCase.objects.select_related("person"), request.user, pk=pk)
    audit.record_read(request.user, case, purpose="post-mortem")
    pm = PostMortem.objects.filter(remains_case=case).select_related("recovery_site").first()
    if pm is not None:
        audit.record_read(request.user, pm)
    samples = list(case.samples.all())
    matches = list(DnaMatch.objects.filter(remains_sample__remains_case=case).select_related(
        "reference_sample__donor", "reference_sample__missing_case"))
    candidates = list(AmPmCandidate.objects.filter(remains_case=case).select_related("missing_case"))
    return render(request, "exchanges/identification/remains.html", {
        "case": case, "pm": pm, "samples": samples, "matches": matches, "candidates": candidates,
        "pm_form": forms.PostMortemForm(instance=pm), "sample_form": forms.RemainsSampleForm(case=case),
        "photo_form": forms.PhotographForm(), "note_form": forms.DecisionNoteForm(),
        "min_lr": services.MIN_CONFIRM_LR})


@require(VIEW, CHANGE)
def remains_action(request, pk: int, action: str):
    case = get_visible_or_404(RemainsCase.objects.all(), request.user, pk=pk)
    back = redirect("exchanges:remains_file", pk=case.pk)
    if request.method != "POST":
        return back
    pm = PostMortem.objects.filter(remains_case=case).first()
    return _file_post(request, back, action, {
        "post-mortem": lambda: (forms.PostMortemForm(request.POST, instance=pm),
                                lambda d: services.save_post_mortem(case, **d)),
        "sample": lambda: (forms.RemainsSampleForm(request.POST, case=case),
                           lambda d: services.register_sample(kind=SampleKind.REMAINS, remains_case=case, **d)),
    }, photographed=pm)


@require(VIEW)
def photograph(request, pk: int):
    """A photograph of an ante- or post-mortem file, to exchange officers only; images only, never rendered
    otherwise."""
    linked = (AnteMortem.objects.visible_to(request.user).filter(photographs=pk).exists()
              or PostMortem.objects.visible_to(request.user).filter(photographs=pk).exists())
    if not linked:
        raise Http404
    attachment = Attachment.objects.get(pk=pk)
    audit.record_read(request.user, attachment)
    inline = attachment.content_type in RASTER_TYPES
    response = HttpResponse(open_attachment(attachment),
                            content_type=attachment.content_type if inline else "application/octet-stream")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="photo-{attachment.pk}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require(VIEW)
def site_list(request):
    sites = list(RecoverySite.objects.visible_to(request.user).select_related("place").annotate(
        found=Count("post_mortems")))
    audit.record_list_read(request.user, RecoverySite, [s.pk for s in sites])
    return render(request, "exchanges/identification/site_list.html", {"sites": sites})


@require(VIEW, CHANGE, writer_only=True)
def site_new(request):
    form = forms.RecoverySiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.record_recovery_site(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Recovery site recorded."))
            return redirect(site.get_absolute_url())
    return render(request, "exchanges/identification/site_form.html", {"form": form})


@require(VIEW)
def site_detail(request, pk: int):
    site = get_visible_or_404(RecoverySite.objects.select_related("place"), request.user, pk=pk)
    audit.record_read(request.user, site)
    found = list(site.post_mortems.select_related("remains_case"))
    return render(request, "exchanges/identification/site_detail.html", {"site": site, "found": found})


@require(VIEW)
def family(request, pk: int):
    """Everything about a missing person's family, one click from each case and tracing request."""
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    if not MissingCase.objects.filter(person=person).exists() and not \
            services.family_of(person).tracing_requests:
        raise Http404
    audit.record_read(request.user, person, purpose="family")
    found = services.family_of(person)
    return render(request, "exchanges/identification/family.html", {"family": found, "person": person})

