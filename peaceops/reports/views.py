"""Sitrep pages, downloads, the approval buttons, the dashboard curves and the public pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceops.core import mission, versioning
from peaceops.core.operation import operation_now
from peaceops.core.params import check_span, date_param
from peaceops.core.permissions import require
from peaceops.core.roles import can
from peaceops.reports import charts, exports, services
from peaceops.reports import content as sitrep_content
from peaceops.reports import render as renderer
from peaceops.reports.models import Classification, Sitrep


def default_day() -> dt.date:
    """The newest day with a stored report, else the newest day with records (never later than yesterday: today's
    period has not closed yet)."""
    newest = Sitrep.objects.order_by("-day").values_list("day", flat=True).first()
    if newest:
        return newest
    yesterday = operation_now().date() - dt.timedelta(days=1)
    return min(sitrep_content.latest_activity_day() or yesterday, yesterday)


def _chosen_version(request, day: dt.date, public: bool) -> Sitrep | None:
    versions = Sitrep.objects.filter(day=day)
    versions = versions.published() if public else versions.visible_to(request.user)
    number = request.GET.get("version")
    if number:
        if not (number.isascii() and number.isdigit()):
            raise Http404
        return get_object_or_404(versions, version=int(number))
    return versions.order_by("-version").first()


def _download(context: dict, fmt: str, day: dt.date, suffix: str = "") -> HttpResponse:
    body = renderer.render(fmt, context)
    response = HttpResponse(body, content_type=renderer.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="sitrep-{day.isoformat()}{suffix}.{fmt}"'
    return response


@require("reports.view_sitrep")
def index(request):
    if request.GET.get("date"):
        return redirect("reports:sitrep", day=date_param(request, "date", default_day()))
    recent = Sitrep.objects.visible_to(request.user).select_related("approved_by", "published_by")[:40]
    return render(request, "reports/index.html", {"recent": recent, "default_day": default_day()})


def _narrative_forms(request, sitrep: Sitrep | None, doc: dict) -> list[dict]:
    """The narrative box of each section the user may write, in a draft."""
    if sitrep is None or sitrep.status != "draft":
        return []
    forms = []
    for section in doc.get("sections", []):
        if not services.may_write_narrative(request.user, section["key"]):
            continue
        narrative = section.get("narrative") or {}
        forms.append({"key": section["key"], "text": narrative.get("text", ""), "based_on": narrative.get("at", ""),
                      "max_chars": services.NARRATIVE_MAX_CHARS,
                      "history": services.narrative_history(sitrep, section["key"])})
    return forms


@require("reports.view_sitrep")
def sitrep_page(request, day: dt.date):
    sitrep = _chosen_version(request, day, public=False)
    doc = services.content_of(sitrep, day)
    context = renderer.document_context(doc, sitrep, public=False)
    has_published = Sitrep.objects.published().filter(day=day).exists()
    is_coordinator = can(request.user, "reports.approve")
    drafted_by_me = sitrep is not None and request.user.pk in services.drafters(sitrep)
    context.update({
        "versions": Sitrep.objects.visible_to(request.user).filter(day=day).order_by("-version"),
        "can_approve": is_coordinator,
        "can_publish": can(request.user, "reports.publish"),
        # Four eyes: whoever drafted the version is not offered its approval or publication.
        "drafted_by_me": drafted_by_me,
        "may_sign": sitrep is not None and not drafted_by_me and is_coordinator,
        "narrative_forms": _narrative_forms(request, sitrep, doc),
        "classifications": Classification.choices,
        "open_draft_needed": sitrep is None or (sitrep.is_published and not Sitrep.objects.filter(
            day=day).exclude(status="published").exists()),
        "is_correction": has_published,
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
    })
    return render(request, "reports/sitrep_page.html", context)


@require("reports.view_sitrep")
def sitrep_download(request, day: dt.date, fmt: str):
    if fmt not in renderer.FORMATS:
        raise Http404
    sitrep = _chosen_version(request, day, public=False)
    context = renderer.document_context(services.content_of(sitrep, day), sitrep, public=False,
                                        charts_wanted=fmt != "md")
    return _download(context, fmt, day, f"-v{sitrep.version}" if sitrep else "-preview")


def _act(request, action, sitrep, **kwargs):
    try:
        with versioning.expecting(sitrep, versioning.posted_revision(request)):
            return action(sitrep, request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:  # four eyes: the drafter is told why, on the report
        messages.error(request, str(exc) or _("You may not do this."))
    return None


@require("reports.view_sitrep", "reports.approve")
@require_POST
def start_draft(request, day: dt.date):
    try:
        services.start_draft(day, request.user, request.POST.get("note", ""),
                             classification=request.POST.get("classification") or None,
                             distribution=request.POST.get("distribution"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("reports:sitrep", day=day)


@require("reports.view_sitrep", "reports.approve")
@require_POST
def set_marking(request, pk: int):
    sitrep = get_object_or_404(Sitrep.objects.visible_to(request.user), pk=pk)
    if _act(request, services.set_marking, sitrep, classification=request.POST.get("classification", ""),
            distribution=request.POST.get("distribution", "")):
        messages.success(request, _("Classification and distribution saved."))
    return redirect(f"{reverse('reports:sitrep', kwargs={'day': sitrep.day})}?version={sitrep.version}")


@require("reports.view_sitrep", "reports.narrate")
@require_POST
def narrative(request, pk: int, section: str):
    """Save a section's narrative in a draft. Which sections a role writes is the service's rule
    (reports.write_narrative.<section>): another section's is a 403."""
    sitrep = get_object_or_404(Sitrep.objects.visible_to(request.user), pk=pk)
    try:
        services.write_narrative(sitrep, section, request.POST.get("text", ""), request.user,
                                 based_on=request.POST.get("based_on"))
        messages.success(request, _("Narrative saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{reverse('reports:sitrep', kwargs={'day': sitrep.day})}?version={sitrep.version}"
                    f"#sitrep-{section}")


@require("reports.view_sitrep", "reports.approve")
@require_POST
def approve(request, pk: int):
    sitrep = get_object_or_404(Sitrep.objects.visible_to(request.user), pk=pk)
    if _act(request, services.approve, sitrep):
        messages.success(request, _("Version %(v)s approved; its content is now frozen.") % {"v": sitrep.version})
    return redirect("reports:sitrep", day=sitrep.day)


# Opening the confirmation page is already a step of publishing: only those who publish may see it.
@require("reports.view_sitrep", "reports.publish", writer_only=True)
def publish(request, pk: int):
    """GET: what the public will see, and a confirmation; POST with `confirm`: publish."""
    sitrep = get_object_or_404(Sitrep.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the confirmation to publish."))
            return redirect("reports:publish", pk=sitrep.pk)
        if _act(request, services.publish, sitrep, confirmed=True):
            messages.success(request, _("Version %(v)s published.") % {"v": sitrep.version})
            return redirect("reports:sitrep", day=sitrep.day)
        return redirect(f"{reverse('reports:sitrep', kwargs={'day': sitrep.day})}?version={sitrep.version}")
    if sitrep.status != "approved":
        messages.error(request, _("Only an approved sitrep can be published."))
        return redirect(f"{reverse('reports:sitrep', kwargs={'day': sitrep.day})}?version={sitrep.version}")
    if request.user.pk in services.drafters(sitrep):
        messages.error(request, _("Four eyes: you drafted this version (opened it or wrote a narrative in it), "
                                  "so another coordinator must approve and publish it."))
        return redirect(f"{reverse('reports:sitrep', kwargs={'day': sitrep.day})}?version={sitrep.version}")
    context = renderer.document_context(sitrep_content.public_view(sitrep.content), sitrep, public=True)
    context.update({"internal_marking": renderer.marking(sitrep.content, public=False),
                    "withheld": [s["title"] for s in sitrep.content["sections"] if not s.get("public", True)],
                    "digest": sitrep_content.digest(sitrep.content)})
    return render(request, "reports/publish_confirm.html", context)


@require("reports.view_dashboard")
def dashboard(request):
    last = date_param(request, "to", default_day())
    first = date_param(request, "from", max(mission.ceasefire_start(), last - dt.timedelta(days=60)))
    if first > last:
        first, last = last, first
    check_span(first, last)
    series = sitrep_content.build_series(first, last)
    rendered = [{"key": s.key, "title": s.title, "uri": charts.data_uri(charts.series_svg(s.title, s.unit, s.points)),
                 "last": renderer.number(s.points[-1][1]) if s.points else "—"} for s in series]
    return render(request, "reports/dashboard.html", {
        "series": rendered, "first": first, "last": last, "show_map": can(request.user, "core.view_map")})


# Public pages: no login; published versions only, through the public view of their content.

def public_index(request):
    return render(request, "reports/public_index.html", {"published": exports.latest_published_versions()[::-1]})


def public_sitrep(request, day: dt.date):
    sitrep = _chosen_version(request, day, public=True)
    if sitrep is None:
        raise Http404
    context = renderer.document_context(sitrep_content.public_view(sitrep.content), sitrep, public=True)
    context["versions"] = Sitrep.objects.published().filter(day=day).order_by("-version")
    return render(request, "reports/public_sitrep.html", context)


def public_download(request, day: dt.date, fmt: str):
    if fmt not in renderer.FORMATS:
        raise Http404
    sitrep = _chosen_version(request, day, public=True)
    if sitrep is None:
        raise Http404
    context = renderer.document_context(sitrep_content.public_view(sitrep.content), sitrep, public=True,
                                        charts_wanted=fmt != "md")
    return _download(context, fmt, day, f"-v{sitrep.version}")


def public_hxl(request):
    day = date_param(request, "date", None) if request.GET.get("date") else None
    text = exports.hxl_csv(exports.latest_published_versions(day))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="peaceops-sitreps.hxl.csv"'
    return response
