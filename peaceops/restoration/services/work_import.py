"""The row rules for importing works (3W) from CSV, XLSX or HXL: what a row means, checked but not saved. The
import itself runs through the intake machinery (`peaceops.restoration.imports`): a bad row is quarantined with
its line and reason, the others are kept. Imports are idempotent on the file's own id (or our UUID)."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from peaceops.core.importing import RowProblems
from peaceops.core.models import Organisation
from peaceops.core.params import BadParameter, parse_date
from peaceops.restoration.models import Facility, Work, WorkStatus
from peaceops.restoration.services.hxl import normalise_tag
from peaceops.restoration.services.works import check_transition, validate_work

# Field → the names a column may carry (normalised HXL tags, or lower-case headers).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("#meta+id", "#activity+code", "id", "source id"),
    "organisation": ("#org", "#org+name", "organisation", "organization", "org"),
    "activity": ("#activity", "#activity+name", "activity"),
    "facility": ("#loc+facility", "#loc+name+facility", "facility"),
    "status": ("#status", "status"),
    "start": ("#date+start", "start"),
    "end": ("#date+end", "end"),
    "planned_start": ("#date+start+planned", "planned start", "planned_start"),
    "planned_end": ("#date+end+planned", "planned end", "planned_end"),
    "actual_start": ("#date+start+actual", "actual start", "actual_start"),
    "actual_end": ("#date+end+actual", "actual end", "actual_end"),
    "percent_complete": ("#indicator+complete", "#indicator+pct", "% complete", "percent complete",
                         "percent_complete"),
    "resources": ("#meta+resources", "resources"),
}
ALIASES = {name: tuple(normalise_tag(k) if k.startswith("#") else k for k in keys) for name, keys in ALIASES.items()}


def _get(row: dict[str, str], name: str) -> str:
    for key in ALIASES[name]:
        if row.get(key):
            return row[key].strip()
    return ""


def _date(text: str, label: str) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_date(text[:10], label)  # a date and time in the file counts as its day
    except BadParameter as exc:
        raise ValidationError(exc.message) from None


def _percent(text: str) -> int:
    if not text:
        return 0
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise ValidationError(_("%% complete “%(value)s” is not a number.") % {"value": text}) from None
    if not value.is_integer():
        raise ValidationError(_("%% complete “%(value)s” is not a whole number.") % {"value": text})
    return int(value)


class _Lookups:
    def __init__(self):
        self.orgs: dict[str, Organisation] = {}
        for org in Organisation.objects.all():
            self.orgs[org.name.casefold()] = org
            if org.acronym:
                self.orgs[org.acronym.casefold()] = org
        self.facilities: dict[str, Facility | None] = {}
        for facility in Facility.objects.all():
            key = facility.name.casefold()
            # Two facilities of one name cannot be told apart by name: the file must use the UUID.
            self.facilities[key] = None if key in self.facilities else facility
            self.facilities[str(facility.uuid)] = facility


def _facility(lookups: _Lookups, facility_name: str) -> Facility:
    if not facility_name:
        raise ValidationError(_("The facility is missing."))
    key = facility_name.casefold()
    if key not in lookups.facilities:
        raise ValidationError(_("Unknown facility “%(name)s”.") % {"name": facility_name})
    facility = lookups.facilities[key]
    if facility is None:
        raise ValidationError(_("Several facilities are called “%(name)s”; use the facility's UUID.")
                              % {"name": facility_name})
    return facility


def _build(row: dict[str, str], lookups: _Lookups) -> tuple[str, Work]:
    """The work a row describes; a bad row is refused with every one of its problems, each under its column."""
    problems = RowProblems()
    org_name, facility_name = _get(row, "organisation"), _get(row, "facility")
    org = lookups.orgs.get(org_name.casefold())
    if org is None:
        problems.add("organisation", _("Unknown organisation “%(name)s”.") % {"name": org_name})
    facility = problems.check("facility", lambda: _facility(lookups, facility_name))
    status = (_get(row, "status") or WorkStatus.PLANNED).lower()
    labels = {str(label).lower(): value for value, label in WorkStatus.choices}
    status = labels.get(status, status)
    if status not in WorkStatus.values:
        problems.add("status", _("Unknown status “%(value)s”; use one of: %(choices)s.")
                     % {"value": status, "choices": ", ".join(WorkStatus.values)})
    dates = {name: problems.check(name, partial(_date, _get(row, name), label))
             for name, label in (("start", _("Start")), ("end", _("End")), ("planned_start", _("Planned start")),
                                 ("planned_end", _("Planned end")), ("actual_start", _("Actual start")),
                                 ("actual_end", _("Actual end")))}
    start, end = dates["start"], dates["end"]
    planned_start, planned_end = dates["planned_start"], dates["planned_end"]
    actual_start, actual_end = dates["actual_start"], dates["actual_end"]
    # A generic 3W start/end means the actual dates once a work has begun, the planned ones before.
    begun = status != WorkStatus.PLANNED
    if begun:
        actual_start = actual_start or start
        if status in (WorkStatus.COMPLETED,):
            actual_end = actual_end or end
        else:
            planned_end = planned_end or end
    else:
        planned_start, planned_end = planned_start or start, planned_end or end
    percent = problems.check("percent_complete", lambda: _percent(_get(row, "percent_complete")), 0)
    if status == WorkStatus.COMPLETED and not _get(row, "percent_complete"):
        percent = 100
    if not _get(row, "activity"):
        problems.add("activity", _("The activity is missing."))
    problems.raise_if_any()
    work = Work(organisation=org, activity=_get(row, "activity"), facility=facility, status=status,
                planned_start=planned_start, planned_end=planned_end, actual_start=actual_start,
                actual_end=actual_end, percent_complete=percent, resources=_get(row, "resources"),
                external_id=_get(row, "id"))
    return work.external_id, work


def prepare_row(row: dict[str, str], lookups: _Lookups) -> tuple[Work | None, Work]:
    """The work a row describes, checked but not saved, and the existing work it updates (same id), if any."""
    ext_id, work = _build(row, lookups)
    existing = None
    if ext_id:
        existing = Work.objects.filter(Q(external_id=ext_id) | Q(uuid=_uuid_or_none(ext_id))).first()
    if existing is not None:
        check_transition(existing.status, work.status)
        work.pk, work.uuid, work.created_at = existing.pk, existing.uuid, existing.created_at
        # A row updates the work as it stands (imports carry no revision: the source's id is the key).
        work.revision = existing.revision
        work._state.adding = False  # it is that stored work: its own source id is no clash with itself
        # Our own UUID identifies the work; it is not the source's id.
        work.external_id = existing.external_id or ("" if ext_id == str(existing.uuid) else ext_id)
    validate_work(work)
    work.full_clean(validate_unique=False)
    return existing, work


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
