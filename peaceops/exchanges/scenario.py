"""The exchanges part of the demo world.

Calibrated on the public record: remains recovered and exchanged from November with a DNA backlog (over 600
received by one side by 5 December, about 500 needing DNA, 135 identified and handed to families); an
all-for-all agreement in early December; the first exchange on 14 December 2020, 44 persons to one side and 12
to the other. The parties' lists name the same synthetic people in different scripts and spellings.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from peaceops.core import audit, csvsafe
from peaceops.core.models import Person, PersonName
from peaceops.core.record_state import record_bulk_update
from peaceops.core.text import detect_script
from peaceops.exchanges import scenario_names as names
from peaceops.exchanges.models import (
    DecisionStatus,
    DetentionCase,
    ExchangeEvent,
    MatchDecision,
    MissingCase,
    RemainsCase,
    TracingRequest,
)
from peaceops.exchanges.services import events
from peaceops.exchanges.services.imports import import_party_list
from peaceops.exchanges.services.reconcile import confirm, reconcile
from peaceops.exchanges.services.tracing import match_requests
from peaceops.search import services as name_search

D = dt.date
EXCHANGE_DAY, AGREED_DAY = D(2020, 12, 14), D(2020, 12, 7)


def _birth(rng: random.Random) -> D:
    return D(rng.randint(1960, 2001), rng.randint(1, 12), rng.randint(1, 28))


def _people(rng, count: int, origin: str, women_share: float) -> list[dict]:
    make = names.armenian_person if origin == "hy" else names.azerbaijani_person
    out = []
    for _ in range(count):
        sex = "F" if rng.random() < women_share else "M"
        out.append({**make(rng, sex), "sex": sex, "born": _birth(rng)})
    return out


def _create_persons(specs: list[dict], written_by: str) -> list[Person]:
    persons = Person.objects.bulk_create([
        Person(sex=s["sex"], birth_year=s["born"].year, birth_month=s["born"].month, birth_day=s["born"].day,
               father_name=names.own_spelling(s, s["sex"])[1]) for s in specs])
    rows = [PersonName(person=p, full_name=names.own_spelling(s, s["sex"])[0], is_primary=True,
                       written_by=written_by) for p, s in zip(persons, specs)]
    for row in rows:
        row.script = detect_script(row.full_name)
    PersonName.objects.bulk_create(rows)
    name_search.index(name_search.PERSON, [(p.pk, row.full_name) for p, row in zip(persons, rows)], replace=False)
    audit.record_bulk(Person, len(persons), f"scenario: {written_by}")
    for spec, person in zip(specs, persons):
        spec["person"] = person
    return persons


def _list_csv(specs: list[dict], rng, own: bool, prefix: str) -> bytes:
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(["reference", "name", "father_name", "birth_date", "sex"])
    for i, s in enumerate(specs, start=1):
        name, father = names.own_spelling(s, s["sex"]) if own else names.other_spelling(s, s["sex"], rng)
        born, roll = s["born"], rng.random()
        if own or roll < 0.7:
            written = born.isoformat()
        elif roll < 0.9 or born.day > 12:
            written = str(born.year)
        else:  # day and month swapped by the clerk
            written = D(born.year, born.day, born.month).isoformat()
        writer.writerow([f"{prefix}-{i:04d}", name, father, written, s["sex"]])
    return out.getvalue().encode("utf-8")


def _import(world, data: bytes, party: str, kind: str, day: D, title: str):
    return import_party_list(data, f"{title}.csv", party=world.parties[party], kind=kind, received_on=day,
                             received_via=world.parties["intermediary"], title=title,
                             user=world.users.get("exchange_officer"))


def _confirm_true(rec, truth: dict[int, Person], wanted: set[int], officer) -> set[int]:
    """Confirm the proposals an officer would: the true pair, for persons on the coming exchange."""
    confirmed = set()
    for decision in rec.decisions.select_related("left_entry").order_by("-probability"):
        person = truth.get(decision.left_entry_id)
        if person and decision.right_person_id == person.pk and person.pk in wanted and person.pk not in confirmed:
            confirm(decision, officer)
            confirmed.add(person.pk)
    decided = MatchDecision.objects.filter(reconciliation=rec, status=DecisionStatus.CONFIRMED)
    decided.update(decided_at=dt.datetime(2020, 12, 12, 10, tzinfo=dt.UTC))
    record_bulk_update(MatchDecision, decided.values_list("pk", flat=True), "scenario: decision times")
    return confirmed


def build_detainees(world) -> None:
    rng = random.Random(f"{world.seed}-exchanges-detainees")
    arm, az = world.parties["armenian-side"], world.parties["azerbaijani-side"]
    officer = world.users.get("exchange_officer")
    # Held by the Azerbaijani side: about 60 servicemen and 40 civilians (the December estimates).
    held_by_az = _people(rng, 100, "hy", 0.0)
    for spec in held_by_az[60:]:
        spec["sex"] = "F" if rng.random() < 0.3 else "M"
    held_by_arm = _people(rng, 14, "az", 0.0)
    _create_persons(held_by_az, "case file (Armenian side's report)")
    _create_persons(held_by_arm, "case file (Azerbaijani side's report)")
    cases = [DetentionCase(person=s["person"], kind="pow" if i < 60 else "civilian", holding_party=az,
                           detained_on=D(2020, 10, rng.randint(1, 31)) if i < 60 else D(2020, 11, rng.randint(1, 9)))
             for i, s in enumerate(held_by_az)]
    cases += [DetentionCase(person=s["person"], kind="pow", holding_party=arm, detained_on=D(2020, 10, rng.randint(1, 31)))
              for s in held_by_arm]
    DetentionCase.objects.bulk_create(cases)
    audit.record_bulk(DetentionCase, len(cases), "scenario")

    # Each side's lists; the holding side writes the other side's people its own way.
    acknowledged = held_by_az[:62]
    _import(world, _list_csv(held_by_az, rng, True, "AM-Y"), "armenian-side", "you_hold", D(2020, 12, 2),
            "Armenian side — persons we believe you hold")
    az_holds = _import(world, _list_csv(acknowledged, rng, False, "AZ-W"), "azerbaijani-side", "we_hold",
                       D(2020, 12, 3), "Azerbaijani side — persons we hold")
    arm_holds = _import(world, _list_csv(held_by_arm, rng, False, "AM-W"), "armenian-side", "we_hold",
                        D(2020, 12, 3), "Armenian side — persons we hold")
    _import(world, _list_csv(held_by_arm[:12] + _people(rng, 3, "az", 0.2), rng, True, "AZ-Y"), "azerbaijani-side",
            "you_hold", D(2020, 12, 2), "Azerbaijani side — persons we believe you hold")

    truth_az = {e.pk: s["person"] for e, s in zip(az_holds.entries.order_by("line"), acknowledged)}
    truth_arm = {e.pk: s["person"] for e, s in zip(arm_holds.entries.order_by("line"), held_by_arm)}
    confirmed_az = _confirm_true(reconcile(az_holds, user=officer), truth_az,
                                 {s["person"].pk for s in acknowledged}, officer)
    confirmed_arm = _confirm_true(reconcile(arm_holds, user=officer), truth_arm,
                                  {s["person"].pk for s in held_by_arm}, officer)

    event = ExchangeEvent.objects.create(
        kind="all_for_all", agreed_on=AGREED_DAY, date=EXCHANGE_DAY, intermediary=world.parties["intermediary"],
        place_text="transfer by military aircraft, under the neutral intermediary's supervision",
        notes="First exchange under the all-for-all agreement.")
    going = [(s["person"], az, arm) for s in acknowledged if s["person"].pk in confirmed_az][:44]
    going += [(s["person"], arm, az) for s in held_by_arm if s["person"].pk in confirmed_arm][:12]
    for i, (person, from_party, to_party) in enumerate(going):
        events.add_to_event(event, person, from_party, to_party)
        events.record_handover(event, person, "Red Cross delegation",
                               world.at(EXCHANGE_DAY, 15 + i // 30, (i * 2) % 60))
    events.complete_event(event, officer)
    ExchangeEvent.objects.filter(pk=event.pk).update(completed_at=world.at(EXCHANGE_DAY, 18))
    record_bulk_update(ExchangeEvent, [event.pk], "scenario: completion time")
    world.summary["persons exchanged"] = len(going)


def build_remains(world) -> None:
    rng = random.Random(f"{world.seed}-exchanges-remains")
    arm, az = world.parties["armenian-side"], world.parties["azerbaijani-side"]
    recoverers = [world.organisations.get("RC"), world.organisations.get("PK ENG")]
    places = [p for k, p in world.places.items() if k in ("hadrut", "shushi", "martuni", "martakert", "askeran")]
    early, late, other = world.scaled(640), world.scaled(160), world.scaled(60)
    dna_early = set(rng.sample(range(early), min(early, world.scaled(500))))
    identified_early = [i for i in range(early) if i not in dna_early][:world.scaled(135)]
    cases, identified = [], []
    for i in range(early + late + other):
        if i < early:
            recovered, holder = D(2020, 11, 12) + dt.timedelta(days=rng.randint(0, 21)), arm
        elif i < early + late:
            recovered, holder = D(2020, 12, 6) + dt.timedelta(days=rng.randint(0, 24)), arm
        else:
            recovered, holder = D(2020, 11, 15) + dt.timedelta(days=rng.randint(0, 40)), az
        received = min(recovered + dt.timedelta(days=rng.randint(0, 2)), D(2020, 12, 31))
        if i < early and received > D(2020, 12, 5):
            received = D(2020, 12, 5)  # the early batch: all received by 5 December
        dna = i in dna_early if i < early else rng.random() < 0.7
        case = RemainsCase(reference=f"RM-{i + 1:05d}", recovered_on=recovered, received_on=received,
                           holding_party=holder, recovered_by=rng.choice(recoverers),
                           recovered_place=rng.choice(places) if places else None, dna_required=dna,
                           condition=rng.choice(["complete", "partial", "fragmentary"]))
        if i in identified_early:
            case.identified_on = min(received + dt.timedelta(days=rng.randint(0, 2)), D(2020, 12, 4))
            case.identification_method = rng.choice(["documents", "visual"])
            case.handed_over_on = min(case.identified_on + dt.timedelta(days=1), D(2020, 12, 5))
            identified.append(case)
        elif dna and recovered < D(2020, 12, 20) and rng.random() < 0.12:  # the DNA laboratory catches up slowly
            case.identified_on = max(D(2020, 12, 8), recovered) + dt.timedelta(days=rng.randint(3, 20))
            case.identification_method = "dna"
            if case.identified_on <= D(2020, 12, 29):
                case.handed_over_on = case.identified_on + dt.timedelta(days=2)
            identified.append(case)
        cases.append(case)
    specs = _people(rng, len(identified), "hy", 0.05)
    for case, spec in zip(identified, specs):
        if case.holding_party == az:
            spec.update(names.azerbaijani_person(rng, spec["sex"]))
    persons = _create_persons(specs, "identification")
    for case, person in zip(identified, persons):
        case.person, case.identification_status = person, "identified"
        if case.handed_over_on:
            case.handed_over_to = "the family"
    RemainsCase.objects.bulk_create(cases)
    audit.record_bulk(RemainsCase, len(cases), "scenario")
    world.summary["remains cases"] = len(cases)


def build_missing_and_tracing(world) -> None:
    rng = random.Random(f"{world.seed}-exchanges-missing")
    arm, az = world.parties["armenian-side"], world.parties["azerbaijani-side"]
    specs = _people(rng, world.scaled(100), "hy", 0.2) + _people(rng, world.scaled(50), "az", 0.2)
    _create_persons(specs, "missing-person report")
    places = [world.places[k] for k in ("hadrut", "shushi", "martuni", "martakert", "askeran", "karvachar",
                                          "aghdam") if k in world.places]
    cases = []
    for spec in specs:
        reported = D(2020, 11, 12) + dt.timedelta(days=rng.randint(0, 38))
        cases.append(MissingCase(
            person=spec["person"], reported_by=rng.choice(["mother", "father", "wife", "brother", "sister"]),
            reported_by_party=arm if spec["origin"] == "hy" else az, reported_on=reported,
            last_seen_place=rng.choice(places) if places else None,
            last_seen_on=D(2020, 9, 27) + dt.timedelta(days=rng.randint(0, 43)),
            circumstances="Not heard from since the hostilities."))
    MissingCase.objects.bulk_create(cases)
    audit.record_bulk(MissingCase, len(cases), "scenario")
    # Families ask after people; the spelling is the family's own, and some are in the case files.
    detained = list(DetentionCase.objects.select_related("person").order_by("id")[:4])
    requests = []
    for i, case in enumerate(detained):
        name = case.person.primary_name.full_name if case.person.primary_name else ""
        # Parents know the birthday and the father's name: with the year alone, two detainees of the same
        # common name born the same year could not be told apart (the demo's name pools are small).
        requests.append(TracingRequest(
            sought_name=name, sought_birth_date=case.person.birth_date_display,
            sought_father_name=case.person.father_name, requested_by=f"Family {i + 1}",
            relationship="parent", contact="through the neutral intermediary's tracing office",
            received_on=D(2020, 11, 20) + dt.timedelta(days=i)))
    requests = TracingRequest.objects.bulk_create(requests)
    name_search.index(name_search.TRACING, [(r.pk, r.sought_name) for r in requests], replace=False)
    truth: list[tuple[int, int | None]] = [(r.pk, case.person_id) for r, case in zip(requests, detained)]
    truth += _family_requests(world, specs)
    match_requests(list(TracingRequest.objects.filter(pk__in=[pk for pk, _p in truth])))  # the registry read once
    world.truth["tracing requests"] = truth
    world.summary["missing cases"] = len(cases)


def _family_requests(world, missing: list[dict]) -> list[tuple[int, int | None]]:
    """Families asking after missing persons, in their own spelling (another script or romanisation, a father's
    name or not, the full date or the year), and a few asking after someone no file holds: the tracing
    search's known answers as (request id, person id or None). A stream of its own keeps every other draw."""
    rng = random.Random(f"{world.seed}-exchanges-tracing")
    sought = rng.sample(missing, min(len(missing), world.scaled(20)))
    strangers = _people(rng, world.scaled(5), "hy", 0.2) + _people(rng, world.scaled(3), "az", 0.2)
    requests, answers = [], []
    for i, spec in enumerate(sought + strangers):
        name, _father = names.other_spelling(spec, spec["sex"], rng)
        # A family knows the father's name, and mostly the birthday; they write them their own way.
        father = names.other_spelling({**spec, "given": spec["father"]}, "M", rng)[0].split()[0]
        born = spec["born"]
        requests.append(TracingRequest(
            sought_name=name, sought_father_name=father, sought_sex=spec["sex"],
            sought_birth_date=born.isoformat() if rng.random() < 0.8 else str(born.year),
            requested_by=f"Family {100 + i}", relationship=rng.choice(["mother", "father", "wife", "brother"]),
            contact="through the neutral intermediary's tracing office",
            received_on=D(2020, 11, 25) + dt.timedelta(days=rng.randint(0, 30))))
        answers.append(spec["person"].pk if "person" in spec else None)
    made = TracingRequest.objects.bulk_create(requests)
    name_search.index(name_search.TRACING, [(r.pk, r.sought_name) for r in made], replace=False)
    return [(r.pk, answer) for r, answer in zip(made, answers)]


def build_identification(world) -> None:
    from peaceops.exchanges.scenario_identification import build_identification as build

    build(world)


BUILDERS = [build_detainees, build_remains, build_missing_and_tracing, build_identification]
