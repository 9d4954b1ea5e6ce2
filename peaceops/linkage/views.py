"""The matching quality page: how good past proposals were against the officers' decisions, the model in use
(and learning a new one from those decisions), and the matching jobs running in the background.

The page shows counts only, never a person; reading the decisions behind them is still recorded in the audit
chain, as any read of the case files is."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction
from peaceops.core.permissions import require
from peaceops.core.roles import can
from peaceops.linkage import config, jobs, learning, store
from peaceops.linkage import quality as figures
from peaceops.linkage.models import ModelVersion
from peaceops.linkage.sources import jobs as job_kinds
from peaceops.linkage.sources import sources


def _visible_sources(user):
    return [s for s in sources() if can(user, s.capability)]


def _job_context(request) -> dict:
    recent = list(jobs.visible_jobs(request.user)[:10])
    titles = {k: j.title for k, j in job_kinds().items()}
    for job in recent:
        job.title = titles.get(job.kind, job.kind)
    startable = [j for j in job_kinds().values() if can(request.user, j.capability)]
    return {"jobs": recent, "running": any(not j.finished for j in recent),
            "startable": [{"kind": j.kind, "title": j.title, "lists": j.lists() if j.lists else None}
                          for j in startable]}


@require("linkage.view_quality", "linkage.learn")
def quality(request):
    visible = _visible_sources(request.user)
    if not visible:
        raise Http404
    kinds = [figures.measure(s) for s in visible]
    audit.append(AuditAction.READ, "linkage.quality", "", "", {
        "purpose": "quality figures", "kinds": [k.kind for k in kinds], "proposals": sum(k.proposed for k in kinds)},
        actor=request.user.username)
    confirmed = sum(k.confirmed for k in kinds)
    return render(request, "linkage/quality.html", {
        "kinds": kinds, "version": store.active_version(),
        "versions": ModelVersion.objects.select_related("created_by")[:5],
        "can_learn": can(request.user, "linkage.learn"), "min_labels": settings.PEACEOPS_LINKAGE_MIN_LABELS,
        "confirmed": confirmed, "backend": config.backend(),
        "spark_master": config.spark_master() if config.backend() == "spark" else "",
        **_job_context(request)})


@require("linkage.view_quality", "linkage.learn")
@require_POST
def learn(request):
    try:
        version, learnt = learning.learn_and_activate(request.user)
    except learning.NotEnoughLabels as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Model version %(version)s is now in use by every matching job.") % {
            "version": version.pk} + " " + " ".join(learnt.notes[:1]))
    return redirect("linkage:quality")


@require("linkage.view_quality", "linkage.learn")
@require_POST
def use_shipped(request):
    store.use_shipped(request.user)
    messages.success(request, _("The shipped model is in use again; the learnt versions are kept."))
    return redirect("linkage:quality")


@require("linkage.view_quality")
@require_POST
def job_start(request):
    kind = request.POST.get("kind", "")
    arguments: dict = {}
    job_kind = job_kinds().get(kind)
    if job_kind is None:
        raise Http404
    if job_kind.lists is not None:
        allowed = {pk for pk, _label in job_kind.lists()}
        try:
            left = int(request.POST.get("left_list") or 0)
            right = int(request.POST.get("right_list") or 0) or None
        except ValueError:
            left, right = 0, None
        if left not in allowed or (right is not None and right not in allowed):
            messages.error(request, _("Choose a list to reconcile."))
            return redirect("linkage:quality")
        arguments = {"left_list": left, "right_list": right}
    try:
        job = jobs.start(kind, request.user, arguments)  # PermissionDenied (403) when the kind is not theirs
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("Job %(id)s queued; its progress shows below.") % {"id": job.pk})
    return redirect("linkage:quality")


@require("linkage.view_quality")
def job_status(request):
    """Polled while a job runs: the jobs table alone."""
    return render(request, "linkage/_jobs.html", _job_context(request))
