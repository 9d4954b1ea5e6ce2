"""Identification of the dead: ante-mortem data and family contacts on missing-person cases, post-mortem data and
recovery sites on remains, DNA samples, the laboratory's match reports (imported from its CSV) that an officer
confirms or rejects, and the ante-mortem / post-mortem comparison that ranks candidate pairs.

Every decision goes to the audit chain; a confirmation is undone (with its reason) as long as the remains have not
been handed over."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from peaceops.core import attachments, audit, csvsafe, uploads
from peaceops.core.models.audit import AuditAction
from peaceops.exchanges.models import (
    AmPmCandidate,
    AnteMortem,
    DecisionStatus,
    DnaMatch,
    DnaSample,
    FamilyContact,
    Identification,
    IdentificationMethod,
    MissingCase,
    MissingStatus,
    PostMortem,
    RecoverySite,
    RemainsCase,
    SampleKind,
    TracingMatch,
)
from peaceops.exchanges.models.identification import dental_set
from peaceops.exchanges.services import ExchangeError
from peaceops.exchanges.services.imports import LineError

# Below this likelihood ratio a laboratory report is kept but cannot be confirmed on its own: more relatives'
# samples are needed (the usual practice asks for far more; the laboratory's own threshold governs).
MIN_CONFIRM_LR = 10_000.0


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def _actor(user) -> str:
    return getattr(user, "username", "") or ""


def _today() -> dt.date:
    return timezone.localdate()


# --- ante-mortem, family ------------------------------------------------------------------------------------

@transaction.atomic
def add_family_contact(case: MissingCase, **fields) -> FamilyContact:
    fields.setdefault("recorded_on", _today())
    return _saved(FamilyContact(missing_case=case, **fields))


@transaction.atomic
def save_ante_mortem(case: MissingCase, **fields) -> AnteMortem:
    """Create or update the case's ante-mortem record (one per case; earlier versions stay in its history)."""
    return _saved_one_per_case(AnteMortem, {"missing_case": case}, fields)


# --- post-mortem, recovery sites -------------------------------------------------------------------------------

@transaction.atomic
def record_recovery_site(**fields) -> RecoverySite:
    return _saved(RecoverySite(**fields))


@transaction.atomic
def save_post_mortem(case: RemainsCase, **fields) -> PostMortem:
    """Create or update the remains' post-mortem record (one per case; earlier versions stay in its history)."""
    return _saved_one_per_case(PostMortem, {"remains_case": case}, fields)


def _saved_one_per_case(model, case: dict, fields: dict):
    record = model.objects.filter(**case).first() or model(**case)
    for name, value in fields.items():
        setattr(record, name, value)
    return _saved(record)


def add_photograph(record: AnteMortem | PostMortem, stream, filename: str, user=None):
    """A photograph into the attachment store, marked sensitive, linked to the ante- or post-mortem record."""
    data = stream.read()
    uploads.check_photo(filename, data)
    stored = attachments.store(io.BytesIO(data), filename, user=user, sensitive=True)
    record.photographs.add(stored)
    return stored


# --- DNA ------------------------------------------------------------------------------------------------------

@transaction.atomic
def register_sample(**fields) -> DnaSample:
    """A reference sample names its donor (a family contact) and the missing case; one from remains its case."""
    donor = fields.get("donor")
    if fields.get("kind") == SampleKind.REFERENCE and donor is not None:
        fields.setdefault("missing_case", donor.missing_case)
    sample = _saved(DnaSample(**fields))
    if sample.remains_case_id and not sample.remains_case.dna_required:
        case = sample.remains_case
        case.dna_required = True
        case.save()
    return sample


LAB_COLUMNS = {
    "reference_sample": {"referencesample", "reference", "familysample", "refsample"},
    "remains_sample": {"remainssample", "remains", "pmsample", "bonesample"},
    "likelihood_ratio": {"likelihoodratio", "lr"},
    "laboratory": {"laboratory", "lab"},
    "reported_on": {"reportedon", "date", "reportdate"},
}


def _header(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.strip().lower())


@dataclass
class LabImport:
    saved: list[DnaMatch] = field(default_factory=list)
    skipped: int = 0  # reports already imported
    errors: list[LineError] = field(default_factory=list)


