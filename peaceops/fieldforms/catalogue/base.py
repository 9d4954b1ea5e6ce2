"""What every field form shares: the form's declaration, the submission as received, the errors of a
submission, and the vocabularies read from the models."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from peaceops.core.text import record_number
from peaceops.fieldforms import xlsform
from peaceops.fieldforms.instances import FieldValueError, Values

T = TypeVar("T")
D = TypeVar("D")

FUTURE_SLACK = dt.timedelta(minutes=10)  # a phone's clock a few minutes fast is not a date in the future
# The key, in a bulk import's cache of look-ups (`BulkSave.prepare`'s `cache`, kept for the whole import), of
# what is read once a chunk and renewed with each (today's date): {} at the start of every chunk.
CHUNK = "chunk"


@dataclass
class Received:
    """What came with the instance: who sent it, its instance id, and its stored attachments by file name."""

    user: Any  # the account that sent it, or the anonymous user
    instance_id: str
    attachments: dict
    received_at: dt.datetime


@dataclass(frozen=True)
class BulkSave:
    """How a form's submissions are saved a chunk at a time (an export's import) by the same rules as `save`:
    `prepare(values, received, cache)` checks one submission and returns what to write, raising as `save`
    would (`cache`: look-ups kept for the whole import; what holds for one chunk only goes under
    `cache[CHUNK]`); `write(prepared, user, note)` writes a chunk's prepared records in bulk and returns the
    records in order. `unique(prepared)` is a key the database holds once (a reference; "" for
    none), `taken(keys)` which of them are held already, `taken_error(key)` the refusal `save` gives then."""

    # What `prepare` returns is the form's own (a dataclass, a dict): opaque here, hence Any.
    prepare: Callable[[Values, Received, dict], Any]
    write: Callable[[list, Any, str], list]
    unique: Callable[[Any], str] = lambda prepared: ""
    taken: Callable[[set[str]], set[str]] = lambda keys: set()
    taken_error: Callable[[str], Exception] | None = None


@dataclass(frozen=True)
class FieldForm:
    form_id: str
    title: object
    capability: str
    review_capability: str
    record_model: str  # app_label.Model of the record a submission becomes
    view_capability: str  # who reads its submissions (a coordinator reads, a reviewer decides)
    rows: Callable[[], tuple[list[dict], list[dict]]]
    save: Callable[[Values, Received], object]
    update: Callable[[object, Values, Received], object] | None = None
    # Offered to ODK Collect and Enketo (the form list, OpenRosa submissions). A form whose submitters sign in
    # with a second factor is taken in from Kobo/Central exports only.
    collect: bool = True
    # Its submissions may name a person: every read of one in the review queue is audited.
    sensitive: bool = False
    # Saving a chunk of an export's submissions in bulk (None: one `save` a submission).
    bulk: BulkSave | None = None

    def built(self) -> xlsform.Built:
        """The form as shipped now. Building it reads the gazetteer and every vocabulary, which cost a busy
        intake more than the records it made; a build is reused for BUILT_SECONDS in this process, so a changed
        vocabulary reaches the form list within that time."""
        language = translation.get_language()
        cached = _BUILT.get((self.form_id, language))
        if cached is not None and time.monotonic() - cached[0] < BUILT_SECONDS:
            return cached[1]
        built = xlsform.build(self.form_id, self.title, *self.rows())
        _BUILT[(self.form_id, language)] = (time.monotonic(), built)
        return built

    def field_paths(self) -> set[str]:
        """The instance paths of this form's fields ("casualties/killed_civilian", "member/name")."""
        paths, stack = set(), []
        for cells in self.built().survey:
            row = dict(cells)
            kind = row["type"].replace(" ", "_")
            if kind in ("begin_group", "begin_repeat"):
                stack.append(row["name"])
            elif kind in ("end_group", "end_repeat"):
                stack.pop()
            elif row.get("name"):
                paths.add("/".join([*stack, row["name"]]))
        return paths


