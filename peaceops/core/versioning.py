"""Optimistic locking: every editable record carries a revision; a write based on a stale copy is refused.

Two users open the same facility; the first saves; the second's save would silently overwrite the first's
change (a lost update). Every `TravellingRecord` has a `revision` (django-concurrency's AutoIncVersionField):
each save bumps it, and the UPDATE only applies where the row still has the revision the writer read.

Web forms carry the revision the user saw (a hidden field, `RevisionField`); the API carries it in `ETag` /
`If-Match` (peaceops.api.integrity). Views and endpoints run their service call inside `expecting(record, seen)`:
it locks the row, compares, and makes every save of that row in the block check against what the user saw,
even where the service reloads the record itself. A stale write raises `StaleRecord`, which the pages turn into
409 "changed by X at T" with the user's input kept, and the API into 412 (If-Match) or 409 (body revision).
"""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from concurrency.exceptions import RecordModifiedError
from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peaceops.core.text import record_number

# (model label, pk) → the revision the user saw, for saves inside `expecting`.
_expected: contextvars.ContextVar[dict[tuple[str, str], int] | None] = contextvars.ContextVar(
    "peaceops_expected_revisions", default=None)


class StaleRecord(RecordModifiedError):
    """The record changed since the user read it; nothing was written."""

    def __init__(self, target: models.Model, seen: int | None = None, current: int | None = None) -> None:
        self.seen, self.current = seen, current
        super().__init__(_("This record was changed by someone else since you opened it."), target=target)

    @property
    def last_change(self) -> LastChange | None:
        return last_change(self.target)

    def message(self) -> str:
        return conflict_message(self.target)


def _key(instance: models.Model) -> tuple[str, str]:
    return instance._meta.label, str(instance.pk)


def expected_revision(instance: models.Model) -> int | None:
    expected = _expected.get()
    return expected.get(_key(instance)) if expected else None


def saved(instance: models.Model) -> None:
    """After a save inside `expecting`: later saves of the row in the same block expect the new revision."""
    key = _key(instance)
    expected = _expected.get()
    if expected and key in expected:
        expected[key] = getattr(instance, "revision")  # noqa: B009  # a django-concurrency field, not on Model


def current_revision(instance: models.Model, lock: bool = False) -> int | None:
    rows = type(instance)._base_manager.filter(pk=instance.pk)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("revision", flat=True).first()


@contextmanager
def expecting(instance: models.Model, seen: int | None) -> Iterator[None]:
    """Run a write on `instance` only if it still has revision `seen` (None: no check — a new record, or a
    client that sent no precondition). The block is one transaction holding the row's lock."""
    if seen is None or instance.pk is None:
        yield
        return
    with transaction.atomic():
        current = current_revision(instance, lock=True)
        if current != seen:
            raise StaleRecord(instance, seen, current)
        token = _expected.set({**(_expected.get() or {}), _key(instance): seen})
        try:
            yield
        finally:
            _expected.reset(token)


@dataclass(frozen=True)
class LastChange:
    actor: str
    at: dt.datetime


def last_change(instance: models.Model) -> LastChange | None:
    """Who wrote the record last and when, from the audit chain."""
    from peaceops.core.models.audit import AuditAction, AuditEvent

    event = (AuditEvent.objects.filter(model=instance._meta.label, object_id=str(instance.pk),
                                       action__in=[AuditAction.CREATE, AuditAction.UPDATE])
             .order_by("-id").values_list("actor", "timestamp").first())
    return LastChange(event[0] or _("the system"), event[1]) if event else None


def conflict_message(instance: models.Model) -> str:
    change = last_change(instance)
    if change is None:
        return _("This record was changed by someone else since you opened it. Nothing was saved.")
    return _("This record was changed by %(actor)s at %(time)s since you opened it. Nothing was saved: your input "
             "is below; check the current values and apply it again.") % {
        "actor": change.actor, "time": formats.date_format(timezone.localtime(change.at), "j E Y H:i:s")}