def import_lab_results(data: bytes, user=None, laboratory: str = "") -> LabImport:
    """The laboratory's CSV of match reports: one row per sample pair. Each good row becomes a proposed
    identification; each bad row is reported with its line and reason and the rest are kept (the import
    contract of `peaceops.core.importing`). A report already imported is skipped."""
    result = LabImport()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(LineError(1, _("The file is not UTF-8 text.")))
        return result
    rows = csvsafe.reader(io.StringIO(text))
    header = next(rows, None)
    if not header:
        result.errors.append(LineError(1, _("The file is empty.")))
        return result
    mapping = {}
    for i, cell in enumerate(header):
        for name, spellings in LAB_COLUMNS.items():
            if _header(cell) in spellings:
                mapping[i] = name
    required = {"reference_sample", "remains_sample", "likelihood_ratio", "reported_on"}
    if not laboratory:
        required.add("laboratory")
    if missing := sorted(required - set(mapping.values())):
        result.errors.append(LineError(1, _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}))
        return result
    for line, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in mapping.items()}
        try:
            with transaction.atomic():
                match = _save_lab_row(values, laboratory)
        except (ExchangeError, ValidationError, IntegrityError) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                result.errors.append(LineError(line, message))
            continue
        if match is None:
            result.skipped += 1
        else:
            result.saved.append(match)
    if result.saved:
        audit.record_bulk(DnaMatch, len(result.saved), "laboratory results", actor=_actor(user) or None)
    return result


def _save_lab_row(values: dict[str, str], laboratory: str) -> DnaMatch | None:
    samples = {s.sample_id: s for s in DnaSample.objects.filter(
        sample_id__in=[values["reference_sample"], values["remains_sample"]])}
    reference, remains = samples.get(values["reference_sample"]), samples.get(values["remains_sample"])
    errors = []
    if reference is None or reference.kind != SampleKind.REFERENCE:
        errors.append(_("reference_sample %(id)s is not a registered reference sample") % {
            "id": values["reference_sample"]})
    if remains is None or remains.kind != SampleKind.REMAINS:
        errors.append(_("remains_sample %(id)s is not a registered sample from remains") % {
            "id": values["remains_sample"]})
    try:
        ratio = float(values["likelihood_ratio"].replace(",", "").replace(" ", ""))
        if not ratio >= 1 or ratio == float("inf"):
            raise ValueError
    except ValueError:
        ratio = None
        errors.append(_("likelihood_ratio must be a number of at least 1 (a lower ratio does not support a "
                        "match)"))
    try:
        reported = dt.date.fromisoformat(values["reported_on"])
        if reported > _today():
            errors.append(_("reported_on is in the future"))
    except ValueError:
        reported = None
        errors.append(_("reported_on must be a date (YYYY-MM-DD)"))
    lab = values.get("laboratory") or laboratory
    if not lab:
        errors.append(_("laboratory is empty"))
    if errors:
        raise ExchangeError("; ".join(errors))
    assert ratio is not None and reported is not None  # otherwise refused above
    if DnaMatch.objects.filter(reference_sample=reference, remains_sample=remains, laboratory=lab[:200]).exists():
        return None
    return _saved(DnaMatch(reference_sample=reference, remains_sample=remains, likelihood_ratio=ratio,
                           laboratory=lab[:200], reported_on=reported))


def _decision_event(obj, status: str, user, **detail) -> None:
    audit.append(AuditAction.DECISION, obj._meta.label, obj.pk, "", {"status": status, **detail},
                 actor=_actor(user))


def _cases_of(match: DnaMatch) -> tuple[int, int]:
    """The remains case and the missing-person case that a match's two samples were taken for."""
    remains_id, missing_id = match.remains_sample.remains_case_id, match.reference_sample.missing_case_id
    assert remains_id is not None and missing_id is not None, "a match pairs a remains sample and a reference sample"
    return remains_id, missing_id


