"""Pages: the claims list with its filters, a document with its claims' sentences highlighted, adding a
report (pasted or uploaded), correcting or rejecting a claim, and running the cross-check again."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceops.core.attachments import open_attachment
from peaceops.core.models import Source
from peaceops.core.params import date_param, query_string
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.core.text import record_number
from peaceops.sources.forms import CorrectionForm, IngestForm, RejectionForm
from peaceops.sources.models import Claim, Document, Kind, Review, Verdict
from peaceops.sources.reading import UnreadableReport
from peaceops.sources.services import check, highlight, ingest, review


def _filtered(request, claims):
    params = request.GET
    if params.get("kind") in Kind.values:
        claims = claims.filter(kind=params["kind"])
    if params.get("verdict") in Verdict.values:
        claims = claims.filter(verdict=params["verdict"])
    if params.get("review") in Review.values:
        claims = claims.filter(review=params["review"])
    elif params.get("review") != "all":
        claims = claims.standing()
    if record_number(params.get("source")) is not None:
        claims = claims.filter(document__report__source_id=int(params["source"]))
    if params.get("contradicted"):
        claims = claims.filter(contradicts__isnull=False).distinct()
    first, last = date_param(request, "from"), date_param(request, "to")
    if first:
        claims = claims.filter(as_of__gte=first)
    if last:
        claims = claims.filter(as_of__lte=last)
    return claims


@require("sources.view")
def claim_list(request):
    claims = _filtered(request, Claim.objects.visible_to(request.user)).select_related(
        "document__report__source", "place", "party").prefetch_related("contradicts")
    page = Paginator(claims.order_by("-as_of", "document_id", "start", "id"), 50).get_page(request.GET.get("page"))
    params = request.GET
    sources = Source.objects.filter(reports__document__isnull=False).distinct().order_by("name")
    return render(request, "sources/claim_list.html", {
        "page": page, "params": params, "kinds": Kind.choices, "verdicts": Verdict.choices,
        "reviews": Review.choices, "sources": sources,
        "query": query_string(**{k: params.get(k, "") for k in ("kind", "verdict", "review", "source",
                                                                "contradicted", "from", "to")}),
        "can_ingest": can(request.user, "sources.ingest"), "can_review": can(request.user, "sources.review"),
    })


@require("sources.view")
def document_list(request):
    documents = Document.objects.visible_to(request.user).select_related("report__source")
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "sources/document_list.html", {"page": page,
                                                          "can_ingest": can(request.user, "sources.ingest")})


def _lead_link(claim: Claim) -> str:
    """Open an incident from a claim the monitors never recorded, its place and words filled in."""
    summary = f"{claim.document.report.source.name}: {claim.sentence}"[:500]
    query = {"source_summary": summary}
    if claim.place:
        query["place_name"] = claim.place.name
    return reverse("ceasefire:incident_new") + "?" + urlencode(query)


@require("sources.view", "sources.review")
def document_detail(request, pk: int):
    document = get_visible_or_404(Document.objects.select_related("report__source", "attachment"), request.user,
                                  pk=pk)
    claims = list(document.claims.select_related("place", "party", "reviewed_by").prefetch_related(
        "contradicts__document__report__source").order_by("start", "id"))
    can_review = can(request.user, "sources.review")
    can_file = can(request.user, "ceasefire.file")
    for claim in claims:
        claim.lead_url = _lead_link(claim) if (can_file and claim.verdict == Verdict.UNVERIFIABLE
                                               and claim.registered is not None) else ""
        claim.form = CorrectionForm(instance=claim, prefix=f"c{claim.pk}") if can_review else None
    return render(request, "sources/document_detail.html", {
        "document": document, "claims": claims, "segments": highlight.segments(document.text, claims),
        "selected": request.GET.get("claim", ""), "can_review": can_review,
        "rejection": RejectionForm() if can_review else None,
    })


@require("sources.view")
def document_original(request, pk: int):
    document = get_visible_or_404(Document.objects.select_related("attachment"), request.user, pk=pk)
    data = open_attachment(document.attachment)
    # Served as text, never rendered: a saved page must not run in our origin.
    response = HttpResponse(data, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.attachment.filename}"'
    return response


@require("sources.view", "sources.ingest", writer_only=True)
def document_new(request):
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload:
            data, name, pasted = upload.read(), upload.name, False
        else:
            data, name, pasted = form.cleaned_data["text"].encode("utf-8"), "pasted.txt", True
        try:
            done = ingest.ingest(data, name, request.user, grade=form.cleaned_data.get("grade") or None,
                                 published=form.cleaned_data.get("published"),
                                 outlet=form.cleaned_data.get("outlet", ""), pasted=pasted)
        except UnreadableReport as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error("grade" if "grade" in str(exc).lower() or "Admiralty" in str(exc) else None,
                           exc.messages)
        else:
            if done.created:
                messages.success(request, _("Report stored with %(n)d claims.") % {"n": done.document.claims.count()})
            else:
                messages.info(request, _("This report was already stored; nothing changed."))
            return redirect("sources:document_detail", done.document.pk)
    return render(request, "sources/document_form.html", {"form": form})


@require("sources.view", "sources.review")
@require_POST
def claim_review(request, pk: int):
    claim = get_visible_or_404(Claim.objects.select_related("document"), request.user, pk=pk)
    action = request.POST.get("action")
    url = reverse("sources:document_detail", args=[claim.document_id]) + f"?claim={claim.pk}#claim-{claim.pk}"
    try:
        if action == "reject":
            form = RejectionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say why the claim is rejected."))
            review.reject(claim, request.user, form.cleaned_data["note"])
            messages.success(request, _("Claim rejected; what was extracted is kept."))
        elif action == "restore":
            review.restore(claim, request.user)
            messages.success(request, _("Claim restored."))
        else:
            correction = CorrectionForm(request.POST, instance=claim, prefix=f"c{claim.pk}")
            if not correction.is_valid():
                raise ValidationError([f"{correction.fields[f].label if f in correction.fields else ''}: "
                                       f"{' '.join(str(m) for m in e)}" for f, e in correction.errors.items()])
            changes = {name: correction.cleaned_data[name] for name in review.EDITABLE}
            review.correct(claim, request.user, changes, correction.cleaned_data.get("note", ""))
            messages.success(request, _("Claim corrected and checked again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(url)


@require("sources.view", "sources.review")
@require_POST
def recheck(request):
    outcomes = check.run()
    messages.success(request, _("%(n)d claims checked against the registry.") % {"n": len(outcomes)})
    return redirect(request.POST.get("next") or reverse("sources:claim_list"))
