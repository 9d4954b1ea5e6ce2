"""Possible duplicate registrations in the household registry.

The linkage engine (`peaceops.linkage.engine.dedupe_records`) compares every current person of the registry
with the names as written, the birth date at the precision the registry holds, sex, the father's name and the
birthplace (never the household's origin: that is where the family was displaced to, not where a person was
born), and the household each person was registered in (its other members, by name: `linkage.households`).
Each proposed pair is stored once; a returns officer confirms it (the two identity records are merged through
`peaceops.core.identity.confirm_same_person`, so "returned as of D" counts the person once) or rejects it.
Decided pairs are never proposed again; every decision goes to the audit chain.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from peaceops.core import audit
from peaceops.core.identity import confirm_same_person, separate
from peaceops.core.models import Person, PersonName, Place
from peaceops.core.models.audit import AuditAction
from peaceops.linkage.engine import dedupe
from peaceops.linkage.interface import MatchProposal
from peaceops.linkage.names import normalise_name
from peaceops.returns.models import DuplicateProposal, DuplicateStatus, HouseholdMember

# The engine's default. Its probabilities are calibrated on the registry itself (the prior and u estimated from
# it, m learnt from labelled registries), so a namesake born years apart weighs against a match in the model:
# no policy of our own sets pairs aside.
DEFAULT_THRESHOLD = 0.9

FIELD_LABELS = {
    "surname": gettext_lazy("surname"),
    "given_name": gettext_lazy("given name"),
    "father_name": gettext_lazy("father's name"),
    "birth_date": gettext_lazy("birth date"),
    "birth_place": gettext_lazy("birthplace"),
    "sex": gettext_lazy("sex"),
    "household": gettext_lazy("household"),
}


@dataclass
class SearchResult:
    """What one run of the search did, for the summary line the page, API and CLI show."""

    people: int  # current persons of the registry compared
    records: int  # one per name as written (a person may have several spellings)
    threshold: float
    candidates: int = 0  # distinct pairs of persons the engine proposed
    created: int = 0  # new proposals
    refreshed: int = 0  # open proposals found again (probability and reasons updated)
    already_decided: int = 0  # pairs an officer has confirmed or rejected before: not proposed again
    notes: list[str] = field(default_factory=list)  # the engine's word on its calibration and any fallback

    def summary(self) -> str:
        line = _("%(people)d people compared (%(records)d names): %(created)d new proposals, %(refreshed)d "
                 "still open, %(decided)d already decided, threshold %(threshold).2f.") % {
            "people": self.people, "records": self.records, "created": self.created, "refreshed": self.refreshed,
            "decided": self.already_decided, "threshold": self.threshold}
        return " ".join([line, *self.notes])

    def as_dict(self) -> dict:
        return {"people": self.people, "records": self.records, "threshold": self.threshold,
                "candidates": self.candidates, "created": self.created, "refreshed": self.refreshed,
                "already_decided": self.already_decided, "notes": list(self.notes), "summary": self.summary()}


def _birth_date(year: int | None, month: int | None, day: int | None) -> str:
    """The date at the precision the registry holds: YYYY, YYYY-MM or YYYY-MM-DD."""
    if not year:
        return ""
    if month and day:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


PLACE_KEY = "place-"  # + the gazetteer place's id: what the engine compares birthplaces by


def place_names(keys: Iterable[str]) -> dict[str, str]:
    """The birthplace keys a proposal's reasons hold (`_place_resolver`: "place-23") → the places' names."""
    numbers = (key.removeprefix(PLACE_KEY) for key in keys if key.startswith(PLACE_KEY))
    ids = {int(number) for number in numbers if number.isdigit()}
    return {f"{PLACE_KEY}{pk}": name for pk, name in Place.objects.filter(pk__in=ids).values_list("pk", "name")}


def _place_resolver() -> Callable[[str], str | None]:
    """Birthplaces through the gazetteer's aliases (Khankendi and Stepanakert are one place); only confident
    resolutions count, a fuzzy guess would make two different villages agree."""
    from peaceops.core import gazetteer

    cache: dict[str, str | None] = {}

    def resolve(text: str) -> str | None:
        if text not in cache:
            try:
                found = gazetteer.resolve(text)
                cache[text] = f"{PLACE_KEY}{found.place.pk}" \
                    if found.method in ("id", "exact", "transliteration") else None
            except LookupError:
                cache[text] = None
        return cache[text]

    return resolve


def registry_person_ids() -> list[int]:
    """Current (not merged) persons who are members of a registered household."""
    return list(Person.objects.filter(pk__in=HouseholdMember.objects.values("person_id"), merged_into__isnull=True)
                .order_by("pk").values_list("pk", flat=True))


def registry_records(person_ids: Iterable[int] | None = None) -> list[dict]:
    """One linkage record per person and distinct name as written; ids are "<person id>:<n>"."""
    return registry_records_and_fathers(person_ids)[0]


def registry_records_and_fathers(person_ids: Iterable[int] | None = None) -> tuple[list[dict], dict[int, str]]:
    """`registry_records`, and which persons' father's name is their household head's (`_household_fathers`): a
    child with no father's name recorded takes it, and the proposals' reasons say so."""
    ids = registry_person_ids() if person_ids is None else list(person_ids)
    people = {row[0]: row for row in Person.objects.filter(pk__in=ids).values_list(
        "pk", "sex", "birth_year", "birth_month", "birth_day", "father_name", "birthplace_id", "birthplace_text")}
    place_names = dict(Place.objects.filter(pk__in={r[6] for r in people.values() if r[6]})
                       .values_list("pk", "name"))
    names: dict[int, list[str]] = defaultdict(list)
    primary: dict[int, str] = {}
    for person_id, full_name, is_primary in (
            PersonName.objects.filter(person_id__in=ids).order_by("person_id", "-is_primary", "id")
            .values_list("person_id", "full_name", "is_primary")):
        if is_primary:
            primary.setdefault(person_id, full_name)
        if full_name not in names[person_id]:
            names[person_id].append(full_name)
    memberships = _first_memberships(ids)
    fathers = _household_fathers(memberships, {pk: row[5] for pk, row in people.items()}, primary)
    records = []
    for pk, (_pk, sex, year, month, day, father, place_id, place_text) in people.items():
        household = memberships[pk].label if pk in memberships else ""
        for i, name in enumerate(names.get(pk, [])):
            records.append({"id": f"{pk}:{i}", "name": name, "father_name": father or fathers.get(pk, ""),
                            "birth_date": _birth_date(year, month, day),
                            "birth_place": place_names.get(place_id, "") if place_id else place_text,
                            "sex": "" if sex == "U" else sex, "household": household, "person_key": str(pk)})
    return records, fathers


@dataclass(frozen=True)
class _Membership:
    label: str  # the household as an officer reads it (`household_label`)
    relationship: str
    head_id: int
    head_sex: str


def _first_memberships(ids: list[int]) -> dict[int, _Membership]:
    """person id → the household the person was first registered in (the lowest id; one query), by its reference
    (what an officer reads among a proposal's reasons; "#id" for one without), with the person's relationship to
    its head. The engine reads each record's co-members off the other records of that household
    (`linkage.households`): a namesake registered with another family, none of whose members is in this one,
    weighs against a match."""
    out: dict[int, _Membership] = {}
    for person_id, household_id, reference, relationship, head_id, head_sex in (
            HouseholdMember.objects.filter(person_id__in=ids).order_by("person_id", "household_id")
            .values_list("person_id", "household_id", "household__reference", "relationship",
                         "household__head_id", "household__head__sex")):
        if person_id not in out:
            out[person_id] = _Membership(household_label(household_id, reference), relationship, head_id, head_sex)
    return out


# A member's relationship to the head, as clerks write it, that makes the head a parent.
CHILD_WORDS = frozenset({"child", "son", "daughter", "сын", "дочь", "ребенок", "ребёнок", "որդի", "դուստր",
                         "երեխա", "oğul", "oğlu", "qız", "qızı", "övlad", "uşaq"})


def _household_fathers(memberships: dict[int, _Membership], fathers: dict[int, str],
                       primary: dict[int, str]) -> dict[int, str]:
    """person id → the name of the head of the household the person was first registered in, for a person with no
    father's name recorded who is registered there as the head's child, where the head is a man of the person's
    surname (by skeleton: Моисеев and Моисеева are one). `fathers` and `primary`: each person's father's name as
    recorded and primary name; a head outside them is read here.

    A household's form lists the father once, as its head, and clerks leave the children's father's name blank:
    two children of one name and birth date in two families of one surname (heads Yuri and Ohan) had nothing to
    tell them apart but this."""
    children = {pk: m.head_id for pk, m in memberships.items()
                if m.head_sex == "M" and m.head_id != pk and m.relationship.strip().lower() in CHILD_WORDS
                and fathers.get(pk) == ""}
    missing = set(children.values()) - primary.keys()
    heads = {**primary, **dict(PersonName.objects.filter(person_id__in=missing, is_primary=True)
                               .values_list("person_id", "full_name"))} if missing else primary
    out = {}
    for pk, head_id in children.items():
        child, head = primary.get(pk), heads.get(head_id)
        if not (child and head):
            continue
        child_name, head_name = normalise_name(child), normalise_name(head)
        if child_name.surname_skeleton and child_name.surname_skeleton == head_name.surname_skeleton \
                and head_name.given:
            out[pk] = head
    return out


def household_label(household_id: int, reference: str) -> str:
    """A household as an officer reads it: its reference, "#id" for one without."""
    return reference or f"#{household_id}"


def _person_id(record_id: str) -> int:
    return int(record_id.split(":", 1)[0])


def _reasons(proposal: MatchProposal, swap: bool) -> list[dict]:
    """The engine's per-field explanation, oriented so `left` is the stored left person."""
    return [{"field": e.field, "level": e.level, "weight": round(e.match_weight, 2), "agrees": e.agrees,
             "left": e.right_value if swap else e.left_value, "right": e.left_value if swap else e.right_value}
            for e in proposal.explanation]


def _pairs(proposals: list[MatchProposal]) -> dict[tuple[int, int], tuple[float, list[dict]]]:
    """Best proposal per pair of persons (several spellings give several record pairs for one pair)."""
    best: dict[tuple[int, int], tuple[float, list[dict]]] = {}
    for proposal in proposals:
        a, b = _person_id(proposal.left_id), _person_id(proposal.right_id)
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        if key not in best or proposal.probability > best[key][0]:
            best[key] = (round(proposal.probability, 4), _reasons(proposal, swap=a > b))
    return best


def _mark_fathers_from_households(pairs: dict[tuple[int, int], tuple[float, list[dict]]],
                                  fathers: dict[int, str]) -> None:
    """The father's-name reason says which side's name is the household head's, not one the registry recorded."""
    for (left, right), (_probability, reasons) in pairs.items():
        sides = [side for side, pk in (("left", left), ("right", right)) if pk in fathers]
        for reason in reasons:
            if sides and reason["field"] == "father_name":
                reason["from_household"] = sides


def find_duplicates(user=None, threshold: float | None = None,
                    progress: Callable[[str], None] | None = None) -> SearchResult:
    """Run the engine over the registry and store its proposals. Re-running is safe: a pair already proposed is
    updated in place, a pair already decided is left alone."""
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    if not 0 < threshold <= 1:
        raise ValidationError({"threshold": _("The threshold is a probability between 0 and 1.")})
    person_ids = registry_person_ids()
    records, fathers = registry_records_and_fathers(person_ids)
    result = SearchResult(people=len(person_ids), records=len(records), threshold=threshold)
    run = dedupe(records, threshold=threshold, place_key=_place_resolver(), progress=progress)
    result.notes = run.notes
    pairs = _pairs(run.proposals)
    _mark_fathers_from_households(pairs, fathers)
    result.candidates = len(pairs)
    try:
        with transaction.atomic():
            # Every stored pair (decided ones included): the table holds pairs, not people, so it stays small.
            existing = {(left, right): (pk, status) for pk, left, right, status
                        in DuplicateProposal.objects.values_list("pk", "left_id", "right_id", "status")}
            new, open_ids = [], {}
            for key, (probability, reasons) in pairs.items():
                if key not in existing:
                    new.append(DuplicateProposal(left_id=key[0], right_id=key[1], probability=probability,
                                                 explanation=reasons))
                elif existing[key][1] == DuplicateStatus.PROPOSED:
                    open_ids[existing[key][0]] = (probability, reasons)
                else:
                    result.already_decided += 1
            bulk_create_with_history(new, DuplicateProposal, batch_size=1000)
            if open_ids:
                rows = list(DuplicateProposal.objects.filter(pk__in=list(open_ids)))
                for row in rows:
                    row.probability, row.explanation = open_ids[row.pk]
                    row.updated_at = timezone.now()
                bulk_update_with_history(rows, DuplicateProposal, ["probability", "explanation", "updated_at"],
                                         batch_size=1000)
            result.created, result.refreshed = len(new), len(open_ids)
            audit.append(AuditAction.BULK, DuplicateProposal._meta.label, "", "duplicate search",
                         {"count": len(new), **{k: v for k, v in result.as_dict().items() if k != "summary"}},
                         actor=getattr(user, "username", None) or None)
    except IntegrityError:
        raise ValidationError(_("Another search stored proposals at the same moment; run the search again.")) \
            from None
    return result


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    return reason


def _open(proposal: DuplicateProposal) -> DuplicateProposal:
    proposal = DuplicateProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != DuplicateStatus.PROPOSED:
        raise ValidationError(_("This proposal was already %(status)s.") % {"status": proposal.get_status_display()})
    return proposal


def first_registered(person_ids: Iterable[int]) -> dict[int, dt.date]:
    """person id → the earliest registration date of any household the person belongs to."""
    return dict(HouseholdMember.objects.filter(person_id__in=list(person_ids)).values_list("person_id")
                .annotate(first=Min("household__registered_on")).values_list("person_id", "first"))


def choose_survivor(a: Person, b: Person) -> tuple[Person, Person]:
    """(survivor, duplicate): the earlier registration survives; on the same day, the record created first."""
    dates = first_registered([a.pk, b.pk])
    far = dt.date.max
    survivor, duplicate = sorted((a, b), key=lambda p: (dates.get(p.pk, far), p.pk))
    return survivor, duplicate


def _decide(proposal: DuplicateProposal, status: str, user, reason: str, survivor: Person | None = None) -> None:
    proposal.status, proposal.reason = status, reason
    proposal.decided_by = user if getattr(user, "is_authenticated", False) else None
    proposal.decided_at = timezone.now()
    proposal.survivor = survivor
    proposal.save()
    audit.append(AuditAction.DECISION, DuplicateProposal._meta.label, proposal.pk, "",
                 {"status": status, "left": proposal.left_id, "right": proposal.right_id,
                  "probability": proposal.probability, "survivor": survivor.pk if survivor else None,
                  "reason": reason}, actor=getattr(user, "username", None) or None)


@transaction.atomic
def confirm(proposal: DuplicateProposal, user, reason: str) -> Person:
    """The two registrations are one person: merge the later into the earlier; returns the survivor."""
    reason = _required_reason(reason)
    proposal = _open(proposal)
    left, right = proposal.left.canonical(), proposal.right.canonical()
    if left.pk == right.pk:
        # Already merged by another decision: record the officer's agreement, nothing more to merge.
        survivor = left
    else:
        survivor, duplicate = choose_survivor(left, right)
        survivor = confirm_same_person(duplicate, survivor, user, reason)
    _decide(proposal, DuplicateStatus.CONFIRMED, user, reason, survivor)
    return survivor


@transaction.atomic
def reject(proposal: DuplicateProposal, user, reason: str) -> None:
    """Two different people: recorded, and the pair is not proposed again."""
    reason = _required_reason(reason)
    proposal = _open(proposal)
    if proposal.left.canonical().pk == proposal.right.canonical().pk:
        raise ValidationError(_("These records are already merged into one person; reopen the decision that "
                                "merged them first."))
    _decide(proposal, DuplicateStatus.REJECTED, user, reason)


@transaction.atomic
def reopen(proposal: DuplicateProposal, user, reason: str) -> None:
    """Take a decision back to 'proposed'. Undoing a merge separates the record this decision merged, so both
    registrations count on their own again (the returns tallies follow at once)."""
    reason = _required_reason(reason)
    proposal = DuplicateProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status == DuplicateStatus.PROPOSED:
        raise ValidationError(_("This proposal has not been decided yet."))
    previous, separated = proposal.status, None
    if previous == DuplicateStatus.CONFIRMED:
        # The record merged by this decision is the one that did not survive; when another decision had
        # already merged the pair, this one merged nothing and undoing it separates nothing.
        duplicate = ({proposal.left_id: proposal.right, proposal.right_id: proposal.left}.get(proposal.survivor_id)
                     if proposal.survivor_id is not None else None)
        if duplicate is not None and duplicate.merged_into_id is not None:
            separated = separate(duplicate, user, reason).pk
    proposal.status, proposal.reason, proposal.decided_by, proposal.decided_at, proposal.survivor = (
        DuplicateStatus.PROPOSED, "", None, None, None)
    proposal.save()
    audit.append(AuditAction.DECISION, DuplicateProposal._meta.label, proposal.pk, "",
                 {"status": "reopened", "was": previous, "separated": separated, "reason": reason},
                 actor=getattr(user, "username", None) or None)