@transaction.atomic
def confirm_dna_match(match: DnaMatch, user, note: str = "") -> RemainsCase:
    """The officer confirms the laboratory's report: the remains are identified by DNA as the missing person,
    whose case is resolved (found deceased). What changed is kept so that it can be undone."""
    match = DnaMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != DecisionStatus.PROPOSED:
        raise ExchangeError(_("This report was already %(status)s.") % {"status": match.get_status_display()})
    if match.likelihood_ratio < MIN_CONFIRM_LR:
        raise ExchangeError(_("A likelihood ratio below %(min)s does not identify on its own; ask the laboratory "
                              "to test more relatives.") % {"min": f"{MIN_CONFIRM_LR:,.0f}"})
    remains_id, missing_id = _cases_of(match)
    remains = RemainsCase.objects.select_for_update().get(pk=remains_id)
    missing = MissingCase.objects.select_for_update().get(pk=missing_id)
    if remains.person_id and remains.person_id != missing.person_id:
        raise ExchangeError(_("These remains are already identified as another person; correct that first."))
    if DnaMatch.objects.filter(status=DecisionStatus.CONFIRMED, reference_sample__missing_case=missing).exclude(
            remains_sample__remains_case=remains).exists():
        raise ExchangeError(_("This missing person is already identified in other remains; reopen that decision "
                            "first (or record a body part in the post-mortem data)."))
    today = _today()
    match.undo = {"remains": {"person": remains.person_id, "status": remains.identification_status,
                              "method": remains.identification_method,
                              "on": remains.identified_on.isoformat() if remains.identified_on else None},
                  "missing": {"status": missing.status,
                              "closed_on": missing.closed_on.isoformat() if missing.closed_on else None}}
    already = remains.identification_status == Identification.IDENTIFIED and remains.identified_on
    remains.person = missing.person
    remains.identification_status = Identification.IDENTIFIED
    remains.identification_method = IdentificationMethod.DNA
    remains.identified_on = remains.identified_on if already else today
    _saved(remains)
    if missing.status == MissingStatus.OPEN:
        missing.status, missing.closed_on = MissingStatus.FOUND_DECEASED, today
        _saved(missing)
    match.decide(DecisionStatus.CONFIRMED, user, note)
    match.save()
    _decision_event(match, DecisionStatus.CONFIRMED, user, likelihood_ratio=match.likelihood_ratio, note=note,
                    remains=remains.pk, missing=missing.pk)
    return remains


@transaction.atomic
def reject_dna_match(match: DnaMatch, user, note: str = "") -> None:
    match = DnaMatch.objects.select_for_update().get(pk=match.pk)
    if match.status != DecisionStatus.PROPOSED:
        raise ExchangeError(_("This report was already %(status)s.") % {"status": match.get_status_display()})
    match.decide(DecisionStatus.REJECTED, user, note)
    match.save()
    _decision_event(match, DecisionStatus.REJECTED, user, note=note)


@transaction.atomic
def reopen_dna_match(match: DnaMatch, user, reason: str) -> None:
    """Back to proposed, with a reason; a confirmation's identification is undone unless the remains were
    handed over (then the correction is a new case note, not an undo)."""
    match = DnaMatch.objects.select_for_update().get(pk=match.pk)
    if not reason.strip():
        raise ExchangeError(_("Say why the decision is reopened; the reason goes to the audit log."))
    if match.status == DecisionStatus.PROPOSED:
        raise ExchangeError(_("This report has not been decided yet."))
    previous = match.status
    if previous == DecisionStatus.CONFIRMED:
        remains_id, missing_id = _cases_of(match)
        remains = RemainsCase.objects.select_for_update().get(pk=remains_id)
        if remains.handed_over_on:
            raise ExchangeError(_("These remains have been handed over on the strength of this identification; "
                                  "it can no longer be undone. Record the correction in the case file."))
        before = match.undo["remains"]
        remains.person_id, remains.identification_status = before["person"], before["status"]
        remains.identification_method = before["method"]
        remains.identified_on = dt.date.fromisoformat(before["on"]) if before["on"] else None
        remains.save()
        missing = MissingCase.objects.select_for_update().get(pk=missing_id)
        was = match.undo["missing"]
        missing.status = was["status"]
        missing.closed_on = dt.date.fromisoformat(was["closed_on"]) if was["closed_on"] else None
        missing.save()
    match.decide(DecisionStatus.PROPOSED, user)
    match.save()
    _decision_event(match, "reopened", user, was=previous, reason=reason)


# --- AM/PM comparison ----------------------------------------------------------------------------------------

AGE_TOLERANCE = 2  # years either side of the post-mortem estimate
STATURE_TOLERANCE = 5  # cm
WORD = re.compile(r"\w{4,}", re.UNICODE)


