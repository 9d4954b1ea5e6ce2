"""Pages: the field forms to download (and how to point ODK Collect at PeaceOps), and the submissions received
with the review queue, where a reviewer corrects and accepts, or rejects, what could not become a record."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from peaceops.core import audit
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.fieldforms import browser, services
from peaceops.fieldforms.catalogue import forms
from peaceops.fieldforms.models import FieldSubmission, State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _submittable(user) -> dict:
    return {form_id: form for form_id, form in forms().items() if can(user, form.capability)}


@require("fieldforms.download")
def form_index(request):
    rows = [(form, form.built()) for form in _submittable(request.user).values()]
    return render(request, "fieldforms/forms.html", {
        "rows": rows, "offline": browser.offline_forms(request.user),
        "may_import": can(request.user, "fieldforms.import"), "server_url": request.build_absolute_uri("/openrosa").replace("http://", "https://", 1)})


def _form_for(request, form_id: str):
    form = _submittable(request.user).get(form_id)
    if form is None:
        raise Http404
    return form


@require("fieldforms.download")
def form_xlsx(request, form_id: str):
    built = _form_for(request, form_id).built()
    response = HttpResponse(built.xlsx_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{form_id}-{built.version}.xlsx"'
    return response


@require("fieldforms.download")
def form_xml(request, form_id: str):
    built = _form_for(request, form_id).built()
    response = HttpResponse(built.xform, content_type="text/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{form_id}-{built.version}.xml"'
    return response


QUEUE_STATES = {"open": (State.REVIEW, State.CONFLICT), "accepted": (State.ACCEPTED,),
                "rejected": (State.REJECTED,), "all": tuple(State.values)}


@require("fieldforms.view_submissions")
def queue(request):
    shown = request.GET.get("state", "open")
    states = QUEUE_STATES.get(shown, QUEUE_STATES["open"])
    visible = FieldSubmission.objects.visible_to(request.user)
    submissions = visible.filter(state__in=states).select_related("submitted_by")
    if request.GET.get("form"):
        submissions = submissions.filter(form_id=request.GET["form"])
    page = Paginator(submissions, 50).get_page(request.GET.get("page"))
    sensitive = [s.pk for s in page if getattr(forms().get(s.form_id), "sensitive", False)]
    if sensitive:  # a tracing request names a family and the person they seek: who saw the list is recorded
        audit.record_list_read(request.user, FieldSubmission, sensitive)
    counts = {key: visible.filter(state__in=value).count() for key, value in QUEUE_STATES.items()}
    return render(request, "fieldforms/queue.html", {"page": page, "shown": shown, "counts": counts,
                                                     "forms": forms()})


def _may_decide(user, submission: FieldSubmission) -> bool:
    form = forms().get(submission.form_id)
    if form is not None:
        return can(user, form.review_capability)
    return any(can(user, f.review_capability) for f in forms().values())  # an unknown form: any reviewer


@require("fieldforms.view_submissions")
def submission_detail(request, pk: int):
    submission = get_visible_or_404(FieldSubmission.objects.select_related("submitted_by", "decided_by"),
                                    request.user, pk=pk)
    may_decide = _may_decide(request.user, submission)
    if getattr(forms().get(submission.form_id), "sensitive", False):
        audit.record_read(request.user, submission)
    error = ""
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.accept(submission, request.user, request.POST.get("xml", submission.instance_xml))
                messages.success(request, _("Accepted: the record is made."))
            elif action == "reject":
                services.reject(submission, request.user, request.POST.get("reason", ""))
                messages.success(request, _("Rejected; the submission is kept with your reason."))
            else:
                raise Http404
        except ValidationError as exc:
            error = " ".join(exc.messages)
            submission.refresh_from_db()
        else:
            return redirect(reverse("fieldforms:queue"))
    siblings = FieldSubmission.objects.visible_to(request.user).filter(instance_id=submission.instance_id) \
        .exclude(pk=submission.pk)
    return render(request, "fieldforms/submission.html", {
        "submission": submission, "may_decide": may_decide and submission.state in (State.REVIEW, State.CONFLICT),
        "error": error, "siblings": siblings, "deliveries": submission.deliveries.all(),
        "attachments": submission.attachments.all(),
        "posted_xml": request.POST.get("xml") or _one_field_a_line(submission.instance_xml)})


def _one_field_a_line(xml: str) -> str:
    """The instance indented, one field a line, for a reviewer to correct; unreadable XML stays as it came."""
    from lxml import etree

    from peaceops.fieldforms.instances import _PARSER

    try:
        return etree.tostring(etree.fromstring(xml.encode(), _PARSER), pretty_print=True, encoding="unicode")
    except (etree.XMLSyntaxError, ValueError):
        return xml


# --- offline entry in the browser (browser.py) ------------------------------------------------------------------

@require("fieldforms.download")
def offline_form(request, form_id: str):
    """A field form as a page that works with the network off: filled entries wait in this browser, under their
    own instance ids, until the link returns (static/fieldforms/offline.js; the service worker keeps the page)."""
    from django.utils.translation import get_language

    form = browser.offline_forms(request.user).get(form_id)
    if form is None:
        raise Http404
    sections, skipped = browser.page_sections(form, get_language() or "en")
    response = render(request, "fieldforms/offline.html", {
        "form": form, "built": form.built(), "sections": sections, "skipped": skipped,
        "others": browser.offline_forms(request.user)})
    response["Cache-Control"] = "private, no-cache"
    return response


@require("fieldforms.download", "fieldforms.download")
def offline_send(request, form_id: str):
    """One entry the offline page kept, sent when the link returned: JSON in, JSON out, the status as OpenRosa
    would answer it (201 made, 202 kept for review, 409 conflict, 403 not your form)."""
    import json

    from django.http import JsonResponse

    if request.method != "POST":
        return JsonResponse({"message": _("Send entries with POST.")}, status=405)
    if len(request.body) > browser.MAX_BODY:
        return JsonResponse({"message": _("The entry is too large.")}, status=413)
    try:
        outcome = browser.receive_entry(form_id, json.loads(request.body or b"null"), request.user)
    except (ValueError, browser.BadEntry) as exc:
        message = str(exc) if isinstance(exc, browser.BadEntry) else _("The entry is not JSON.")
        return JsonResponse({"message": message}, status=400)
    submission = outcome.submission
    return JsonResponse({
        "message": outcome.message,
        "state": submission.state if submission else "",
        "record_url": submission.record_url if submission else "",
    }, status=outcome.status)


@require("fieldforms.download")
def offline_session(request):
    """What the page asks before sending: a fresh CSRF token (the cached page's may be old) and whose session this
    is (entries kept for one user are never sent under another's)."""
    from django.http import JsonResponse
    from django.middleware.csrf import get_token

    response = JsonResponse({"csrf": get_token(request), "user": request.user.pk})
    response["Cache-Control"] = "no-store"
    return response


@require("fieldforms.download")
def offline_worker(request):
    """The service worker, served from here so that its scope covers the offline pages."""
    response = render(request, "fieldforms/offline-sw.js", content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