BUILT_SECONDS = 30.0
_BUILT: dict[tuple[str, str | None], tuple[float, xlsform.Built]] = {}


def forget_built() -> None:
    """Rebuild every form on next use (tests, and a command that just changed a vocabulary)."""
    _BUILT.clear()


class Errors:
    """Every broken rule of a submission at once, by field, so a reviewer sees them all."""

    def __init__(self):
        self.by_field: dict[str, list[str]] = {}

    def add(self, path: str, message: object) -> None:
        self.by_field.setdefault(path, []).append(str(message))

    # A refused read returns `default` (None unless given) and notes why; the submission is refused at
    # `raise_if_any`.
    @overload
    def read(self, path: str, reader: Callable[[], T]) -> T | None: ...

    @overload
    def read(self, path: str, reader: Callable[[], T], default: D) -> T | D: ...

    def read(self, path: str, reader: Callable[[], Any], default: Any = None) -> Any:
        try:
            return reader()
        except FieldValueError as exc:
            self.add(exc.path, str(exc).split(": ", 1)[-1])
        except ValidationError as exc:
            for message in exc.messages:
                self.add(path, message)
        return default

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# --- vocabularies -------------------------------------------------------------------------------------------

def place_key(place) -> str:
    return place.pcode or f"place{place.pk}"


def resolve_place(key: str, kinds: tuple[str, ...] | None = None):
    """A place from a form's choice (P-code or place<id>), or from a name in any script (Kobo forms with free
    text); a ValidationError saying it is not in the gazetteer otherwise."""
    from peaceops.ceasefire import services
    from peaceops.core.models import Place

    found = None
    if key.startswith("place") and (number := record_number(key[5:])):
        found = Place.objects.filter(pk=number).first()
    elif key:
        found = Place.objects.filter(pcode=key).first()
    if found is not None and (kinds is None or found.kind in kinds):
        return found
    try:
        return services.resolve_place(key, kinds=kinds)
    except ValidationError:
        raise ValidationError(_("“%(key)s” is not a place in the gazetteer (an old form, or a place since removed); "
                                "choose the place again.") % {"key": key}) from None


def _choices(list_name: str, pairs) -> list[dict]:
    return [{"list_name": list_name, "name": str(name), "label": label} for name, label in pairs]


def _places(list_name: str, kinds: tuple[str, ...]) -> list[dict]:
    from peaceops.core.models import Place

    return _choices(list_name, ((place_key(p), p.name) for p in Place.objects.filter(kind__in=kinds)
                                .order_by("name", "pk")))


def _sources() -> list[dict]:
    from peaceops.core.models import Source

    return _choices("source", ((f"source{s.pk}", s.name) for s in Source.objects.order_by("name")))


def _source(key: str):
    from peaceops.core.models import Source

    number = record_number(key[6:]) if key.startswith("source") else None
    source = Source.objects.filter(pk=number).first() if number else Source.objects.filter(name=key).first()
    if source is None:
        raise ValidationError(_("“%(key)s” is not a known source.") % {"key": key})
    return source


def _party(code: str):
    from peaceops.core.models import Party

    party = Party.objects.filter(code=code).first()
    if party is None:
        raise ValidationError(_("“%(key)s” is not a known party.") % {"key": code})
    return party


def _not_future(errors: Errors, path: str, when) -> None:
    if when is None:
        return
    future = when > timezone.now() + FUTURE_SLACK if isinstance(when, dt.datetime) else \
        when > (timezone.localtime(timezone.now() + FUTURE_SLACK)).date()
    if future:
        errors.add(path, _("%(when)s is in the future; check the phone's date and time.")
                   % {"when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if isinstance(when, dt.datetime)
                      else when.isoformat()})

def attached_photos(v: Values, received: Received, paths: tuple[str, ...]) -> list:
    attachments = []
    for path in paths:
        name = v.text(path)
        if name and name in received.attachments:
            attachments.append(received.attachments[name])
    return attachments
