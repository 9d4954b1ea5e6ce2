"""The tracing request: a family asks after a person. Taken in only from a KoboToolbox or ODK Central export
(`peaceops forms import`), never over OpenRosa: exchange officers sign in with a second factor, which ODK Collect
cannot send, and a device credential that skipped it would open the most sensitive records in the system to
whoever holds the phone (docs/field-intake.md)."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.fieldforms.catalogue.base import Errors, Received, _choices, _not_future
from peaceops.fieldforms.instances import Values

BIRTH_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
FIELDS = ("sought_name", "sought_father_name", "sought_birth_date", "sought_birth_place", "sought_sex",
          "requested_by", "relationship", "contact", "received_on", "notes")


def tracing_rows() -> tuple[list[dict], list[dict]]:
    from peaceops.exchanges.models import TracingRequest

    label = {f.name: f.verbose_name for f in TracingRequest._meta.get_fields() if hasattr(f, "verbose_name")}
    survey: list[dict] = [
        {"type": "begin_group", "name": "sought", "label": gettext_lazy("The person sought"),
         "appearance": "field-list"},
        {"type": "text", "name": "sought_name", "label": label["sought_name"], "required": "yes",
         "hint": gettext_lazy("Exactly as the family writes it, in their script.")},
        {"type": "text", "name": "sought_father_name", "label": label["sought_father_name"]},
        {"type": "text", "name": "sought_birth_date", "label": label["sought_birth_date"],
         "constraint": "regex(., '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$')",
         "constraint_message": gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD.")},
        {"type": "text", "name": "sought_birth_place", "label": label["sought_birth_place"]},
        {"type": "select_one sex", "name": "sought_sex", "label": label["sought_sex"]},
        {"type": "end_group", "name": ""},
        {"type": "begin_group", "name": "requester", "label": gettext_lazy("Who asks"), "appearance": "field-list"},
        {"type": "text", "name": "requested_by", "label": label["requested_by"], "required": "yes"},
        {"type": "text", "name": "relationship", "label": label["relationship"]},
        {"type": "text", "name": "contact", "label": label["contact"], "required": "yes"},
        {"type": "end_group", "name": ""},
        {"type": "date", "name": "received_on", "label": label["received_on"], "required": "yes",
         "constraint": ". <= today()", "constraint_message": gettext_lazy("Not in the future.")},
        {"type": "text", "name": "notes", "label": label["notes"], "appearance": "multiline"},
    ]
    sexes = [(code, text) for code, text in TracingRequest._meta.get_field("sought_sex").choices or ()
              if code]
    return survey, _choices("sex", sexes)


def _values(v: Values) -> dict[str, str]:
    paths = {"sought_name": "sought/sought_name", "sought_father_name": "sought/sought_father_name",
             "sought_birth_date": "sought/sought_birth_date", "sought_birth_place": "sought/sought_birth_place",
             "sought_sex": "sought/sought_sex", "requested_by": "requester/requested_by",
             "relationship": "requester/relationship", "contact": "requester/contact",
             "received_on": "received_on", "notes": "notes"}
    return {name: v.text(path) for name, path in paths.items()}


def save_tracing(v: Values, received: Received):
    """Through the exchange officer's web form and the same matching as a request entered on the web."""
    from peaceops.exchanges.forms import TracingRequestForm
    from peaceops.exchanges.services import tracing as services

    errors = Errors()
    _not_future(errors, "received_on", errors.read("received_on", lambda: v.date("received_on")))
    data = _values(v)
    if data["sought_birth_date"] and not BIRTH_DATE.fullmatch(data["sought_birth_date"]):
        errors.add("sought/sought_birth_date", _("“%(value)s” is not a birth date as YYYY, YYYY-MM or YYYY-MM-DD.")
                   % {"value": data["sought_birth_date"]})
    if not data["received_on"]:
        data["received_on"] = timezone.localdate(received.received_at).isoformat()
    form = TracingRequestForm(data)
    if not form.is_valid():
        for name, messages in form.errors.items():
            for message in messages:
                errors.add(name, message)
    errors.raise_if_any()
    tracing = form.save(commit=False)
    tracing._change_reason = f"field form {received.instance_id}"
    tracing.save()
    services.match_request(tracing, received.user)
    return tracing
