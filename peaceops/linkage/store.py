"""The operation's model versions in the database: which one is in use, and switching between them."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from peaceops.core import audit
from peaceops.core.models.audit import AuditAction
from peaceops.linkage.models import ModelVersion
from peaceops.linkage.params import ModelParams

# A version's parameters never change once stored; the key carries its time, as a restored database may
# give an id to another version.
_cache: dict[tuple[int, str], ModelParams] = {}


def params_of(version: ModelVersion) -> ModelParams:
    key = (version.pk, version.created_at.isoformat())
    if key not in _cache:
        data = version.params
        _cache[key] = ModelParams(comparisons=data["comparisons"],
                                         query_prior=float(data.get("query_prior", 5e-5)),
                                         meta=data.get("meta", {}))
    return _cache[key]


def active_version() -> ModelVersion | None:
    return ModelVersion.objects.filter(active=True).select_related("created_by").first()


def current() -> tuple[ModelParams, str] | None:
    """The active version's parameters and the note runs print about it; None: the shipped model."""
    version = active_version()
    if version is None:
        return None
    confirmed = sum(k.get("confirmed", 0) for k in version.labels.values())
    return params_of(version), _(
        "m-probabilities from the operation's model version %(version)s, learnt from %(count)s confirmed "
        "proposals on %(date)s.") % {"version": version.pk, "count": confirmed,
                                     "date": version.created_at.strftime("%Y-%m-%d")}


@transaction.atomic
def activate(params: ModelParams, user, labels: dict, notes: list[str]) -> ModelVersion:
    """Store a new version and put it in use; the one it replaces stays, to go back to."""
    ModelVersion.objects.filter(active=True).update(active=False)
    version = ModelVersion.objects.create(params=params.as_json(), labels=labels, notes=notes, active=True,
                                          created_by=user if getattr(user, "is_authenticated", False) else None)
    audit.append(AuditAction.CREATE, ModelVersion._meta.label, version.pk, str(version),
                 {"labels": labels, "active": True}, actor=getattr(user, "username", None) or None)
    return version


@transaction.atomic
def use_shipped(user) -> None:
    """Back to the shipped model (no version in use); the stored versions are kept."""
    previous = list(ModelVersion.objects.filter(active=True).values_list("pk", flat=True))
    ModelVersion.objects.filter(active=True).update(active=False)
    audit.append(AuditAction.UPDATE, ModelVersion._meta.label, previous[0] if previous else "", "",
                 {"active": False, "shipped": True}, actor=getattr(user, "username", None) or None)