def _reason(field_: str, level: str, weight: float, left, right, detail: str = "") -> dict:
    """One field's verdict. Field and level are kept in English and translated where shown, so a comparison
    run by one officer reads in the language of the next."""
    return {"field": field_, "level": level, "detail": detail, "weight": weight, "agrees": weight > 0,
            "left": "" if left in (None, "") else str(left), "right": "" if right in (None, "") else str(right)}


def _range(low, high) -> str:
    if low is None and high is None:
        return ""
    return f"{'' if low is None else low}–{'' if high is None else high}"


def compare_pair(am: AnteMortem, pm: PostMortem, sex: str) -> tuple[float, list[dict], bool]:
    """Score one pair: (score, reasons per field, excluded). Left is the missing person, right the remains."""
    reasons, excluded = [], False
    # sex
    if sex in ("F", "M") and pm.sex_estimate in ("F", "M"):
        if sex == pm.sex_estimate:
            reasons.append(_reason(gettext_noop("sex"), gettext_noop("same"), 2.0, sex, pm.sex_estimate))
        else:
            reasons.append(_reason(gettext_noop("sex"), gettext_noop("different: excluded"), -10.0, sex, pm.sex_estimate))
            excluded = True
    else:
        reasons.append(_reason(gettext_noop("sex"), gettext_noop("unknown on one side"), 0.0, sex, pm.sex_estimate))
    # age
    age = am.age_at_disappearance
    if age is not None and (pm.age_min is not None or pm.age_max is not None):
        low = (pm.age_min if pm.age_min is not None else 0) - AGE_TOLERANCE
        high = (pm.age_max if pm.age_max is not None else 200) + AGE_TOLERANCE
        inside = low <= age <= high
        reasons.append(_reason(gettext_noop("age"), gettext_noop("within the estimate") if inside else gettext_noop("outside the estimate"),
                               2.0 if inside else -4.0, age, _range(pm.age_min, pm.age_max)))
    else:
        reasons.append(_reason(gettext_noop("age"), gettext_noop("unknown on one side"), 0.0, age, _range(pm.age_min, pm.age_max)))
    # stature
    stature = am.stature_cm
    if stature is not None and (pm.stature_min_cm is not None or pm.stature_max_cm is not None):
        low = (pm.stature_min_cm or 0) - STATURE_TOLERANCE
        high = (pm.stature_max_cm or 300) + STATURE_TOLERANCE
        inside = low <= stature <= high
        reasons.append(_reason(gettext_noop("stature"), gettext_noop("within the estimate") if inside else gettext_noop("outside the estimate"),
                               2.0 if inside else -3.0, stature, _range(pm.stature_min_cm, pm.stature_max_cm)))
    else:
        reasons.append(_reason(gettext_noop("stature"), gettext_noop("unknown on one side"), 0.0, stature,
                               _range(pm.stature_min_cm, pm.stature_max_cm)))
    # dental: a tooth missing in life is missing after death; a tooth lost later may be missing only after death
    am_teeth, pm_teeth = dental_set(am.dental_missing), dental_set(pm.dental_missing)
    if am_teeth or pm_teeth:
        if am_teeth - pm_teeth:
            reasons.append(_reason(gettext_noop("dental"), gettext_noop("teeth missing in life are present"), -6.0,
                                   ", ".join(sorted(am_teeth)), ", ".join(sorted(pm_teeth))))
        elif am_teeth:
            reasons.append(_reason(gettext_noop("dental"), gettext_noop("consistent"), 1.5 * len(am_teeth),
                                   ", ".join(sorted(am_teeth)), ", ".join(sorted(pm_teeth))))
        else:
            reasons.append(_reason(gettext_noop("dental"), gettext_noop("no teeth missing in life recorded"), 0.0, "",
                                   ", ".join(sorted(pm_teeth))))
    else:
        reasons.append(_reason(gettext_noop("dental"), gettext_noop("nothing recorded"), 0.0, "", ""))
    # clothing and effects: words both sides name
    am_words = {w.casefold() for w in WORD.findall(f"{am.clothing} {am.effects}")}
    pm_words = {w.casefold() for w in WORD.findall(f"{pm.clothing} {pm.effects}")}
    shared = sorted(am_words & pm_words)
    if shared:
        reasons.append(_reason(gettext_noop("effects"), gettext_noop("described alike"),
                               min(3.0, float(len(shared))), am.effects or am.clothing, pm.effects or pm.clothing,
                               detail=", ".join(shared[:6])))
    else:
        reasons.append(_reason(gettext_noop("effects"), gettext_noop("nothing in common") if am_words and pm_words else
                               gettext_noop("unknown on one side"), 0.0, am.effects or am.clothing, pm.effects or pm.clothing))
    score = round(sum(r["weight"] for r in reasons), 2)
    return score, reasons, excluded


