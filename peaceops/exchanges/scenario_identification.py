"""The identification part of the demo world: relatives and ante-mortem data on some missing-person cases,
recovery sites and post-mortem data on some unidentified remains, DNA samples on both sides and a laboratory's
results (imported through the same CSV import as an officer's), then the AM/PM comparison. A stream of its own
keeps every other draw of the world unchanged. All people are synthetic."""

from __future__ import annotations

import datetime as dt
import random
from datetime import date as D

from peaceops.exchanges.models import (
    AnteMortem,
    FamilyContact,
    Identification,
    MissingCase,
    PostMortem,
    RecoverySite,
    RemainsCase,
    SampleKind,
)
from peaceops.exchanges.services import identification as services

LAB = "Forensic DNA laboratory (neutral intermediary)"
RELATIVES = ["mother", "father", "brother", "sister", "son", "daughter"]
CLOTHING = ["dark green jacket", "grey sweater", "black boots", "blue jeans", "brown coat", "camouflage trousers",
            "white shirt", "knitted hat"]
EFFECTS = ["wristwatch", "silver ring", "wedding ring", "small cross pendant", "mobile phone", "leather belt",
           "reading glasses", "prayer beads"]
TEETH = ["16", "26", "36", "46", "17", "27", "37", "47", "11", "21"]


def _pick(rng, items, k):
    return sorted(rng.sample(items, k))


def build_identification(world) -> None:
    rng = random.Random(f"{world.seed}-exchanges-identification")
    officer = world.users.get("exchange_officer")
    n_am, n_pm, n_true, n_lab = (min(world.scaled(n), cap) for n, cap in ((24, 80), (40, 120), (10, 30), (6, 20)))
    missing = list(MissingCase.objects.select_related("person").order_by("id")[:n_am])
    remains = list(RemainsCase.objects.filter(identification_status=Identification.UNIDENTIFIED, dna_required=True)
                   .order_by("id")[:n_pm])
    if not missing or not remains:
        return
    places = [p for k, p in world.places.items() if k in ("hadrut", "shushi", "martuni", "martakert", "askeran")]
    sites = []
    for i in range(max(2, min(6, len(remains) // 6))):
        place = places[i % len(places)] if places else None
        sites.append(RecoverySite.objects.create(
            reference=f"RS-{i + 1:03d}", place=place,
            latitude=round((float(place.latitude) if place and place.latitude else 39.8) + rng.uniform(-0.02, 0.02), 5),
            longitude=round((float(place.longitude) if place and place.longitude else 46.7) + rng.uniform(-0.02, 0.02), 5),
            description="Recovery site recorded by the search teams."))
    ams = {}
    for case in missing:
        contact = FamilyContact.objects.create(
            missing_case=case, name=f"Relative of case {case.pk}", relationship=rng.choice(RELATIVES),
            consent_to_share=rng.random() < 0.9, contact="through the neutral intermediary's tracing office",
            recorded_on=case.reported_on)
        born = case.person.birth_year
        seen = case.last_seen_on or case.reported_on
        ams[case.pk] = AnteMortem.objects.create(
            missing_case=case, collected_from=contact, collected_on=case.reported_on + dt.timedelta(days=3),
            age_at_disappearance=(seen.year - born) if born else None,
            stature_cm=rng.randint(158, 176) if case.person.sex == "F" else rng.randint(165, 190),
            description="Medium build, dark hair.", dental_missing=", ".join(_pick(rng, TEETH, rng.randint(0, 2))),
            clothing=", ".join(_pick(rng, CLOTHING, 2)), effects=", ".join(_pick(rng, EFFECTS, 2)),
            medical="No known fractures." if rng.random() < 0.7 else "Old fracture of the left forearm.")
        services.register_sample(kind=SampleKind.REFERENCE, donor=contact, sample_id=f"REF-{case.pk:05d}",
                                 laboratory=LAB, taken_on=case.reported_on + dt.timedelta(days=5))
    # The first n_true remains are missing persons among those with ante-mortem data: their post-mortem
    # findings agree with what the families said; the rest are other people.
    truth = list(zip(remains[:n_true], missing[:n_true]))
    true_of = {r.pk: m for r, m in truth}
    for i, remains_case in enumerate(remains):
        person_case = true_of.get(remains_case.pk)
        if person_case is not None:
            am = ams[person_case.pk]
            sex = person_case.person.sex if person_case.person.sex in ("F", "M") else "U"
            age = am.age_at_disappearance or 35
            # Every ante-mortem file above is written with a stature.
            stature = am.stature_cm if am.stature_cm is not None else rng.randint(160, 188)
            teeth = am.dental_missing
            clothing, effects = am.clothing, am.effects
        else:
            sex = rng.choice(["M", "M", "M", "F", "U"])
            age = rng.randint(19, 65)
            stature = rng.randint(160, 188)
            teeth = ", ".join(_pick(rng, TEETH, rng.randint(0, 3)))
            clothing, effects = ", ".join(_pick(rng, CLOTHING, 2)), ", ".join(_pick(rng, EFFECTS, 1))
        PostMortem.objects.create(
            remains_case=remains_case, recovery_site=sites[i % len(sites)], recovery_team="Search and recovery team",
            latitude=sites[i % len(sites)].latitude, longitude=sites[i % len(sites)].longitude,
            body_or_part="body" if remains_case.condition != "fragmentary" else "part", sex_estimate=sex,
            age_min=max(16, age - rng.randint(3, 8)), age_max=age + rng.randint(3, 8),
            stature_min_cm=stature - rng.randint(2, 5), stature_max_cm=stature + rng.randint(2, 5),
            dental_missing=teeth, clothing=clothing, effects=effects,
            examined_on=remains_case.received_on or remains_case.recovered_on)
        services.register_sample(kind=SampleKind.REMAINS, remains_case=remains_case,
                                 sample_id=f"PM-{remains_case.reference}", laboratory=LAB, taken_on=remains_case.received_on or remains_case.recovered_on)
    # The laboratory's first results: strong matches for some true pairs and one weak, inconclusive report.
    rows = ["reference_sample,remains_sample,likelihood_ratio,laboratory,reported_on"]
    for r, m in truth[:n_lab]:
        rows.append(f"REF-{m.pk:05d},PM-{r.reference},{rng.choice([2.4e6, 8.1e7, 3.3e9, 5.6e5])},{LAB},"
                    f"{D(2020, 12, 20) + dt.timedelta(days=rng.randint(0, 8))}")
    if len(remains) > n_true and len(missing) > n_true:
        rows.append(f"REF-{missing[n_true].pk:05d},PM-{remains[n_true].reference},120,{LAB},2020-12-27")
    result = services.import_lab_results("\n".join(rows).encode(), officer)
    services.compare_all(officer)
    world.truth["identification"] = [(r.pk, m.pk) for r, m in truth]
    world.summary["DNA match reports"] = len(result.saved)
    world.summary["ante-mortem files"] = len(ams)


BUILDERS = [build_identification]