class RevisionField(forms.IntegerField):
    """The hidden field that carries the revision the user saw from the form to the write."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("label", gettext_lazy("revision"))
        super().__init__(**kwargs)


# The mixin goes before a Django form class; the type checker is told so, to know its fields and data.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class RevisionFormMixin(_FormBase):
    """Adds `revision` to a form editing `record` (or a ModelForm's instance): its value when the form was
    shown; `seen_revision` is what the user submitted."""

    # `record`: a model with a `revision` field (django-concurrency's), which models.Model does not declare.
    def __init__(self, *args, record: Any = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.record = record if record is not None else getattr(self, "instance", None)
        self.fields["revision"] = RevisionField()
        if self.record is not None and self.record.pk is not None:
            self.fields["revision"].initial = self.record.revision

    @property
    def seen_revision(self) -> int | None:
        if self.record is None or self.record.pk is None or not self.is_bound:
            return None
        value = self.cleaned_data.get("revision") if hasattr(self, "cleaned_data") else None
        if value is None:
            raw = self.data.get(self.add_prefix("revision"))
            value = record_number(raw)
        return value

    def refresh_revision(self) -> None:
        """After a conflict: the form now carries the current revision, so resubmitting applies the input over
        what the other user saved (on purpose, having seen it)."""
        current = current_revision(self.record) if self.record is not None else None
        if current is not None:
            data = self.data.copy()  # type: ignore[attr-defined]  # stubs say Mapping; bound data is a QueryDict
            data[self.add_prefix("revision")] = str(current)
            self.data = data


def posted_revision(request, name: str = "revision") -> int | None:
    """The revision a submitted page carried (None when it carried none: an old page, a script)."""
    raw = request.POST.get(name, "")
    return record_number(raw)


def keep_input(form, exc: StaleRecord) -> None:
    """A stale form goes back to the user with their input, the conflict named, and the current revision, so
    that saving again applies their input over the other change, knowingly."""
    form.add_error(None, exc.message())
    changed = now_stored(form)
    if changed:
        form.add_error(None, _("Now stored, unlike your form: %(values)s.") % {"values": "; ".join(changed)})
    form.refresh_revision()


@dataclass(frozen=True)
class Submitted:
    saved: bool  # True: the change is stored; the page says so and redirects
    value: Any = None  # what the save returned (the service decides)
    status: int = 200  # the answer for the page shown again: 409 when someone else saved first


def submit(request, form, record, save, errors=None, refresh: bool = False) -> Submitted:
    """An edit page's POST, applied against the revision its form showed (the one implementation of the pages'
    save step). `save()` runs the service inside `expecting(record, form.seen_revision)`. Someone else saved
    first: the form keeps the input with the conflict named (`keep_input`), status 409. The service refused:
    its errors go onto the form (`errors(form, exc)`; by default as the form's own errors). A GET or an invalid
    form is not saved. `refresh`: the page shows `record` again, reloaded, after a refusal."""
    if request.method != "POST" or not form.is_valid():
        return Submitted(False)
    try:
        with expecting(record, form.seen_revision):
            value = save()
    except StaleRecord as exc:
        if refresh:
            record.refresh_from_db()
        keep_input(form, exc)
        return Submitted(False, status=409)
    except ValidationError as exc:
        if refresh:
            record.refresh_from_db()
        (errors or _form_error)(form, exc)
        return Submitted(False)
    return Submitted(True, value)


def _form_error(form, exc: ValidationError) -> None:
    form.add_error(None, exc)


def now_stored(form) -> list[str]:
    """'label: stored value' for each field of a model form whose stored value differs from what was submitted."""
    from django.forms.models import model_to_dict

    names = getattr(getattr(form, "_meta", None), "fields", None)
    record = getattr(form, "record", None)
    if not names or record is None or record.pk is None:
        return []
    fresh = type(record)._base_manager.filter(pk=record.pk).first()
    if fresh is None:
        return []
    stored = model_to_dict(fresh, fields=names)
    lines = []
    for name in names:
        if name not in form.fields:
            continue
        submitted, current = form[name].value(), stored.get(name)
        if isinstance(current, list):
            same = sorted(str(getattr(v, "pk", v)) for v in current) == sorted(str(v) for v in submitted or [])
        else:
            same = str(current if current is not None else "") == str(submitted if submitted is not None else "")
        if not same:
            display = getattr(fresh, f"get_{name}_display", None)
            value = display() if display else (", ".join(map(str, current)) if isinstance(current, list)
                                               else getattr(fresh, name))
            lines.append(f"{form.fields[name].label}: {value if value not in (None, '') else '—'}")
    return lines


def refuse_stale_save(target: models.Model, *args, **kwargs):
    """django-concurrency's callback (CONCURRENCY_CALLBACK) for an UPDATE that found another revision."""
    raise StaleRecord(target, expected_revision(target) or getattr(target, "revision", None))
