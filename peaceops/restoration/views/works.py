"""Works (3W): list with filters, detail with lifecycle actions, form, import and HXL export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peaceops.core import versioning
from peaceops.core.params import choice_param, date_param, query_string
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.core.roles import can
from peaceops.restoration import imports
from peaceops.restoration.forms import ImportForm, WorkActionForm, WorkForm
from peaceops.restoration.models import Facility, Work, WorkStatus
from peaceops.restoration.services import hxl, works
from peaceops.restoration.views import as_of_date, form_errors


@require("restoration.view")
def work_list(request):
    qs = Work.objects.visible_to(request.user).select_related("organisation", "facility__place")
    state = choice_param(request, "status", WorkStatus)
    if state:
        qs = qs.filter(status=state)
    as_of, as_of_state = date_param(request, "as_of"), request.GET.get("state", "")
    if as_of and as_of_state:  # where the sitrep's works figures link: under way or completed on that day
        condition = works.states_as_of(as_of).get(as_of_state)
        if condition is None:
            raise Http404
        qs = qs.filter(condition)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    filters = query_string(status=state, as_of=as_of, state=as_of_state)
    return render(request, "restoration/work_list.html", {
        "page": page, "status": state, "statuses": WorkStatus.choices, "as_of": as_of, "as_of_state": as_of_state,
        "filters": filters, "can_edit": can(request.user, "restoration.edit")})


@require("restoration.view", "restoration.edit")
def work_detail(request, pk: int):
    work = get_visible_or_404(Work.objects.select_related("organisation", "facility"), request.user, pk=pk)
    form = WorkActionForm(request.POST or None, record=work)
    done = versioning.submit(request, form, work, lambda: works.take_step(
        work, form.cleaned_data["action"], day=form.cleaned_data["date"], percent=form.cleaned_data["percent"]),
        errors=form_errors, refresh=True)
    if done.saved:
        messages.success(request, _("Work updated: %(status)s.") % {"status": work.get_status_display()})
        return redirect("restoration:work_detail", pk=work.pk)
    return render(request, "restoration/work_detail.html", {
        "work": work, "form": form, "can_edit": can(request.user, "restoration.edit"),
        "actions": [(v, label) for v, label in WorkActionForm.ACTIONS if v in works.steps_open(work)]},
        status=done.status)


@require("restoration.view", "restoration.edit", writer_only=True)
def work_edit(request, pk: int | None = None):
    work = get_visible_or_404(Work.objects, request.user, pk=pk) if pk else None
    initial = {"facility": request.GET.get("facility")} if not work else None
    form = WorkForm(request.POST or None, instance=work, initial=initial)
    done = versioning.submit(request, form, work, lambda: works.save_work(form.save(commit=False)),
                             errors=form_errors)
    if done.saved:
        messages.success(request, _("Work saved."))
        return redirect("restoration:work_detail", pk=done.value.pk)
    title = str(work) if work else _("New work")
    return render(request, "restoration/form.html", {"form": form, "title": title}, status=done.status)


@require("restoration.view", "restoration.edit", writer_only=True)
def work_import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = imports.import_file(upload.read(), upload.name, request.user)
        if batch.file_error:
            form.add_error("file", batch.file_error)
        elif batch.rows_quarantined:
            # Good rows are kept; the others wait in the intake quarantine to be corrected and resubmitted.
            return redirect("intake:batch", pk=batch.pk)
        else:
            messages.success(request, _("%(saved)s works imported, %(skipped)s unchanged.")
                             % {"saved": batch.rows_saved, "skipped": batch.rows_skipped})
            return redirect("restoration:work_list")
    return render(request, "restoration/work_import.html", {"form": form})


@require("restoration.view")
def export_hxl(request, what: str):
    if what == "works":
        text = hxl.works_csv(Work.objects.visible_to(request.user))
        name = "works-3w.hxl.csv"
    elif what == "status":
        day = as_of_date(request)
        text = hxl.status_csv(day, Facility.objects.visible_to(request.user))
        name = f"service-status-{day.isoformat()}.hxl.csv"
    else:
        raise Http404
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
