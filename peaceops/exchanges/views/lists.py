"""Party lists, their import, reconciliation and the per-party report."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.core import audit

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise
from peaceops.core.models import Party
from peaceops.core.models.audit import AuditAction
from peaceops.core.permissions import get_visible_or_404, require
from peaceops.exchanges import forms
from peaceops.exchanges.models import MatchDecision, PartyList, PartyListEntry, Reconciliation
from peaceops.exchanges.services import ExchangeError, report
from peaceops.exchanges.services import reconcile as rec_services
from peaceops.exchanges.services.imports import ListImportError, import_party_list
from peaceops.search.services import LIST_ENTRY, search

VIEW, CHANGE = "exchanges.view_cases", "exchanges.change_cases"


@require(VIEW)
def list_list(request):
    lists = PartyList.objects.visible_to(request.user).select_related("party")
    recs = Reconciliation.objects.visible_to(request.user).select_related("left_list__party", "right_list__party")
    return render(request, "exchanges/list_list.html", {"lists": lists, "reconciliations": recs[:50]})


@require(VIEW, CHANGE, writer_only=True)
def list_import(request):
    form = forms.ListImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            party_list = import_party_list(upload.read(), upload.name, party=data["party"], kind=data["kind"],
                                           received_on=data["received_on"], received_via=data["received_via"],
                                           encoding=data["encoding"], title=data["title"], user=request.user)
        except ListImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(count)s entries imported.") % {"count": party_list.entries.count()})
            for warning in party_list.warnings[:20]:
                messages.warning(request, str(warning))
            if len(party_list.warnings) > 20:
                messages.warning(request, _("… and %(count)s more entries with a birth date read in part.") % {
                    "count": len(party_list.warnings) - 20})
            return redirect(party_list.get_absolute_url())
    return render(request, "exchanges/list_import.html", {"form": form, "errors": errors})


@require(VIEW, CHANGE)
def list_detail(request, pk: int):
    party_list = get_visible_or_404(PartyList.objects.select_related("party"), request.user, pk=pk)
    form = forms.ReconcileForm(request.POST or None, party_list=party_list, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            rec = rec_services.reconcile(party_list, form.cleaned_data["against"], user=request.user)
        except ExchangeError as exc:
            messages.error(request, str(exc))
        else:
            return redirect(rec.get_absolute_url())
    query = request.GET.get("q", "").strip()
    entries = list(search(party_list.entries.all(), LIST_ENTRY, query))
    audit.record_list_read(request.user, PartyListEntry, [e.pk for e in entries])
    return render(request, "exchanges/list_detail.html", {"party_list": party_list, "entries": entries,
                                                          "form": form, "query": query})


@require(VIEW)
def reconciliation_detail(request, pk: int):
    rec = get_visible_or_404(Reconciliation.objects.select_related("left_list", "right_list"), request.user, pk=pk)
    board = rec_services.board(rec)
    audit.record_list_read(request.user, PartyListEntry, [e.pk for e in board.entries], purpose="reconciliation")
    parties = [lst.party for lst in (rec.left_list, rec.right_list) if lst is not None]
    return render(request, "exchanges/reconciliation.html", {"rec": rec, "board": board, "parties": parties})


@require(VIEW, CHANGE)
def decide(request, pk: int, action: str):
    decision = get_visible_or_404(MatchDecision.objects.select_related("reconciliation"), request.user, pk=pk)
    if request.method != "POST" or action not in DECISIONS:
        raise Http404
    decide_with, done = DECISIONS[action]
    try:
        decide_with(decision, request.user, request.POST.get("note", ""))
    except ExchangeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(decision.reconciliation.get_absolute_url() + f"#entry-{decision.left_entry_id}")


DECISIONS: dict[str, tuple[Callable[..., object], StrPromise]] = {
    "confirm": (rec_services.confirm, gettext_lazy("Match confirmed.")),
    "reject": (rec_services.reject, gettext_lazy("Proposal rejected.")),
    "reopen": (rec_services.reopen, gettext_lazy("Decision reopened: the pair is a proposal again.")),
}


@require(VIEW)
def reconciliation_report(request, pk: int, party: str, fmt: str):
    rec = get_visible_or_404(Reconciliation.objects.select_related("left_list", "right_list"), request.user, pk=pk)
    party_obj = Party.objects.filter(code=party).first()
    if party_obj is None or fmt not in ("csv", "html"):
        raise Http404
    rows = report.party_rows(rec, party_obj)
    audit.append(AuditAction.EXPORT, Reconciliation._meta.label, rec.pk, str(rec)[:200],
                 {"party": party, "format": fmt, "rows": len(rows)}, actor=request.user.username)
    if fmt == "csv":
        response = HttpResponse(report.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="reconciliation-{rec.pk}-{party}.csv"'
        return response
    return render(request, "exchanges/report.html", {"rec": rec, "party": party_obj, "rows": rows,
                                                     "headers": report.headers(), "columns": report.COLUMNS})