def compare_all(user=None, min_score: float = 3.0) -> int:
    """Compare every open missing case with ante-mortem data against every unidentified remains with post-mortem
    data; store the pairs scoring at least `min_score` (none with a hard exclusion). Re-running keeps decisions
    and refreshes the scores of pairs still open. Returns the number of new candidates."""
    ams = list(AnteMortem.objects.filter(missing_case__status=MissingStatus.OPEN)
               .select_related("missing_case__person"))
    pms = list(PostMortem.objects.exclude(remains_case__identification_status=Identification.IDENTIFIED))
    existing = {(c.missing_case_id, c.remains_case_id): c for c in AmPmCandidate.objects.all()}
    new, refreshed = [], []
    for am in ams:
        sex = am.missing_case.person.sex
        for pm in pms:
            score, reasons, excluded = compare_pair(am, pm, sex)
            key = (am.missing_case_id, pm.remains_case_id)
            known = existing.get(key)
            if known is not None:
                if known.status == DecisionStatus.PROPOSED and (known.score, known.reasons) != (score, reasons):
                    known.score, known.reasons = score, reasons
                    refreshed.append(known)
                continue
            if not excluded and score >= min_score:
                new.append(AmPmCandidate(missing_case_id=key[0], remains_case_id=key[1], score=score,
                                         reasons=reasons))
    with transaction.atomic():
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        bulk_create_with_history(new, AmPmCandidate)
        if refreshed:
            bulk_update_with_history(refreshed, AmPmCandidate, ["score", "reasons"])
        if new or refreshed:
            audit.record_bulk(AmPmCandidate, len(new) + len(refreshed), "ante-mortem / post-mortem comparison",
                              actor=_actor(user) or None)
    return len(new)


@transaction.atomic
def decide_candidate(candidate: AmPmCandidate, status: str, user, note: str = "") -> None:
    """Confirmed: the pair is worth a DNA test (or another identification method); rejected: excluded."""
    candidate = AmPmCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DecisionStatus.PROPOSED:
        raise ExchangeError(_("This pair was already %(status)s.") % {"status": candidate.get_status_display()})
    candidate.decide(status, user, note)
    candidate.save()
    _decision_event(candidate, status, user, score=candidate.score, note=note)


@transaction.atomic
def reopen_candidate(candidate: AmPmCandidate, user, reason: str) -> None:
    candidate = AmPmCandidate.objects.select_for_update().get(pk=candidate.pk)
    if not reason.strip():
        raise ExchangeError(_("Say why the decision is reopened; the reason goes to the audit log."))
    if candidate.status == DecisionStatus.PROPOSED:
        raise ExchangeError(_("This pair has not been decided yet."))
    previous = candidate.status
    candidate.decide(DecisionStatus.PROPOSED, user)
    candidate.save()
    _decision_event(candidate, "reopened", user, was=previous, reason=reason)


# --- the family of a missing person --------------------------------------------------------------------------

@dataclass
class Family:
    person: object
    missing_cases: list
    contacts: list
    samples: list
    tracing_requests: list
    remains: list


def family_of(person) -> Family:
    """Everything that concerns a missing person's family: their cases, the relatives on them, the relatives'
    reference samples, the tracing requests confirmed to be about the person, and remains identified as them."""
    cases = list(MissingCase.objects.filter(person=person))
    contacts = list(FamilyContact.objects.filter(missing_case__in=cases).select_related("missing_case"))
    samples = list(DnaSample.objects.filter(Q(missing_case__in=cases)).select_related("donor"))
    requests = [m.request for m in TracingMatch.objects.filter(person=person, status=DecisionStatus.CONFIRMED)
                .select_related("request")]
    remains = list(RemainsCase.objects.filter(person=person))
    return Family(person, cases, contacts, samples, requests, remains)

