"""Parties, organisations, sources and the grading of information items."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.core import services, versioning
from peaceops.core.forms import GradeForm, SourceReportForm
from peaceops.core.models import Organisation, Party, Source, SourceReport
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can


@require("core.view_reference")
def party_list(request):
    return render(request, "core/party_list.html", {
        "parties": Party.objects.visible_to(request.user),
        "organisations": Organisation.objects.visible_to(request.user).select_related("party"),
    })


@require("core.view_sources")
def source_list(request):
    sources = Source.objects.visible_to(request.user).select_related("party", "organisation")
    # Where the dashboard's "Items not yet graded" leads: the items themselves, oldest first, each to grade.
    to_grade = None
    if can(request.user, "core.grade_sources"):
        to_grade = (SourceReport.objects.visible_to(request.user).filter(graded_at__isnull=True)
                    .select_related("source").order_by("received_at")[:200])
    return render(request, "core/source_list.html", {"sources": sources, "to_grade": to_grade})


@require("core.view_sources", "core.report_information")
def source_detail(request, pk: int):
    source = get_visible_or_404(Source.objects, request.user, pk=pk)
    form = SourceReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_information(source, **form.cleaned_data, user=request.user)
        messages.success(request, _("Information recorded; an analyst will grade it."))
        return redirect("core:source_detail", pk=source.pk)
    return render(request, "core/source_detail.html", {
        "source": source, "form": form,
        "reports": SourceReport.objects.visible_to(request.user).filter(source=source).select_related("graded_by")[:200],
        "can_report": can(request.user, "core.report_information"),
        "can_grade": can(request.user, "core.grade_sources"),
    })


@require("core.view_sources", "core.grade_sources", writer_only=True)
def grade_report(request, pk: int):
    report = get_visible_or_404(SourceReport.objects.select_related("source"), request.user, pk=pk)
    initial = {"reliability": report.reliability, "credibility": report.credibility, "note": report.grading_note}
    form = GradeForm(request.POST or None, initial=initial, record=report)
    done = versioning.submit(request, form, report, lambda: services.grade(
        report, form.cleaned_data["reliability"], form.cleaned_data["credibility"], request.user,
        form.cleaned_data["note"]))
    if done.saved:
        messages.success(request, _("Graded %(grade)s.") % {"grade": report.grade})
        return redirect("core:source_detail", pk=report.source_id)
    return render(request, "core/grade_form.html", {"report": report, "form": form}, status=done.status)
