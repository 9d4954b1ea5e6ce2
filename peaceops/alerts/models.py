"""Alert rules, alerts and their acknowledgement; tasks and referrals.

Recipients are kept as roles (",coordinator,analyst," so one indexed LIKE finds them on SQLite and PostgreSQL
alike) and named users. No model here holds a person's name: an alert or a task names its subject by model, id
and link only, and whoever follows the link reads it through that app's own (audited) page."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from peaceops.core.models.base import TravellingRecord, VisibleQuerySet


def pack_roles(roles) -> str:
    roles = sorted({str(r).strip() for r in roles if str(r).strip()})
    return f",{','.join(roles)}," if roles else ""


def unpack_roles(value: str) -> list[str]:
    return [r for r in (value or "").split(",") if r]


class Severity(models.TextChoices):
    INFO = "info", _("information")
    WARNING = "warning", _("warning")
    CRITICAL = "critical", _("critical")


class RuleQuerySet(VisibleQuerySet):
    view_capability = "alerts.view_rules"

    def active(self):
        return self.filter(active=True)


class AlertRule(TravellingRecord):
    """What a coordinator wants to hear about: an event kind, optional conditions on its facts, who is told and
    how, and after how long an unacknowledged alert goes further."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("event"), max_length=80, db_index=True)
    # {"district": 12} equality; {"district": [12, 13]} one of; {"min_casualties": 1} at least.
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    roles = models.CharField(_("roles told"), max_length=300, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                   verbose_name=_("people told"))
    email = models.BooleanField(_("send e-mail"), default=False)
    webhook = models.BooleanField(_("call the webhook"), default=False)
    escalate_after = models.PositiveIntegerField(_("escalate after (minutes)"), null=True, blank=True)
    escalate_to = models.CharField(_("escalate to roles"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    # Each version keeps whom it told: an edit that changes only the people told is a version too.
    history = HistoricalRecords(m2m_fields=[users])

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("alert rule")

    def __str__(self) -> str:
        return self.name

    @property
    def role_list(self) -> list[str]:
        return unpack_roles(self.roles)

    @property
    def escalate_role_list(self) -> list[str]:
        return unpack_roles(self.escalate_to)

    # Conditions that hold a gazetteer id; shown by the place's name in the reader's language, not "district=68".
    PLACE_CONDITIONS = ("district", "place", "checkpoint")

    @property
    def condition_items(self) -> list[tuple[str, str]]:
        from peaceops.core.models import Place

        items = []
        for key, value in (self.conditions or {}).items():
            place = Place.objects.filter(pk=value).first() if key in self.PLACE_CONDITIONS and str(value).isdigit() \
                else None
            items.append((key, str(place) if place else str(value)))
        return items


def _recipient_q(user, prefix: str = "") -> Q:
    from peaceops.core.roles import roles_of

    q = Q(**{f"{prefix}users": user})
    for role in roles_of(user):
        q |= Q(**{f"{prefix}roles__contains": f",{role},"})
    return q


class AlertQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        from peaceops.core.roles import COORDINATOR, can, has_role

        if not can(user, "alerts.view"):
            return self.none()
        if has_role(user, COORDINATOR):
            return self
        return self.filter(pk__in=self.model.objects.filter(_recipient_q(user)).values("pk"))

    def open(self):
        return self.filter(acknowledged_at__isnull=True)


class Alert(TravellingRecord):
    rule = models.ForeignKey(AlertRule, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts",
                             verbose_name=_("rule"))
    kind = models.CharField(_("event"), max_length=80, db_index=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    summary = models.CharField(_("summary"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    subject_model = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    once = models.CharField(max_length=200, blank=True, db_index=True)  # one alert per rule and key
    roles = models.CharField(_("roles told"), max_length=300, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                   verbose_name=_("people told"))
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    webhook_state = models.CharField(max_length=10, blank=True)  # "", pending, sent, failed
    webhook_attempts = models.PositiveSmallIntegerField(default=0)
    webhook_error = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("alert")
        indexes = [models.Index(fields=["acknowledged_at", "created_at"])]

    def __str__(self) -> str:
        return str(_("Alert")) + f" #{self.pk} {self.kind}"

    @property
    def role_list(self) -> list[str]:
        return unpack_roles(self.roles)

    @property
    def kind_label(self) -> str:
        from peaceops.core.events import event_kinds

        return str(event_kinds().get(self.kind, self.kind))


class TaskKind(models.TextChoices):
    INVESTIGATE = "investigate", _("investigate")
    PATROL = "patrol", _("send a patrol")
    REFER_INTERMEDIARY = "refer_intermediary", _("refer to the neutral intermediary")
    REFER_AGENCY = "refer_agency", _("refer to an agency")
    OTHER = "other", _("other")


REFERRAL_KINDS = (TaskKind.REFER_INTERMEDIARY, TaskKind.REFER_AGENCY)


class TaskState(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    DONE = "done", _("done")
    DECLINED = "declined", _("declined")


LIVE_STATES = (TaskState.OPEN, TaskState.ACCEPTED)


class TaskQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        from peaceops.core.roles import COORDINATOR, can, has_role

        if not can(user, "alerts.view_tasks"):
            return self.none()
        if has_role(user, COORDINATOR):
            return self
        return self.filter(Q(owner=user) | Q(created_by=user))

    def live(self):
        return self.filter(state__in=LIVE_STATES)


class Task(TravellingRecord):
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=200)
    details = models.TextField(_("details"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(_("state"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    subject_model = models.CharField(max_length=100, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    link = models.CharField(_("about"), max_length=300, blank=True)
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks",
                              verbose_name=_("alert"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("opened by"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    AUDIT_REPR = False  # a title or details may name a person

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        indexes = [models.Index(fields=["state", "due_at"]), models.Index(fields=["owner", "state"])]

    def __str__(self) -> str:
        return str(_("Task")) + f" #{self.pk}"

    @property
    def is_referral(self) -> bool:
        return self.kind in REFERRAL_KINDS


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("informed consent of the person")
    FAMILY = "family", _("consent of the family (the person cannot be asked)")
    VITAL = "vital_interest", _("vital interest of the person")
    MANDATE = "mandate", _("legal obligation or mandate of the receiving organisation")


class Referral(TravellingRecord):
    """A person's case passed to another organisation: on what basis, and exactly what was shared."""

    task = models.OneToOneField(Task, on_delete=models.PROTECT, related_name="referral")
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("referred to"))
    consent_basis = models.CharField(_("consent basis"), max_length=20, choices=ConsentBasis.choices)
    consent_note = models.CharField(_("how consent was recorded"), max_length=300, blank=True)
    shared = models.TextField(_("what was shared"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = VisibleQuerySet.as_manager()

    AUDIT_REPR = False

    class Meta:
        verbose_name = _("referral")
