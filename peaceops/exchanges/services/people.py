"""Creating the identity record a case refers to."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from peaceops.core.models import Person, PersonName
from peaceops.linkage.dates import salvage_birth_date as linkage_salvage

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_birth_date(text: str, today: dt.date | None = None) -> tuple[int | None, int | None, int | None]:
    """'1990', '1990-05' or '1990-05-01' → (year, month, day); a date that does not exist or lies in the future
    raises ValueError with a message for the user."""
    text = (text or "").strip()
    if not text:
        return None, None, None
    found = _DATE.match(text)
    if not found:
        raise ValueError(_("birth date %(value)s is not YYYY, YYYY-MM or YYYY-MM-DD") % {"value": text})
    year_text, month_text, day_text = found.groups()  # the year is always there
    year = int(year_text)
    month, day = (int(part) if part else None for part in (month_text, day_text))
    try:
        # Month or day 0 is no date (`month or 1` would take it for January).
        earliest = dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        raise ValueError(_("birth date %(value)s does not exist") % {"value": text}) from None
    if earliest > (today or timezone.localdate()):
        raise ValueError(_("birth date %(value)s is in the future") % {"value": text})
    return year, month, day


def salvage_birth_date(text: str, today: dt.date | None = None) -> tuple[tuple[int | None, int | None, int | None],
                                                                       str]:
    """(year, month, day) of what is valid in `text`, and a warning for the user when part of it was dropped
    ("" when it was read whole). A typo in the day must not cost a detainee their year and month of birth."""
    try:
        return parse_birth_date(text, today), ""
    except ValueError as exc:
        reason = str(exc)
    today = today or timezone.localdate()
    kept = linkage_salvage(text, today=today).date
    parts = (kept.year, kept.month, kept.day) if kept and kept.year else (None, None, None)
    while parts[0] and dt.date(parts[0], parts[1] or 1, parts[2] or 1) > today:  # in the future: coarser
        parts = (parts[0], parts[1], None) if parts[2] else (parts[0], None, None) if parts[1] else (None, None, None)
    shown = "-".join(f"{v:02d}" if i else f"{v:04d}" for i, v in enumerate(parts) if v)
    if shown:
        return parts, _("%(reason)s; kept %(kept)s") % {"reason": reason, "kept": shown}
    return parts, _("%(reason)s; left unknown") % {"reason": reason}


def create_person(name: str, *, sex: str = "U", birth_date: str = "", father_name: str = "",
                  birth_place: str = "", written_by: str = "", other_names: Sequence[tuple[str, str]] = ()) -> Person:
    """A Person with the name exactly as written (primary) and any other spellings with who wrote them.

    Only a missing name is refused. A birth date that is partly wrong keeps its valid parts, and the person
    carries the warning in `person.warnings` for the caller to show."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A person needs a name as written.")})
    (year, month, day), warning = salvage_birth_date(birth_date)
    person = Person(sex=sex or "U", birth_year=year, birth_month=month, birth_day=day, father_name=father_name,
                    birthplace_text=birth_place)
    person.full_clean()
    person.save()
    PersonName.objects.create(person=person, full_name=name, is_primary=True, written_by=written_by)
    seen = {name}
    for other, by in other_names:
        if other and other not in seen:
            seen.add(other)
            PersonName.objects.create(person=person, full_name=other, written_by=by)
    person.warnings = [_("birth date: %(warning)s") % {"warning": warning}] if warning else []
    return person


def person_record(person: Person, record_id: str) -> list[dict]:
    """Linkage records for a person: one per name as written (the engine compares each spelling)."""
    return [{"id": record_id, "name": n.full_name, "father_name": person.father_name,
             "birth_date": person.birth_date_display, "birth_place": person.birthplace_text,
             "sex": "" if person.sex == "U" else person.sex} for n in person.names.all()]
