"""Works (3W) and their lifecycle: planned → ongoing ⇄ suspended → completed, or cancelled before completion.

A completed work changes what the facility delivers from its actual end date on (see status.py)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from peaceops.restoration.models import Work, WorkStatus

# Which status may follow which; anything else is refused with the reason.
TRANSITIONS: dict[str, set[str]] = {
    WorkStatus.PLANNED: {WorkStatus.ONGOING, WorkStatus.COMPLETED, WorkStatus.CANCELLED},
    WorkStatus.ONGOING: {WorkStatus.SUSPENDED, WorkStatus.COMPLETED, WorkStatus.CANCELLED},
    WorkStatus.SUSPENDED: {WorkStatus.ONGOING, WorkStatus.CANCELLED},
    WorkStatus.COMPLETED: set(),
    WorkStatus.CANCELLED: set(),
}


def validate_work(work: Work) -> None:
    """The rules a work must satisfy whatever way it arrives (form, API, import)."""
    errors: dict[str, list[str]] = {}
    if work.percent_complete is None or not 0 <= work.percent_complete <= 100:
        # xgettext:no-python-format
        errors.setdefault("percent_complete", []).append(_("% complete must be between 0 and 100."))
    if work.restores_to is None or not 0 <= work.restores_to <= 100:
        errors.setdefault("restores_to", []).append(_("Functionality when completed must be between 0 and 100."))
    if work.planned_start and work.planned_end and work.planned_end < work.planned_start:
        errors.setdefault("planned_end", []).append(_("The planned end is before the planned start."))
    if work.actual_start and work.actual_end and work.actual_end < work.actual_start:
        errors.setdefault("actual_end", []).append(_("The work cannot finish before it starts."))
    if work.status in (WorkStatus.ONGOING, WorkStatus.SUSPENDED, WorkStatus.COMPLETED) and not work.actual_start:
        errors.setdefault("actual_start", []).append(_("A work that has begun needs its actual start date."))
    if work.status == WorkStatus.COMPLETED:
        if not work.actual_end:
            errors.setdefault("actual_end", []).append(_("A completed work needs its actual end date."))
        if work.percent_complete != 100:
            # xgettext:no-python-format
            errors.setdefault("percent_complete", []).append(_("A completed work is 100% complete."))
    elif work.actual_end and work.status != WorkStatus.CANCELLED:
        errors.setdefault("actual_end", []).append(_("Only a completed or cancelled work has an actual end date."))
    if errors:
        raise ValidationError(errors)


def _refuse(before: str, after: str) -> None:
    raise ValidationError({"status": _("A work cannot go from %(old)s to %(new)s.")
                           % {"old": WorkStatus(before).label, "new": WorkStatus(after).label}})


def check_transition(before: str | None, after: str) -> None:
    """Refuse a change of status the lifecycle does not allow (pages, API and imports alike)."""
    if before and before != after and after not in TRANSITIONS[before]:
        _refuse(before, after)


@transaction.atomic
def save_work(work: Work) -> Work:
    """Create or edit a work; a change of status must be one the lifecycle allows."""
    if work.pk:
        check_transition(Work.objects.filter(pk=work.pk).values_list("status", flat=True).first(), work.status)
    validate_work(work)
    work.full_clean()
    work.save()
    return work


def _move(work: Work, status: str) -> None:
    if status not in TRANSITIONS[work.status]:  # a step always moves on: suspending a suspended work is refused
        _refuse(work.status, status)
    work.status = status


@transaction.atomic
def start_work(work: Work, day: dt.date) -> Work:
    _move(work, WorkStatus.ONGOING)
    work.actual_start = work.actual_start or day
    return save_work(work)


@transaction.atomic
def report_progress(work: Work, percent: int | None) -> Work:
    if work.status not in (WorkStatus.ONGOING, WorkStatus.PLANNED):
        raise ValidationError({"percent_complete": _("Progress is reported on planned or ongoing works only.")})
    if percent is None or not 0 <= percent <= 100:
        # xgettext:no-python-format
        raise ValidationError({"percent_complete": _("% complete must be between 0 and 100.")})
    if percent == 100:
        raise ValidationError({"percent_complete": _("Record the completion date to finish a work.")})
    work.percent_complete = percent
    return save_work(work)


@transaction.atomic
def suspend_work(work: Work) -> Work:
    _move(work, WorkStatus.SUSPENDED)
    return save_work(work)


@transaction.atomic
def resume_work(work: Work) -> Work:
    _move(work, WorkStatus.ONGOING)
    return save_work(work)


@transaction.atomic
def complete_work(work: Work, day: dt.date, restores_to: int | None = None) -> Work:
    _move(work, WorkStatus.COMPLETED)
    work.actual_start = work.actual_start or day
    work.actual_end = day
    work.percent_complete = 100
    if restores_to is not None:
        work.restores_to = restores_to
    return save_work(work)


@transaction.atomic
def cancel_work(work: Work) -> Work:
    _move(work, WorkStatus.CANCELLED)
    work.actual_end = None
    return save_work(work)


# The steps pages, the API and commands offer, each a status the lifecycle above moves to ("progress" keeps it).
STEP_TARGETS: dict[str, str | None] = {
    "start": WorkStatus.ONGOING, "progress": None, "suspend": WorkStatus.SUSPENDED, "resume": WorkStatus.ONGOING,
    "complete": WorkStatus.COMPLETED, "cancel": WorkStatus.CANCELLED,
}
PROGRESS_STATES = (WorkStatus.PLANNED, WorkStatus.ONGOING)
DATED_STEPS = ("start", "complete")


def steps_open(work: Work) -> set[str]:
    """The steps the lifecycle allows from the work's status: what its page offers."""
    allowed = TRANSITIONS[work.status]
    open_steps = {verb for verb, target in STEP_TARGETS.items() if target in allowed}
    # Both "start" and "resume" lead to ongoing: "start" begins a planned work, "resume" a suspended one.
    open_steps -= {"resume"} if work.status != WorkStatus.SUSPENDED else {"start"}
    if work.status in PROGRESS_STATES:
        open_steps.add("progress")
    return open_steps


def take_step(work: Work, verb: str, *, day: dt.date | None = None, percent: int | None = None) -> Work:
    """One lifecycle step by name, as the page, the API and commands post it."""
    if verb not in STEP_TARGETS:
        raise ValidationError({"action": _("Not a step of a work: %(verb)s.") % {"verb": verb}})
    if verb in DATED_STEPS:
        if day is None:
            raise ValidationError({"date": _("Give the date.")})
        return start_work(work, day) if verb == "start" else complete_work(work, day)
    steps = {"progress": lambda: report_progress(work, percent), "suspend": lambda: suspend_work(work),
             "resume": lambda: resume_work(work), "cancel": lambda: cancel_work(work)}
    return steps[verb]()


def states_as_of(day: dt.date) -> dict[str, Q]:
    """Works under way or completed on `day`, from their actual dates rather than today's status: the sitrep
    counts these and its links list them."""
    kept = ~Q(status=WorkStatus.CANCELLED)
    return {"ongoing": kept & Q(actual_start__lte=day) & (Q(actual_end__isnull=True) | Q(actual_end__gt=day)),
            "completed": kept & Q(actual_end__lte=day)}

