"""The facility damage assessment (with photos) and the clearance report."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.core.text import record_number
from peaceops.fieldforms.catalogue.base import (
    Errors,
    Received,
    _choices,
    _not_future,
    attached_photos,
)
from peaceops.fieldforms.instances import Values

# --- facility damage assessment (with photos) ----------------------------------------------------------------

def assessment_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.restoration.models import DamageAssessment, Facility
    from peaceops.restoration.models.assessments import Severity

    label = {f.name: f.verbose_name for f in DamageAssessment._meta.get_fields() if hasattr(f, "verbose_name")}
    survey: list[dict] = [
        {"type": "select_one facility", "name": "facility", "label": label["facility"], "required": "yes",
         "appearance": "minimal autocomplete"},
        {"type": "date", "name": "date", "label": label["date"], "required": "yes", "constraint": ". <= today()",
         "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "text", "name": "assessor", "label": label["assessor"], "required": "yes"},
        {"type": "select_one severity", "name": "severity", "label": label["severity"], "required": "yes"},
        {"type": "integer", "name": "functionality", "label": label["functionality"], "required": "yes",
         "constraint": ". >= 0 and . <= 100",
         "constraint_message": gettext_lazy("Functionality is a percentage from 0 to 100.")},
        {"type": "text", "name": "needs", "label": label["needs"], "appearance": "multiline"},
        {"type": "image", "name": "photo_1", "label": gettext_lazy("Photo")},
        {"type": "image", "name": "photo_2", "label": gettext_lazy("Another photo"), "relevant": "${photo_1} != ''"},
        {"type": "image", "name": "photo_3", "label": gettext_lazy("Another photo"), "relevant": "${photo_2} != ''"},
    ]
    choices = [
        *_choices("facility", ((f"facility{f.pk}", f"{f.name} ({f.place.name})")
                               for f in Facility.objects.select_related("place").order_by("name", "pk"))),
        *_choices("severity", Severity.choices),
    ]
    return survey, choices


def save_assessment(v: Values, received: Received):
    from peaceops.core.uploads import RASTER_TYPES
    from peaceops.restoration.models import Facility
    from peaceops.restoration.services.assessments import record_assessment

    errors = Errors()
    key = v.text("facility")
    number = record_number(key[8:]) if key.startswith("facility") else None
    facility = Facility.objects.filter(pk=number).first() if number else None
    if facility is None:
        errors.add("facility", _("“%(key)s” is not a known facility.") % {"key": key})
    day = errors.read("date", lambda: v.date("date"))
    if day is None and "date" not in errors.by_field:
        errors.add("date", _("Say when the facility was assessed."))
    _not_future(errors, "date", day)
    severity = errors.read("severity", lambda: v.integer("severity", None))
    functionality = errors.read("functionality", lambda: v.integer("functionality", None))
    photos = attached_photos(v, received, ("photo_1", "photo_2", "photo_3"))
    for photo in photos:
        if photo.content_type not in RASTER_TYPES:
            errors.add("photos", _("“%(name)s” is not a photo: send a PNG, JPEG, GIF or WebP picture.")
                       % {"name": photo.filename})
    errors.raise_if_any()
    assert facility is not None and day is not None  # refused above otherwise
    with transaction.atomic():
        assessment = record_assessment(facility, day, v.text("assessor"), severity, functionality,
                                       needs=v.text("needs"), user=received.user)
        if photos:
            assessment.photos.add(*photos)
    return assessment


# --- clearance report (mine action: one task, one day) -------------------------------------------------------

def clearance_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.restoration.models import ClearanceReport, ClearanceTask, OrdnanceType

    label = {f.name: f.verbose_name for f in ClearanceReport._meta.get_fields() if hasattr(f, "verbose_name")}
    survey: list[dict] = [
        {"type": "select_one task", "name": "task", "label": label["task"], "required": "yes",
         "appearance": "minimal autocomplete"},
        {"type": "date", "name": "date", "label": label["date"], "required": "yes", "constraint": ". <= today()",
         "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "decimal", "name": "area_cleared_m2", "label": label["area_cleared_m2"], "constraint": ". >= 0",
         "default": "0"},
        {"type": "decimal", "name": "road_cleared_km", "label": label["road_cleared_km"], "constraint": ". >= 0",
         "default": "0"},
        {"type": "begin_repeat", "name": "ordnance", "label": gettext_lazy("Explosive ordnance found")},
        {"type": "select_one ordnance_type", "name": "ordnance_type", "label": gettext_lazy("Type")},
        {"type": "integer", "name": "found", "label": gettext_lazy("Found"), "constraint": ". >= 0"},
        {"type": "integer", "name": "destroyed", "label": gettext_lazy("Destroyed"), "constraint": ". >= 0"},
        {"type": "end_repeat", "name": ""},
        {"type": "text", "name": "notes", "label": label["notes"], "appearance": "multiline"},
    ]
    choices = [
        *_choices("task", ((f"task{t.pk}", f"{t.code} {t.description}".strip())
                           for t in ClearanceTask.objects.order_by("code"))),
        *_choices("ordnance_type", OrdnanceType.choices),
    ]
    return survey, choices


def save_clearance(v: Values, received: Received):
    from peaceops.restoration.models import ClearanceTask
    from peaceops.restoration.services.mine_action import record_daily_report

    errors = Errors()
    key = v.text("task")
    number = record_number(key[4:]) if key.startswith("task") else None
    task = ClearanceTask.objects.filter(pk=number).first() if number else ClearanceTask.objects.filter(code=key).first()
    if task is None:
        errors.add("task", _("“%(key)s” is not a known clearance task.") % {"key": key})
    day = errors.read("date", lambda: v.date("date"))
    if day is None and "date" not in errors.by_field:
        errors.add("date", _("Say which day the report covers."))
    _not_future(errors, "date", day)
    area = errors.read("area_cleared_m2", lambda: v.decimal("area_cleared_m2")) or 0
    road = errors.read("road_cleared_km", lambda: v.decimal("road_cleared_km")) or 0
    ordnance: dict[str, tuple[int, int]] = {}
    for index, item in enumerate(v.repeat("ordnance"), 1):
        kind = item.text("ordnance_type")
        if not kind:
            continue
        found = errors.read(f"ordnance[{index}]/found", partial(item.integer, "found")) or 0
        destroyed = errors.read(f"ordnance[{index}]/destroyed", partial(item.integer, "destroyed")) or 0
        before = ordnance.get(kind, (0, 0))
        ordnance[kind] = (before[0] + found, before[1] + destroyed)
    errors.raise_if_any()
    assert task is not None and day is not None  # refused above otherwise
    return record_daily_report(task, day, Decimal(f"{area:.1f}"), Decimal(f"{road:.2f}"), ordnance,
                               notes=v.text("notes"))
