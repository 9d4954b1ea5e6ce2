"""The field forms PeaceOps ships, each written from the models' vocabularies and saved through its module's
services — the same functions the web forms call, so a phone's record obeys the same rules.

A form declares who may submit it (`capability`), who reviews what it sends (`review_capability`), its rows,
and `save(values, received)` returning the record; `update(record, values, received)` applies an edited
instance (deprecatedID) to the record it made. Both raise ValidationError (or FieldValueError) for a submission
that breaks a rule; the intake keeps it in the review queue with that reason.
"""

from __future__ import annotations

from functools import cache

from django.utils.translation import gettext_lazy

from peaceops.fieldforms.catalogue.base import (
    CHUNK,
    FieldForm,
    Received,
    forget_built,
    place_key,
    resolve_place,
)
from peaceops.fieldforms.catalogue.incident import incident_rows, save_incident, update_incident
from peaceops.fieldforms.catalogue.monitoring import patrol_rows, post_log_rows, save_patrol, save_post_log
from peaceops.fieldforms.catalogue.registration import (
    REGISTRATION_BULK,
    registration_rows,
    save_registration,
    update_registration,
)
from peaceops.fieldforms.catalogue.restoration import (
    assessment_rows,
    clearance_rows,
    save_assessment,
    save_clearance,
)
from peaceops.fieldforms.catalogue.tracing import save_tracing, tracing_rows

__all__ = ["CHUNK", "FieldForm", "Received", "forget_built", "forms", "place_key", "resolve_place"]

@cache
def forms() -> dict[str, FieldForm]:
    return {form.form_id: form for form in (
        FieldForm("incident_report", gettext_lazy("Incident report"), "ceasefire.file", "ceasefire.review",
                  "ceasefire.Incident", "ceasefire.view_all", incident_rows, save_incident, update_incident),
        FieldForm("returnee_registration", gettext_lazy("Returnee registration"), "returns.change",
                  "returns.change", "returns.Household", "returns.view", registration_rows, save_registration,
                  update_registration, bulk=REGISTRATION_BULK),
        FieldForm("observation_post_log", gettext_lazy("Observation-post log"), "ceasefire.log", "ceasefire.review",
                  "ceasefire.ObservationPostLog", "ceasefire.view_all", post_log_rows, save_post_log),
        FieldForm("patrol_log", gettext_lazy("Patrol log"), "ceasefire.log", "ceasefire.review",
                  "ceasefire.Patrol", "ceasefire.view_all", patrol_rows, save_patrol),
        FieldForm("facility_assessment", gettext_lazy("Facility damage assessment"), "restoration.assess",
                  "restoration.edit", "restoration.DamageAssessment", "restoration.view_assessments",
                  assessment_rows, save_assessment),
        FieldForm("clearance_report", gettext_lazy("Clearance report"), "restoration.edit", "restoration.edit",
                  "restoration.ClearanceReport", "restoration.view", clearance_rows, save_clearance),
        FieldForm("tracing_request", gettext_lazy("Tracing request"), "exchanges.change_cases",
                  "exchanges.change_cases", "exchanges.TracingRequest", "exchanges.view_cases", tracing_rows,
                  save_tracing, collect=False, sensitive=True),
    )}
